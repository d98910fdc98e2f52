using System;
using System.Linq;
using System.Threading.Tasks;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;
using OAuthSmtp.Emulator.Scenarios;
using OAuthSmtp.Emulator.Tests.Smtp;
using Xunit;

namespace OAuthSmtp.Emulator.Tests.Exchange;

/// <summary>
/// The admin cmdlets change the model the SMTP server decides on: starting from scenario Fresh (Entra steps only),
/// the documented Exchange steps make XOAUTH2 work, and the wrong-ObjectId registration fails at AUTH as in the real service.
/// </summary>
public sealed class AdminStepsReachSmtpTests : IClassFixture<ExchangeAdminSession>
{
    private readonly ExchangeAdminSession _session;
    private readonly ScenarioInfo _info;

    public AdminStepsReachSmtpTests(ExchangeAdminSession session)
    {
        _session = session;
        _info = _session.Emulator.Reset(Scenario.Fresh);
        _session.Run("Disconnect-ExchangeOnline -Confirm:$false; Connect-ExchangeOnline -ShowBanner:$false");
    }

    private string AppToken() => TestTokens.App(
        _info.TenantId, _info.ClientId!.Value, _info.EnterpriseAppObjectId!.Value, new[] { "SMTP.SendAsApp" }, _session.Emulator.Clock.UtcNow);

    private async Task<SmtpClient> ConnectAsync()
    {
        var client = new SmtpClient { Timeout = 10_000 };
        var expected = _session.Emulator.CertificateAuthority.ServerCertificate.GetCertHashString();
        client.ServerCertificateValidationCallback = (_, certificate, _, _) => certificate?.GetCertHashString() == expected;
        await client.ConnectAsync("localhost", _session.Emulator.SmtpPort, SecureSocketOptions.StartTls);
        return client;
    }

    [Fact]
    public async Task TheDocumentedExchangeStepsMakeAppOnlySmtpWork()
    {
        _session.Run($"New-ServicePrincipal -AppId {_info.ClientId} -ObjectId {_info.EnterpriseAppObjectId} -DisplayName Mailer");
        _session.Run($"Add-MailboxPermission -Identity {_info.Mailbox} -User {_info.EnterpriseAppObjectId} -AccessRights FullAccess");
        _session.Run($"Set-CASMailbox -Identity {_info.Mailbox} -SmtpClientAuthenticationDisabled $false");

        // SMTP sees the grants once they have propagated (the fixture's quick delays).
        _session.Emulator.Clock.Advance(OAuthSmtp.Emulator.Model.PropagationDefaults.QuickDelay);
        using var client = await ConnectAsync();
        await client.AuthenticateAsync(new SaslMechanismOAuth2(_info.Mailbox, AppToken()));
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(_info.Mailbox));
        message.To.Add(MailboxAddress.Parse("someone@fabrikam.com"));
        message.Subject = "Admin steps";
        message.Body = new TextPart("plain") { Text = "sent after the Exchange setup" };
        await client.SendAsync(message);
        await client.DisconnectAsync(true);

        Assert.Contains(_session.Emulator.Delivered.All, m => m.Subject == "Admin steps");
    }

    [Fact]
    public async Task TheAppRegistrationsObjectIdIsAcceptedByTheCmdletButRefusedAtSmtpAuth()
    {
        _session.Run($"New-ServicePrincipal -AppId {_info.ClientId} -ObjectId {_info.AppObjectId} -DisplayName Wrong");
        _session.Run($"Add-MailboxPermission -Identity {_info.Mailbox} -User {_info.AppObjectId} -AccessRights FullAccess");
        _session.Run($"Set-CASMailbox -Identity {_info.Mailbox} -SmtpClientAuthenticationDisabled $false");

        using var client = await ConnectAsync();
        var failure = await Assert.ThrowsAsync<AuthenticationException>(() => client.AuthenticateAsync(new SaslMechanismOAuth2(_info.Mailbox, AppToken())));

        Assert.Contains("5.7.3 Authentication unsuccessful", failure.Message);
    }
}
