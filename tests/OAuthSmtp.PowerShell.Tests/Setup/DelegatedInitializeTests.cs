using System;
using System.Linq;
using System.Management.Automation;
using OAuthSmtp.Emulator;
using OAuthSmtp.Hosting;
using OAuthSmtp.PowerShell.Tests.Infrastructure;
using Xunit;

namespace OAuthSmtp.PowerShell.Tests.Setup;

/// <summary>
/// Initialize-SmtpOAuthSetup -Delegated (the cmxOrganize case: a web redirect URI, SMTP.Send + offline_access, consent
/// for all users) ends in a state the admin can trust (issue 17): with -TestRecipient the mailbox's user signs in with
/// a device code (the emulator approves it as that user would in a browser) and the test message is delivered as that
/// user; without it, the card and the information stream say exactly what is left to do.
/// </summary>
public sealed class DelegatedInitializeTests : IClassFixture<EmulatorFixture>, IDisposable
{
    private const string RedirectUri = "https://crm.contoso.com/App%20E-Mailkonto/continue_oauth";
    private readonly EmulatorFixture _fixture;
    private PowerShellSession? _session;

    public DelegatedInitializeTests(EmulatorFixture fixture)
    {
        _fixture = fixture;
    }

    private ExchangeOnlineEmulator Emulator => _fixture.Emulator;

    public void Dispose()
    {
        _session?.Dispose();
        Emulator.Tokens.AutoApproveDeviceCodesFor = null;
    }

    /// <param name="signIn">Whether the mailbox's user approves the device code (the emulator does it at once for them).</param>
    private ScriptResult Initialize(string arguments, bool signIn = false)
    {
        _session?.Dispose();
        _session = _fixture.NewAdminSession(Scenario.Empty);
        Emulator.Tokens.AutoApproveDeviceCodesFor = signIn ? Emulator.Current.DelegatedUser : null;
        return _session.Run(
            "Initialize-SmtpOAuthSetup -Mailbox $EmuTenant.DelegatedUser -ProfileName Crm -DisplayName 'cmxOrganize SMTP' -Delegated " +
            $"-RedirectUri '{RedirectUri}' -SmtpServer $EmuTenant.SmtpServer -Port $EmuTenant.SmtpPort -AuthorityHost $EmuTenant.AuthorityHost " +
            "-AllowNonMicrosoftHost -GraphEndpoint $EmuTenant.GraphEndpoint -AllowUnprotectedSecret -Confirm:$false -InformationAction Continue " + arguments);
    }

    private static string Text(PSObject item, string property) => item.Properties[property]?.Value?.ToString() ?? string.Empty;

    [Fact]
    public void With_TestRecipient_the_mailbox_user_signs_in_with_a_device_code_and_the_test_message_is_delivered_as_that_user()
    {
        var result = Initialize("-TestRecipient it@contoso.com -Wait -Timeout 60", signIn: true);

        Assert.True(!result.AllErrors.Any(), result.ErrorText);
        var card = Assert.Single(result.Output);
        Assert.Equal("Delegated", Text(card, "CredentialKind"));
        var delivered = Assert.Single(Emulator.Delivered.All);
        Assert.Equal(Emulator.Current.DelegatedUser, delivered.From, ignoreCase: true);
        Assert.Contains("accepted", Text(card, "TestMessage"), StringComparison.Ordinal);
        Assert.Contains(result.Information, i => i.Tags.Contains("DeviceCode"));
        var said = string.Join(Environment.NewLine, result.Information.Select(i => i.MessageData?.ToString()));
        Assert.Contains($"sign in as {Emulator.Current.DelegatedUser}, not as yourself", said, StringComparison.OrdinalIgnoreCase);

        // The sign-in is kept: the profile sends as that user from now on, without another device code.
        var sent = _session!.Run("Send-SmtpOAuthMessage -Profile Crm -To it@contoso.com -Subject 'from the product' -PassThru");
        Assert.True(!sent.AllErrors.Any(), sent.ErrorText);
        Assert.DoesNotContain(sent.Information, i => i.Tags.Contains("DeviceCode"));
        Assert.Equal(2, Emulator.Delivered.All.Count);
    }

    [Fact]
    public void Where_nobody_can_sign_in_the_test_stops_at_once_and_says_so_instead_of_waiting_out_the_timeout()
    {
        var previous = Environment.GetEnvironmentVariable("OAUTHSMTP_NONINTERACTIVE");
        Environment.SetEnvironmentVariable("OAUTHSMTP_NONINTERACTIVE", "1");
        try
        {
            var started = DateTime.UtcNow;
            var result = Initialize("-TestRecipient it@contoso.com -Wait -Timeout 3600");

            var error = Assert.Single(result.AllErrors);
            Assert.StartsWith("ProvisioningNotVerified,", error.FullyQualifiedErrorId, StringComparison.Ordinal);
            Assert.Contains("Token", error.Exception.Message, StringComparison.Ordinal);
            Assert.True(DateTime.UtcNow - started < TimeSpan.FromMinutes(5), "It waited for a sign-in nobody can give.");
            Assert.Empty(Emulator.Delivered.All);
        }
        finally
        {
            Environment.SetEnvironmentVariable("OAUTHSMTP_NONINTERACTIVE", previous);
        }
    }

    [Fact]
    public void Without_TestRecipient_the_admin_is_told_who_must_sign_in_and_how_to_send_the_test_message()
    {
        var result = Initialize(string.Empty);

        Assert.True(!result.AllErrors.Any(), result.ErrorText);
        Assert.Empty(Emulator.Delivered.All);
        var said = string.Join(Environment.NewLine, result.Information.Select(i => i.MessageData?.ToString()));
        Assert.Contains($"sign in as {Emulator.Current.DelegatedUser} with the device code it shows, not as yourself", said, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Test-SmtpOAuthSetup -Profile Crm -TestRecipient <address>", said, StringComparison.Ordinal);
        Assert.Contains($"through '{RedirectUri}'", said, StringComparison.Ordinal);
        Assert.Contains("Get-SmtpOAuthSettings -Profile Crm -Product cmxOrganize -IncludeSecret", said, StringComparison.Ordinal);
    }
}
