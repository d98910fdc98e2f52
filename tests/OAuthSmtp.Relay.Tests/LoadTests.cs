using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Threading.Tasks;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;
using Xunit;
using Xunit.Abstractions;

namespace OAuthSmtp.Relay.Tests;

/// <summary>
/// Many devices at once: 10 devices, each on its own connection (MailKit as the device's client), send to 3 sending
/// mailboxes; every message is accounted for (delivered once), the relay never has more than 3 connections to a
/// mailbox (and Exchange never answers 432), and the relay's peak working set is reported. 150 messages here;
/// OAUTHSMTP_RELAY_LOAD_MESSAGES=1000 is the benchmark of BENCHMARKS.md. The relay's pacing (30 a minute per
/// mailbox) is off, as is the emulator's per-minute delay: this measures the relay, not Exchange's limit.
/// </summary>
public sealed class LoadTests : RelayTestBase
{
    public LoadTests(RelayEmulatorFixture fixture, ITestOutputHelper output)
        : base(fixture, output)
    {
    }

    [Fact]
    [Trait("Category", "Slow")]
    public async Task TenDevicesToThreeMailboxesAllAccountedForWithAtMostThreeConnectionsEach()
    {
        var total = int.TryParse(Environment.GetEnvironmentVariable("OAUTHSMTP_RELAY_LOAD_MESSAGES"), NumberStyles.None, CultureInfo.InvariantCulture, out var configured) ? configured : 150;
        const int deviceCount = 10;
        var profiles = new[] { "alerts", "sales", "adele" };
        var devices = Enumerable.Range(0, deviceCount).Select(i => Relay.Device($"device{i}", profiles[i % 3], password: Password + i)).ToList();
        Relay.Configure(devices);
        await Relay.StartAsync();

        var sentIds = new ConcurrentBag<string>();
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, deviceCount).Select(i => Task.Run(async () =>
        {
            var device = devices[i];
            using var client = new SmtpClient();
            await client.ConnectAsync("127.0.0.1", Relay.Port, SecureSocketOptions.None);
            await client.AuthenticateAsync(device.UserName!, Password + i);
            for (var n = i; n < total; n += deviceCount)
            {
                var message = new MimeMessage();
                message.From.Add(MailboxAddress.Parse(device.Mailbox!));
                message.To.Add(MailboxAddress.Parse($"user{n}@fabrikam.com"));
                message.Subject = $"Load {n}";
                message.MessageId = $"load-{n}-{Guid.NewGuid():N}@device.example";
                message.Body = new TextPart("plain") { Text = $"Scan {n} from {device.Name}.\r\n" + new string('x', 2000) };
                await client.SendAsync(message);
                sentIds.Add(message.MessageId);
            }

            await client.DisconnectAsync(quit: true);
        })));
        var accepted = watch.Elapsed;

        var delivered = await WaitForDeliveredAsync(total, TimeSpan.FromMinutes(10));
        var submittedAll = watch.Elapsed;
        Assert.Equal(total, sentIds.Count);
        var byId = delivered.GroupBy(d => d.MessageId).ToDictionary(g => g.Key, g => g.Count());
        var missing = sentIds.Where(id => !byId.ContainsKey(id)).ToList();
        Assert.True(missing.Count == 0, $"{missing.Count} messages never reached Exchange, e.g. {missing.FirstOrDefault()}");
        Assert.All(byId, pair => Assert.Equal(1, pair.Value));
        Assert.Equal(total, delivered.Count);

        var status = await Relay.WaitForStatusAsync(s => (int?)s["queueDepth"] == 0 && (long?)s["submitted"] == total, TimeSpan.FromSeconds(30));
        var mailboxes = status["mailboxes"]!.AsArray();
        Assert.Equal(3, mailboxes.Count);
        Assert.All(mailboxes, m => Assert.InRange((int?)m!["peakConnections"] ?? 0, 1, 3));
        var outcomes = Relay.Outcomes();
        Assert.DoesNotContain(outcomes, e => (string?)e["errorId"] == "ConcurrentConnectionLimit");
        Assert.Equal(total, outcomes.Count(e => (string?)e["event"] == "submitted"));
        var peak = (long?)status["peakWorkingSetBytes"] ?? 0;
        Output.WriteLine(string.Format(CultureInfo.InvariantCulture,
            "{0} messages from {1} devices to 3 mailboxes: all accepted after {2:F1} s, all at Exchange after {3:F1} s ({4:F1} messages/s); peak connections per mailbox {5}; relay peak working set {6:F0} MB; Exchange connections {7}.",
            total, deviceCount, accepted.TotalSeconds, submittedAll.TotalSeconds, total / submittedAll.TotalSeconds,
            string.Join("/", mailboxes.Select(m => (int?)m!["peakConnections"])), peak / 1048576.0, Emulator.Statistics.SmtpConnections));
    }
}
