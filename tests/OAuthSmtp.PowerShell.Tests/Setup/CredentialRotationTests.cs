using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using OAuthSmtp.Emulator;
using OAuthSmtp.Emulator.Model;
using OAuthSmtp.Hosting;
using OAuthSmtp.PowerShell.Tests.Infrastructure;
using Xunit;

namespace OAuthSmtp.PowerShell.Tests.Setup;

/// <summary>
/// Update-SmtpOAuthCredential against the emulated tenant, through the admin's (look-alike) Connect-MgGraph session:
/// the app was set up by someone else (the Ready scenario) and the profile knows only its client id and secret.
/// </summary>
public sealed class CredentialRotationTests : IClassFixture<EmulatorFixture>, IDisposable
{
    private readonly EmulatorFixture _fixture;
    private PowerShellSession? _session;

    public CredentialRotationTests(EmulatorFixture fixture)
    {
        _fixture = fixture;
    }

    private ExchangeOnlineEmulator Emulator => _fixture.Emulator;

    private ScenarioInfo Tenant => Emulator.Current;

    public void Dispose() => _session?.Dispose();

    /// <summary>An administrator's session on a Ready tenant with a client-secret profile 'Emu'.</summary>
    private void Start(bool connectGraph = true)
    {
        _session?.Dispose();
        _session = _fixture.NewAdminSession(Scenario.Ready, connectGraph: connectGraph);
        var prepared = _session.Run(EmulatorFixture.NewProfileScript("Emu"));
        Assert.True(!prepared.AllErrors.Any(), prepared.ErrorText);
        Emulator.Statistics.Reset();
    }

    private ScriptResult Run(string script) => _session!.Run(script);

    private ScriptResult RunOk(string script)
    {
        var result = Run(script);
        Assert.True(!result.HadTerminatingError && !result.AllErrors.Any(), "The script failed: " + result.ErrorText);
        return result;
    }

    private List<ClientSecret> Secrets()
    {
        lock (Emulator.Tenant.SyncRoot)
        {
            return Emulator.Tenant.Applications.Single(a => a.AppId == Tenant.ClientId).Secrets.ToList();
        }
    }

    private string ProfileSecret() =>
        (string)RunOk("(Get-SmtpOAuthSettings -Profile Emu -IncludeSecret -AsPlainText | Where-Object IsSecret).Value").Output.Single().BaseObject;

    private void AssertSends()
    {
        var sent = RunOk($"Send-SmtpOAuthMessage -Profile Emu -To ('someone@' + $EmuTenant.Domain) -Subject 'after rotation' -PassThru");
        Assert.Equal("Sent", sent.Output.Single().Properties["Status"].Value?.ToString());
    }

    private static string Text(PSObject item, string property) => item.Properties[property]?.Value?.ToString() ?? string.Empty;

    [Fact]
    public void Rotation_with_RemoveOld_leaves_sending_working_and_the_old_secret_gone()
    {
        Start();
        var old = Assert.Single(Secrets());

        var result = Assert.Single(RunOk("Update-SmtpOAuthCredential -Profile Emu -RemoveOld -Confirm:$false").Output);

        var now = Assert.Single(Secrets());
        Assert.NotEqual(old.KeyId, now.KeyId);
        Assert.Equal(now.KeyId.ToString(), Text(result, "NewCredentialId"));
        Assert.Equal(old.KeyId.ToString(), Text(result, "OldCredentialId"));
        Assert.Equal("True", Text(result, "OldCredentialRemoved"));
        Assert.Contains("nothing was sent", Text(result, "Proof"));
        Assert.Equal(now.Value, ProfileSecret());
        Assert.DoesNotContain(now.Value, string.Join("|", result.Properties.Select(p => Convert.ToString(p.Value))));
        AssertSends();

        // The old value is refused by Entra ID now; the profile records the new secret's id and end date.
        var oldToken = Run($"Get-SmtpOAuthToken -TenantId $EmuTenant.TenantId -ClientId $EmuTenant.ClientId -ClientSecret ([System.Net.NetworkCredential]::new('', '{old.Value}').SecurePassword) -AuthorityHost $EmuTenant.AuthorityHost -ForceRefresh");
        Assert.Equal("TokenInvalidClientSecret,OAuthSmtp.PowerShell.Commands.GetSmtpOAuthTokenCommand", Assert.Single(oldToken.AllErrors).FullyQualifiedErrorId);
        var card = RunOk("Get-SmtpOAuthSettings -Profile Emu").Output.ToDictionary(o => Text(o, "Name"), o => Text(o, "Value"));
        Assert.Equal(now.KeyId.ToString(), card["SecretId"]);
        Assert.Equal(now.EndDateTime.ToString("yyyy-MM-dd"), card["CredentialEndsOn"]);
        Assert.Equal(Tenant.EnterpriseAppObjectId.ToString(), card["EnterpriseAppObjectId"]);
    }

    [Fact]
    public void Rotation_without_RemoveOld_keeps_both_secrets_working()
    {
        Start();
        var old = Assert.Single(Secrets());

        var result = Assert.Single(RunOk("Update-SmtpOAuthCredential -Profile Emu -Confirm:$false").Output);

        Assert.Equal(2, Secrets().Count);
        Assert.Equal("False", Text(result, "OldCredentialRemoved"));
        Assert.Contains($"Remove-MgApplicationPassword -ApplicationId {Tenant.AppObjectId} -KeyId {old.KeyId}", Text(result, "Next"));
        Assert.NotEqual(old.Value, ProfileSecret());
        AssertSends();
        RunOk($"Get-SmtpOAuthToken -TenantId $EmuTenant.TenantId -ClientId $EmuTenant.ClientId -ClientSecret ([System.Net.NetworkCredential]::new('', '{old.Value}').SecurePassword) -AuthorityHost $EmuTenant.AuthorityHost -ForceRefresh");
    }

    [Fact]
    public void A_failed_proof_never_removes_the_old_secret_and_leaves_the_profile_as_it_was()
    {
        Start();
        var old = Assert.Single(Secrets());
        RunOk("Set-CASMailbox -Identity $EmuTenant.Mailbox -SmtpClientAuthenticationDisabled $true");
        Emulator.Clock.Advance(OAuthSmtp.Emulator.Model.PropagationDefaults.QuickDelay); // SMTP sees the switch once it has propagated

        var failed = Run("Update-SmtpOAuthCredential -Profile Emu -RemoveOld -Confirm:$false");

        var error = Assert.Single(failed.AllErrors);
        Assert.Equal("CredentialProofFailed,OAuthSmtp.PowerShell.Commands.UpdateSmtpOAuthCredentialCommand", error.FullyQualifiedErrorId);
        Assert.Contains("SmtpAuthDisabledForMailbox", error.ErrorDetails!.Message);
        Assert.Contains("Set-CASMailbox", error.ErrorDetails.RecommendedAction);
        Assert.Empty(failed.Output);
        Assert.Equal(old.KeyId, Assert.Single(Secrets()).KeyId);
        Assert.Equal(old.Value, ProfileSecret());

        RunOk("Set-CASMailbox -Identity $EmuTenant.Mailbox -SmtpClientAuthenticationDisabled $false");
        Emulator.Clock.Advance(OAuthSmtp.Emulator.Model.PropagationDefaults.QuickDelay);
        AssertSends();
    }

    [Fact]
    public void WhatIf_lists_the_graph_calls_and_changes_nothing()
    {
        Start();
        var old = Assert.Single(Secrets());

        var whatIf = RunOk("Update-SmtpOAuthCredential -Profile Emu -RemoveOld -WhatIf");

        Assert.Empty(whatIf.Output);
        Assert.Equal(0, Emulator.Statistics.GraphWrites);
        Assert.Equal(old.KeyId, Assert.Single(Secrets()).KeyId);
        Assert.Equal(old.Value, ProfileSecret());
        var said = string.Join("\n", whatIf.HostText, string.Join("\n", whatIf.Information.Select(i => i.MessageData?.ToString())));
        Assert.Contains("addPassword", said);
        Assert.Contains("removePassword", said);
    }

    [Fact]
    public void Without_a_graph_session_the_error_names_Connect_MgGraph_and_nothing_changes()
    {
        Start(connectGraph: false);
        RunOk("Disconnect-MgGraph -ErrorAction SilentlyContinue | Out-Null");

        var failed = Run("Update-SmtpOAuthCredential -Profile Emu -RemoveOld -Confirm:$false");

        var error = Assert.Single(failed.AllErrors);
        Assert.Equal("GraphNotConnected,OAuthSmtp.PowerShell.Commands.UpdateSmtpOAuthCredentialCommand", error.FullyQualifiedErrorId);
        Assert.Contains("Connect-MgGraph -Scopes Application.ReadWrite.All", error.ErrorDetails!.RecommendedAction);
        Assert.Single(Secrets());
    }

    [Fact]
    public void A_managed_identity_profile_has_nothing_to_rotate()
    {
        Start();
        RunOk("New-SmtpOAuthProfile -Name Mi -TenantId $EmuTenant.TenantId -ManagedIdentity -Mailbox $EmuTenant.Mailbox | Out-Null");

        var failed = Run("Update-SmtpOAuthCredential -Profile Mi -Confirm:$false");

        Assert.Equal("CredentialRotationNotApplicable,OAuthSmtp.PowerShell.Commands.UpdateSmtpOAuthCredentialCommand", Assert.Single(failed.AllErrors).FullyQualifiedErrorId);
        Assert.Equal(0, Emulator.Statistics.GraphWrites);
    }

    [Fact]
    public void The_doctor_names_Update_SmtpOAuthCredential_for_a_secret_expiring_within_30_days()
    {
        Start();
        Environment.SetEnvironmentVariable("OAUTHSMTP_GRAPH_ENDPOINT", Emulator.GraphEndpoint.ToString());
        try
        {
            lock (Emulator.Tenant.SyncRoot)
            {
                Emulator.Tenant.Applications.Single(a => a.AppId == Tenant.ClientId).Secrets.Single().EndDateTime = Emulator.Clock.UtcNow.AddDays(12);
            }

            var lifetime = RunOk("Test-SmtpOAuthSetup -Profile Emu").Output.Single(r => Text(r, "Step") == "CredentialLifetime");

            Assert.Equal("Warning", Text(lifetime, "Status"));
            Assert.StartsWith("Update-SmtpOAuthCredential -Profile Emu -RemoveOld", Text(lifetime, "Fix"));
        }
        finally
        {
            Environment.SetEnvironmentVariable("OAUTHSMTP_GRAPH_ENDPOINT", null);
        }
    }
}
