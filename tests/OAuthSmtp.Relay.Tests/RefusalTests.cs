using System;
using System.Linq;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Text;
using System.Threading.Tasks;
using Xunit;
using Xunit.Abstractions;

namespace OAuthSmtp.Relay.Tests;

/// <summary>
/// What the relay refuses, each with a clear SMTP reply and a line in the outcome log, and nothing forwarded to
/// Exchange: an address not allowed to connect, MAIL without AUTH, a sender the device may not use (envelope or
/// header), a message over the device's size, a recipient outside its domains (an open-relay attempt), and wrong
/// passwords, locked out after the third (even the right password is refused then).
/// </summary>
public sealed class RefusalTests : RelayTestBase
{
    public RefusalTests(RelayEmulatorFixture fixture, ITestOutputHelper output)
        : base(fixture, output)
    {
    }

    [Fact]
    public async Task EveryRefusalHasAReplyAndALogLineAndNothingIsForwarded()
    {
        var lan = LanAddress();
        Relay.Configure(
            new[] { Relay.Device("scanner", "alerts", password: Password, allowedSenders: new[] { Tenant.Mailbox }, recipientDomains: new[] { "fabrikam.com" }, maxMessageBytes: 4000) },
            config =>
            {
                if (lan is not null)
                {
                    // Listening on a LAN address, open only to a device network this machine is not in.
                    config.Listeners.Add(new OAuthSmtp.Engine.Relay.RelayListener { Address = lan.ToString(), Port = RelayHarness.FreePort(), AllowedSources = { "198.51.100.0/24" } });
                }
            });
        await Relay.StartAsync();
        var loopback = new IPEndPoint(IPAddress.Loopback, Relay.Port);

        if (lan is null)
        {
            Output.WriteLine("*** This machine has no non-loopback IPv4 address: the unknown-source refusal was NOT tested. ***");
        }
        else
        {
            // A LAN address the admin did not allow (the relay listens there, but nobody may connect from it).
            var endpoint = Relay.Endpoints.Single(e => e.Address.Equals(lan));
            await using var stranger = await RawSmtp.ConnectAsync(endpoint, from: lan);
            Assert.StartsWith("554 5.7.1", stranger.Banner);
            Assert.Equal("closed", await stranger.ReadReplyAsync());
        }

        await using (var smtp = await RawSmtp.ConnectAsync(loopback))
        {
            Assert.StartsWith("250", await smtp.SendAsync("EHLO device"));
            Assert.StartsWith("530 5.7.0", await smtp.SendAsync($"MAIL FROM:<{Tenant.Mailbox}>"));

            Assert.StartsWith("235", await smtp.SendAsync("AUTH PLAIN " + RawSmtp.Plain("scanner", Password)));
            Assert.StartsWith("550 5.7.1", await smtp.SendAsync("MAIL FROM:<ceo@contoso.com>"));
            Assert.StartsWith("552", await smtp.SendAsync($"MAIL FROM:<{Tenant.Mailbox}> SIZE=10000"));

            Assert.StartsWith("250", await smtp.SendAsync($"MAIL FROM:<{Tenant.Mailbox}>"));
            Assert.StartsWith("550 5.7.1", await smtp.SendAsync("RCPT TO:<victim@evil.example>"));
            Assert.StartsWith("250", await smtp.SendAsync("RCPT TO:<someone@fabrikam.com>"));
            Assert.StartsWith("550 5.7.1", await smtp.DataAsync($"From: <ceo@contoso.com>\r\nTo: <someone@fabrikam.com>\r\nSubject: forged\r\n\r\nbody"));

            Assert.StartsWith("250", await smtp.SendAsync("RSET"));
            Assert.StartsWith("250", await smtp.SendAsync($"MAIL FROM:<{Tenant.Mailbox}>"));
            Assert.StartsWith("250", await smtp.SendAsync("RCPT TO:<someone@fabrikam.com>"));
            Assert.StartsWith("552", await smtp.DataAsync($"From: <{Tenant.Mailbox}>\r\nSubject: big\r\n\r\n" + new string('x', 5000)));
        }

        // Wrong passwords: 535 twice, the third locks the source out; then even the right one is refused.
        await using (var smtp = await RawSmtp.ConnectAsync(loopback))
        {
            await smtp.SendAsync("EHLO device");
            Assert.StartsWith("535", await smtp.SendAsync("AUTH PLAIN " + RawSmtp.Plain("scanner", "guess-1")));
            Assert.StartsWith("535", await smtp.SendAsync("AUTH PLAIN " + RawSmtp.Plain("scanner", "guess-2")));
            Assert.StartsWith("454 4.7.0", await smtp.SendAsync("AUTH PLAIN " + RawSmtp.Plain("scanner", "guess-3")));
        }

        await using (var smtp = await RawSmtp.ConnectAsync(loopback))
        {
            await smtp.SendAsync("EHLO device");
            Assert.StartsWith("454 4.7.0", await smtp.SendAsync("AUTH PLAIN " + RawSmtp.Plain("scanner", Password)));
        }

        var expected = new[] { "AuthenticationRequired", "SenderNotAllowed", "MessageTooLarge", "RecipientDomainNotAllowed", "HeaderSenderNotAllowed", "WrongCredential", "AuthLockedOut" }
            .Concat(lan is null ? Array.Empty<string>() : new[] { "SourceNotAllowed" }).ToArray();
        var outcomes = await Relay.WaitForOutcomesAsync(o => expected.All(r => o.Any(e => ((string?)e["reason"] ?? string.Empty).Contains(r, StringComparison.Ordinal))), TimeSpan.FromSeconds(10));
        Assert.All(outcomes, e => Assert.Equal("refused", (string?)e["event"]));
        Assert.All(outcomes, e => Assert.Matches("^[45][0-9][0-9] ", (string?)e["reply"]));
        Assert.Empty(Relay.SpoolFiles("queued"));
        // A window in which a wrongly queued message would reach Exchange; a slow machine only narrows it, it cannot fail the test.
        await Task.Delay(500);
        Assert.Equal(0, Emulator.Delivered.Count);
        Assert.Equal(0, Emulator.Statistics.SmtpConnections);

        await Relay.StopAsync();
        SecretScan.AssertNoSecretsWritten(Relay, Emulator.Statistics.IssuedTokens, Password, "guess-1", "guess-2", "guess-3");
    }

    /// <summary>An IPv4 address of this machine that is not loopback, or null.</summary>
    private static IPAddress? LanAddress() =>
        NetworkInterface.GetAllNetworkInterfaces()
            .Where(n => n.OperationalStatus == OperationalStatus.Up && n.NetworkInterfaceType != NetworkInterfaceType.Loopback)
            .SelectMany(n => n.GetIPProperties().UnicastAddresses)
            .Select(a => a.Address)
            .FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a));
}
