using System;
using System.Linq;
using System.Threading.Tasks;
using Xunit;
using Xunit.Abstractions;

namespace OAuthSmtp.Relay.Tests;

/// <summary>
/// Devices as clients nobody here wrote send through the relay; Exchange (the emulator) receives each message byte
/// for byte as the device handed it over, once, submitted as the device's profile mailbox with XOAUTH2.
/// </summary>
public sealed class ClientInteropTests : RelayTestBase
{
    public ClientInteropTests(RelayEmulatorFixture fixture, ITestOutputHelper output)
        : base(fixture, output)
    {
    }

    [Theory]
    [InlineData("plain")]
    [InlineData("login")]
    public async Task PythonSmtplibWithAuthIsDeliveredByteForByte(string mechanism)
    {
        Relay.Configure(new[] { RelayHarness.Device("scanner", "alerts", userName: "scanner", password: Password) });
        await Relay.StartAsync();
        var message = Clients.Message(Tenant.Mailbox, "someone@fabrikam.com", "Python " + mechanism);

        var run = await Clients.PythonAsync(Relay.Home, Relay.Port, mechanism, "scanner", Password, Tenant.Mailbox, "someone@fabrikam.com", message);

        Assert.True(run.Succeeded, run.ToString());
        var delivered = Assert.Single(await WaitForDeliveredAsync(1, TimeSpan.FromSeconds(30)));
        Assert.Equal(message, delivered.Raw);
        Assert.Equal(Tenant.Mailbox, delivered.AuthenticatedMailbox, ignoreCase: true);
        Assert.Equal(new[] { "someone@fabrikam.com" }, delivered.RcptTo);
        var outcomes = await Relay.WaitForOutcomesAsync(o => o.Any(e => (string?)e["event"] == "submitted"), TimeSpan.FromSeconds(10));
        Assert.StartsWith("250", (string?)outcomes.Single(e => (string?)e["event"] == "submitted")["reply"]);
    }
}
