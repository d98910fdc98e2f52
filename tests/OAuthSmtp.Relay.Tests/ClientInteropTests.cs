using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Mail;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Xunit;
using Xunit.Abstractions;

namespace OAuthSmtp.Relay.Tests;

/// <summary>
/// Devices as clients nobody here wrote (Python's smtplib, swaks, System.Net.Mail.SmtpClient) send through the relay
/// with AUTH PLAIN, AUTH LOGIN (in clear on loopback, and after STARTTLS) and without AUTH from an allowed address;
/// Exchange (the emulator) receives each message once, byte for byte as the device handed it over, submitted with
/// XOAUTH2 as the device's profile mailbox.
/// </summary>
public sealed class ClientInteropTests : RelayTestBase
{
    /// <summary>
    /// Set by .ci/run: there swaks must be installed and a missing swaks fails this test instead of being reported only.
    /// </summary>
    public const string RequireSwaksVariable = "OAUTHSMTP_REQUIRE_SWAKS";

    public ClientInteropTests(RelayEmulatorFixture fixture, ITestOutputHelper output)
        : base(fixture, output)
    {
    }

    [Fact]
    public async Task EveryClientWithAndWithoutAuthIsDeliveredOnceByteForByte()
    {
        var certificate = TestCertificate.Write(Relay.Home);
        Relay.Configure(
            new[]
            {
                Relay.Device("scanner", "alerts", password: Password),
                // Sends without AUTH: allowed only from its own address (here the loopback address of the test).
                Relay.Device("printer", "sales", sources: new[] { "127.0.0.1" }),
            },
            config =>
            {
                config.Tls.CertificateSource = OAuthSmtp.Engine.Relay.RelayCertificateSource.File;
                config.Tls.CertificatePath = certificate;
            });
        await Relay.StartAsync();

        var sent = new List<(string Client, byte[]? Bytes, string Mailbox)>();
        async Task Python(string auth, bool tls)
        {
            var name = $"python {auth}{(tls ? " starttls" : string.Empty)}";
            var from = auth == "none" ? Tenant.SharedMailbox : Tenant.Mailbox;
            var message = Clients.Message(from, "someone@fabrikam.com", name);
            var run = await Clients.PythonAsync(Relay.Home, Relay.Port, auth, "scanner", Password, from, "someone@fabrikam.com", message, tls);
            Assert.True(run.Succeeded, name + ": " + run);
            sent.Add((name, message, from));
        }

        await Python("plain", tls: false);
        await Python("login", tls: false);
        await Python("login", tls: true);
        await Python("none", tls: false);

        var swaksRan = false;
        var swaksFiles = new Dictionary<string, byte[]>();
        foreach (var (auth, tls) in new[] { ("PLAIN", false), ("LOGIN", true), ((string?)null, false) })
        {
            var name = $"swaks {auth ?? "none"}{(tls ? " starttls" : string.Empty)}";
            var from = auth is null ? Tenant.SharedMailbox : Tenant.Mailbox;
            var message = Clients.Message(from, "someone@fabrikam.com", name);
            var run = await Clients.SwaksAsync(Relay.Home, Relay.Port, auth, "scanner", Password, from, "someone@fabrikam.com", message, tls);
            if (run is null)
            {
                var required = Environment.GetEnvironmentVariable(RequireSwaksVariable) == "1";
                Output.WriteLine("*** SWAKS IS NOT INSTALLED: the swaks part of this test DID NOT RUN (apt-get install -y swaks). ***");
                Assert.False(required, $"swaks is not installed and {RequireSwaksVariable}=1 requires it (.ci/run installs it with apt-get).");
                break;
            }

            Assert.True(run.Succeeded, name + ": " + run);
            // swaks ends the data with a line break of its own after the file: compared with what it handed over,
            // and that must begin with the file.
            sent.Add((name, null, from));
            swaksFiles[name] = message;
            swaksRan = true;
        }

        // System.Net.Mail builds its own message (boundaries, Date): compared with what the relay spooled from it.
        foreach (var withAuth in new[] { true, false })
        {
            var name = "System.Net.Mail " + (withAuth ? "login" : "none");
            var from = withAuth ? Tenant.Mailbox : Tenant.SharedMailbox;
#pragma warning disable SYSLIB0006, CS0618 // SmtpClient is what old line-of-business programs use; that is the point.
            using var client = new SmtpClient("127.0.0.1", Relay.Port) { EnableSsl = false, DeliveryMethod = SmtpDeliveryMethod.Network };
#pragma warning restore SYSLIB0006, CS0618
            if (withAuth)
            {
                client.Credentials = new NetworkCredential("scanner", Password);
            }

            using var mail = new MailMessage(from, "someone@fabrikam.com", name, "Sent by System.Net.Mail.\r\n.dot line\r\nGrüße");
            await client.SendMailAsync(mail);
            sent.Add((name, null, from));
        }

        var delivered = await WaitForDeliveredAsync(sent.Count, TimeSpan.FromSeconds(90));
        Assert.Equal(sent.Count, delivered.Count);
        var done = Relay.SpoolFiles("done").ToDictionary(f => (string?)JsonNode.Parse(System.IO.File.ReadLines(f).First())!["subject"] ?? string.Empty);
        foreach (var (client, bytes, mailbox) in sent)
        {
            var message = Assert.Single(delivered, d => d.Subject == client);
            Assert.Equal(mailbox, message.AuthenticatedMailbox, ignoreCase: true);
            Assert.Equal(new[] { "someone@fabrikam.com" }, message.RcptTo);
            var expected = bytes ?? RelayHarness.SpooledContent(done[client]);
            if (swaksFiles.TryGetValue(client, out var file))
            {
                Assert.True(expected.AsSpan().StartsWith(file), client + ": the relay did not receive the file swaks sent.");
            }

            Assert.True(expected.AsSpan().SequenceEqual(message.Raw), $"{client}: Exchange received other bytes than the device sent.\nsent:\n{System.Text.Encoding.UTF8.GetString(expected)}\nreceived:\n{System.Text.Encoding.UTF8.GetString(message.Raw)}");
        }

        var outcomes = await Relay.WaitForOutcomesAsync(o => o.Count(e => (string?)e["event"] == "submitted") == sent.Count, TimeSpan.FromSeconds(10));
        Assert.All(outcomes.Where(e => (string?)e["event"] == "submitted"), e => Assert.StartsWith("250", (string?)e["reply"]));
        Assert.Equal(sent.Count, outcomes.Count(e => (string?)e["event"] == "accepted"));
        Output.WriteLine($"{sent.Count} messages from {(swaksRan ? "python, swaks" : "python")} and System.Net.Mail delivered byte for byte.");

        await Relay.StopAsync();
        SecretScan.AssertNoSecretsWritten(Relay, Emulator.Statistics.IssuedTokens, Password);
    }
}
