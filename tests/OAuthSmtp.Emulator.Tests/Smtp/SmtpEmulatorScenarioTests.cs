using System;
using System.Threading.Tasks;
using MailKit.Net.Smtp;
using MailKit.Security;
using OAuthSmtp.Emulator.Tests.Tokens;
using Xunit;
using OAuthSmtp.Emulator.Model;

namespace OAuthSmtp.Emulator.Tests.Smtp;

/// <summary>
/// The whole emulator: a token from its token service through MSAL, then MailKit over STARTTLS with full
/// certificate validation against the emulator root. Scenarios Ready and Fresh.
/// </summary>
public sealed class SmtpEmulatorScenarioTests : IAsyncLifetime
{
    private ExchangeOnlineEmulator _emulator = null!;

    public async Task InitializeAsync() => _emulator = await ExchangeOnlineEmulator.StartAsync(new EmulatorOptions { PropagationDelays = PropagationDefaults.Quick });

    public async Task DisposeAsync() => await _emulator.DisposeAsync();

    private async Task<string> AppTokenAsync()
    {
        var scenario = _emulator.Current;
        var result = await Msal.WithSecret(_emulator, scenario.ClientId!.Value.ToString(), scenario.ClientSecret!)
            .AcquireTokenForClient(new[] { Msal.ExchangeDefault }).ExecuteAsync();
        return result.AccessToken;
    }

    private async Task<SmtpClient> ConnectAsync()
    {
        var client = new SmtpClient { Timeout = 10_000, ServerCertificateValidationCallback = SmtpTestHost.ValidateAgainstEmulatorRoot };
        await client.ConnectAsync(_emulator.Current.SmtpServer, _emulator.Current.SmtpPort, SecureSocketOptions.StartTls);
        return client;
    }

    [Fact]
    public async Task Ready_sends_a_message_with_a_token_from_the_token_service()
    {
        var scenario = _emulator.Reset(Scenario.Ready);
        var token = await AppTokenAsync();
        using var client = await ConnectAsync();

        await client.AuthenticateAsync(new SaslMechanismOAuth2(scenario.Mailbox, token));
        await client.SendAsync(SmtpTestHost.Message(from: scenario.Mailbox, subject: "From the Ready scenario"));
        await client.DisconnectAsync(quit: true);

        var delivered = Assert.Single(_emulator.Delivered.All);
        Assert.Equal("From the Ready scenario", delivered.Subject);
        Assert.Equal(scenario.Mailbox, delivered.MailFrom);
        Assert.Equal(scenario.EnterpriseAppObjectId.ToString(), delivered.AuthenticatedPrincipalId);
        Assert.Equal(1, _emulator.Statistics.SmtpAuthenticationsSucceeded);
    }

    [Fact]
    public async Task Fresh_refuses_the_same_token_because_no_Exchange_service_principal_exists()
    {
        var scenario = _emulator.Reset(Scenario.Fresh);
        var token = await AppTokenAsync();
        using var client = await ConnectAsync();

        var error = await Assert.ThrowsAsync<AuthenticationException>(() => client.AuthenticateAsync(new SaslMechanismOAuth2(scenario.Mailbox, token)));

        SmtpAssert.Reply("535 5.7.3 Authentication unsuccessful", SmtpAssert.ReplyOf(error), hostTag: true);
        Assert.Equal(1, _emulator.Statistics.SmtpAuthenticationsFailed);
    }
}
