using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using OAuthSmtp.Emulator;
using OAuthSmtp.Emulator.Model;
using OAuthSmtp.Hosting;
using OAuthSmtp.PowerShell.Tests.Infrastructure;
using Xunit;

namespace OAuthSmtp.PowerShell.Tests.Setup;

/// <summary>
/// Update-SmtpOAuthCredential for a certificate profile, against the emulated tenant through the admin's look-alike
/// Connect-MgGraph session (issue 17): the profile and app come from Initialize-SmtpOAuthSetup -CredentialType
/// Certificate on an empty tenant; the rotation uploads a new key, proves it, points the profile at it, and with
/// -RemoveOld the old key is gone from the app and refused by the token service, while sending keeps working.
/// </summary>
public sealed class CertificateRotationTests : IClassFixture<EmulatorFixture>, IDisposable
{
    private readonly EmulatorFixture _fixture;
    private PowerShellSession? _session;

    public CertificateRotationTests(EmulatorFixture fixture)
    {
        _fixture = fixture;
    }

    private ExchangeOnlineEmulator Emulator => _fixture.Emulator;

    public void Dispose() => _session?.Dispose();

    /// <summary>An empty tenant set up by Initialize-SmtpOAuthSetup with a certificate (.pfx here: no Windows store), profile 'Emu'.</summary>
    private void Start()
    {
        _session?.Dispose();
        _session = _fixture.NewAdminSession(Scenario.Empty);
        RunOk(
            "Initialize-SmtpOAuthSetup -Mailbox $EmuTenant.Mailbox -ProfileName Emu -DisplayName 'Archive SMTP' -CredentialType Certificate " +
            "-SmtpServer $EmuTenant.SmtpServer -Port $EmuTenant.SmtpPort -AuthorityHost $EmuTenant.AuthorityHost -AllowNonMicrosoftHost " +
            "-GraphEndpoint $EmuTenant.GraphEndpoint -AllowUnprotectedSecret -Confirm:$false -TestRecipient it@contoso.com -Wait -Timeout 60 | Out-Null");
        Emulator.Statistics.Reset();
    }

    private ScriptResult Run(string script) => _session!.Run(script);

    private ScriptResult RunOk(string script)
    {
        var result = Run(script);
        Assert.True(!result.HadTerminatingError && !result.AllErrors.Any(), "The script failed: " + result.ErrorText);
        return result;
    }

    private List<ClientCertificate> AppKeys()
    {
        lock (Emulator.Tenant.SyncRoot)
        {
            return Emulator.Tenant.Applications.Single().Certificates.ToList();
        }
    }

    private string ProfilePfx() => (string)RunOk("(Get-SmtpOAuthProfile -Name Emu).CertificatePath").Output.Single().BaseObject;

    /// <summary>The .pfx password as the profile store keeps it (-AllowUnprotectedSecret: the one owner-only file under secrets/).</summary>
    private string PfxPassword() => File.ReadAllText(Directory.GetFiles(Path.Combine(_fixture.ProfileHome, "secrets")).Single());

    private string[] CertificateFiles() => Directory.GetFiles(Path.GetDirectoryName(ProfilePfx())!).Order(StringComparer.Ordinal).ToArray();

    private void AssertSends()
    {
        var sent = RunOk("Send-SmtpOAuthMessage -Profile Emu -To ('someone@' + $EmuTenant.Domain) -Subject 'after rotation' -PassThru");
        Assert.Equal("Sent", sent.Output.Single().Properties["Status"].Value?.ToString());
    }

    private static string Text(PSObject item, string property) => item.Properties[property]?.Value?.ToString() ?? string.Empty;

    [Fact]
    public void Rotation_with_RemoveOld_leaves_sending_working_the_old_key_gone_from_the_app_and_refused_by_the_token_service()
    {
        Start();
        var old = Assert.Single(AppKeys());
        var oldPfx = ProfilePfx();
        var oldPassword = PfxPassword();
        RunOk($"$script:OldCertificate = [System.Security.Cryptography.X509Certificates.X509Certificate2]::new('{oldPfx}', '{oldPassword}')");

        var run = RunOk("Update-SmtpOAuthCredential -Profile Emu -RemoveOld -Confirm:$false -Verbose");
        var result = Assert.Single(run.Output);

        var now = Assert.Single(AppKeys());
        Assert.NotEqual(old.Thumbprint, now.Thumbprint);
        Assert.Equal("Certificate", Text(result, "CredentialType"));
        Assert.Equal(now.Thumbprint, Text(result, "NewThumbprint"));
        Assert.Equal(now.KeyId.ToString(), Text(result, "NewCredentialId"));
        Assert.Equal(old.KeyId.ToString(), Text(result, "OldCredentialId"));
        Assert.Equal("True", Text(result, "OldCredentialRemoved"));
        Assert.Contains("nothing was sent", Text(result, "Proof"), StringComparison.Ordinal);
        Assert.Equal("CN=OAuthSmtp profile Emu", now.DisplayName);

        // The profile points at the new .pfx; the old .pfx this module made is gone; sending works with the new key.
        var newPfx = ProfilePfx();
        Assert.NotEqual(oldPfx, newPfx);
        Assert.False(File.Exists(oldPfx));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(newPfx));
        }
        AssertSends();
        Assert.Equal(now.KeyId.ToString(), RunOk("(Get-SmtpOAuthProfile -Name Emu).CredentialKeyId").Output.Single().BaseObject.ToString());

        // The old key signs no more tokens: the token service checks the app's keys as they are now.
        var refused = Run("Get-SmtpOAuthToken -TenantId $EmuTenant.TenantId -ClientId (Get-SmtpOAuthProfile -Name Emu).ClientId -Certificate $script:OldCertificate -AuthorityHost $EmuTenant.AuthorityHost -ForceRefresh");
        Assert.Equal("TokenCertificateRejected,OAuthSmtp.PowerShell.Commands.GetSmtpOAuthTokenCommand", Assert.Single(refused.AllErrors).FullyQualifiedErrorId);

        // No private key or password in any stream, and the profile file holds no password.
        var newPassword = PfxPassword();
        Assert.NotEqual(oldPassword, newPassword);
        foreach (var secret in new[] { oldPassword, newPassword })
        {
            Assert.DoesNotContain(secret, run.EverythingVisible(), StringComparison.Ordinal);
            Assert.DoesNotContain(secret, File.ReadAllText(Path.Combine(_fixture.ProfileHome, "profiles.json")), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_failed_proof_leaves_the_profile_the_old_key_and_the_files_as_they_were()
    {
        Start();
        var old = Assert.Single(AppKeys());
        var pfx = ProfilePfx();
        var files = CertificateFiles();
        RunOk("Set-CASMailbox -Identity $EmuTenant.Mailbox -SmtpClientAuthenticationDisabled $true");
        Emulator.Clock.Advance(PropagationDefaults.QuickDelay);

        var failed = Run("Update-SmtpOAuthCredential -Profile Emu -RemoveOld -Confirm:$false");

        var error = Assert.Single(failed.AllErrors);
        Assert.Equal("CredentialProofFailed,OAuthSmtp.PowerShell.Commands.UpdateSmtpOAuthCredentialCommand", error.FullyQualifiedErrorId);
        Assert.Contains("SmtpAuthDisabledForMailbox", error.ErrorDetails!.Message, StringComparison.Ordinal);
        Assert.Equal(old.KeyId, Assert.Single(AppKeys()).KeyId);
        Assert.Equal(pfx, ProfilePfx());
        Assert.Equal(files, CertificateFiles());

        RunOk("Set-CASMailbox -Identity $EmuTenant.Mailbox -SmtpClientAuthenticationDisabled $false");
        Emulator.Clock.Advance(PropagationDefaults.QuickDelay);
        AssertSends();
    }

    [Fact]
    public void WhatIf_names_the_keyCredentials_PATCH_and_changes_nothing()
    {
        Start();
        var old = Assert.Single(AppKeys());
        var pfx = ProfilePfx();
        var files = CertificateFiles();

        var whatIf = RunOk("Update-SmtpOAuthCredential -Profile Emu -RemoveOld -WhatIf");

        Assert.Empty(whatIf.Output);
        Assert.Equal(0, Emulator.Statistics.GraphWrites);
        Assert.Equal(old.KeyId, Assert.Single(AppKeys()).KeyId);
        Assert.Equal(pfx, ProfilePfx());
        Assert.Equal(files, CertificateFiles());
        var said = new string(whatIf.HostText.Where(c => !char.IsWhiteSpace(c)).ToArray());
        Assert.Contains("Createaself-signedcertificate", said, StringComparison.Ordinal);
        Assert.Contains("PATCH/v1.0/applications/", said, StringComparison.Ordinal);
        Assert.Contains("Removetheoldcertificate", said, StringComparison.Ordinal);
    }
}
