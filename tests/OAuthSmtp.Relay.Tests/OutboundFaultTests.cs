using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using OAuthSmtp.Emulator.Smtp;
using Xunit;
using Xunit.Abstractions;

namespace OAuthSmtp.Relay.Tests;

/// <summary>
/// Exchange (the emulator) failing at every SMTP stage of the outbound leg, and refusing for good for each class of
/// reason: every message ends delivered (once), dead-lettered with its reason class and fix, or delivery unknown.
/// Each case sends as a mailbox of its own, so it starts on a fresh connection and its faults hit the stage named.
/// </summary>
public sealed class OutboundFaultTests : RelayTestBase
{
    private static readonly SmtpStage[] Stages =
    {
        SmtpStage.Banner, SmtpStage.Ehlo, SmtpStage.StartTls, SmtpStage.Auth, SmtpStage.MailFrom,
        SmtpStage.RcptTo, SmtpStage.Data,
    };

    public OutboundFaultTests(RelayEmulatorFixture fixture, ITestOutputHelper output)
        : base(fixture, output)
    {
    }

    [Fact]
    public async Task EveryMessageEndsDeliveredDeadLetteredWithAReasonOrDeliveryUnknown()
    {
        var cases = new List<(string Name, Action Arm, string Expected, string? Reason, string From)>();
        var devices = new List<OAuthSmtp.Engine.Relay.RelayClient>();
        string Mailbox(string alias)
        {
            var address = Fixture.AddMailbox(Tenant, alias);
            devices.Add(Relay.Device(alias, "alerts", password: Password, mailbox: address, allowedSenders: new[] { address, Tenant.SharedMailbox }));
            return address;
        }

        foreach (var stage in Stages)
        {
            var drop = Mailbox("drop-" + stage.ToString().ToLowerInvariant());
            cases.Add(($"dropped at {stage}", () => Emulator.Faults.DropConnectionAt = stage, "submitted", null, drop));
            var transient = Mailbox("busy-" + stage.ToString().ToLowerInvariant());
            cases.Add(($"451 at {stage}", () => Emulator.Faults.TransientReplyAt = stage, "submitted", null, transient));
        }

        // The connection lost after the final dot: the relay cannot know whether Exchange kept the message, whether
        // Exchange had stored it (EndOfData) or not (BeforeEndOfData).
        var discarded = Mailbox("lost-before-store");
        cases.Add(("dropped after the data (not stored)", () => Emulator.Faults.DropConnectionAt = SmtpStage.BeforeEndOfData, "unknown", "DeliveryUnknown", discarded));
        var busyBeforeStore = Mailbox("busy-beforeendofdata");
        cases.Add(("451 after the data, before storing", () => Emulator.Faults.TransientReplyAt = SmtpStage.BeforeEndOfData, "submitted", null, busyBeforeStore));
        var lost = Mailbox("lost-reply");
        cases.Add(("dropped after the data (reply lost)", () => Emulator.Faults.DropConnectionAt = SmtpStage.EndOfData, "unknown", "DeliveryUnknown", lost));
        var refusedData = Mailbox("busy-endofdata");
        cases.Add(("451 to the data", () => Emulator.Faults.TransientReplyAt = SmtpStage.EndOfData, "submitted", null, refusedData));
        var concurrent = Mailbox("concurrency-once");
        cases.Add(("432 once", () => { Emulator.Faults.TransientReply = "432 4.3.2 Concurrent connections limit exceeded."; Emulator.Faults.TransientReplyAt = SmtpStage.EndOfData; }, "submitted", null, concurrent));
        var alwaysBusy = Mailbox("concurrency-always");
        cases.Add(("432 every time", () => { Emulator.Faults.TransientReply = "432 4.3.2 Concurrent connections limit exceeded."; Emulator.Faults.TransientReplyAt = SmtpStage.EndOfData; Emulator.Faults.TransientReplyCount = 1000; }, "dead", "RetriesExhausted", alwaysBusy));
        var sendAs = Mailbox("sendas");
        cases.Add(("Send As denied", () => { }, "dead", "SendAs", "from-shared:" + sendAs));
        var size = Mailbox("small");
        cases.Add(("over the mailbox's MaxSendSize", () => Fixture.Mailbox(size).MaxSendSize = 300, "dead", "Size", size));
        var disabled = Mailbox("smtp-off");
        cases.Add(("SMTP AUTH off for the mailbox", () => Fixture.Mailbox(disabled).SmtpClientAuthenticationDisabled = true, "dead", "Configuration", disabled));
        var throttled = Mailbox("throttled");
        cases.Add(("a first Send As refusal", () => Emulator.Faults.SmtpSettings.ContinuousErrorThreshold = 1, "dead", "SendAs", "from-shared:" + throttled));
        cases.Add(("the mailbox locked out (550 5.2.252)", () => { }, "dead", "ThrottledMailbox", throttled));

        Relay.Configure(devices, config => config.Limits.MaxDeliveryAttempts = 4);
        await Relay.StartAsync();

        var failures = new List<string>();
        foreach (var (name, arm, expected, reason, target) in cases)
        {
            var (mailbox, from) = target.StartsWith("from-shared:", StringComparison.Ordinal)
                ? (target["from-shared:".Length..], Tenant.SharedMailbox)
                : (target, target);
            arm();
            var id = await SendAsync(mailbox, from, name);
            var final = await FinalAsync(id);
            Emulator.Faults.DropConnectionAt = null;
            Emulator.Faults.DropConnectionCount = 0;
            Emulator.Faults.TransientReplyAt = null;
            Emulator.Faults.TransientReplyCount = 0;
            Emulator.Faults.TransientReply = OAuthSmtp.Emulator.EmulatorFaults.DefaultTransientSmtpReply;
            var got = (string?)final["event"];
            var gotReason = (string?)final["reason"];
            Output.WriteLine($"{name}: {got} {gotReason} {(string?)final["reply"]} (attempts {(int?)final["attempts"]})");
            if (got != expected || (reason is not null && gotReason != reason))
            {
                failures.Add($"{name}: expected {expected} {reason}, got {got} {gotReason}: {final.ToJsonString()}");
            }

            var now = Emulator.Delivered.All.Count(d => d.Subject == name);
            var expectedCopies = expected == "submitted" ? 1 : name == "dropped after the data (reply lost)" ? 1 : 0;
            if (now != expectedCopies)
            {
                failures.Add($"{name}: Exchange holds {now} copies, expected {expectedCopies}.");
            }

            if (expected != "submitted")
            {
                var folder = expected == "dead" ? "dead" : "unknown";
                var why = Path.Combine(Relay.SpoolPath, folder, id + ".json");
                if (!File.Exists(why) || !File.Exists(Path.Combine(Relay.SpoolPath, folder, id + ".msg")))
                {
                    failures.Add($"{name}: the message and its reason are not in {folder}/.");
                }
                else if (JsonNode.Parse(File.ReadAllText(why))!["fix"] is null)
                {
                    failures.Add($"{name}: the reason file names no fix.");
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
        // status.json is rewritten every few seconds: one written before the last dead letter may still be on disk.
        var dead = cases.Count(c => c.Expected == "dead");
        var unknown = cases.Count(c => c.Expected == "unknown");
        var status = await Relay.WaitForStatusAsync(s => (int?)s["queueDepth"] == 0 && (int?)s["deadLetters"] == dead && (int?)s["deliveryUnknown"] == unknown, TimeSpan.FromSeconds(20));
        Assert.Equal(dead, (int?)status["deadLetters"]);
        Assert.Equal(unknown, (int?)status["deliveryUnknown"]);
        Assert.Contains(status["mailboxes"]!.AsArray(), m => (string?)m!["mailbox"] == throttled && m["pausedUntil"] is not null);
    }

    private async Task<string> SendAsync(string device, string from, string subject)
    {
        await using var smtp = await RawSmtp.ConnectAsync(new IPEndPoint(IPAddress.Loopback, Relay.Port));
        await smtp.SendAsync("EHLO device");
        var alias = device.Split('@')[0];
        Assert.StartsWith("235", await smtp.SendAsync("AUTH PLAIN " + RawSmtp.Plain(alias, Password)));
        Assert.StartsWith("250", await smtp.SendAsync($"MAIL FROM:<{from}>"));
        Assert.StartsWith("250", await smtp.SendAsync("RCPT TO:<someone@fabrikam.com>"));
        var reply = await smtp.DataAsync($"From: <{from}>\r\nTo: <someone@fabrikam.com>\r\nSubject: {subject}\r\nMessage-ID: <{Guid.NewGuid():N}@device.example>\r\n\r\n{new string('x', 400)}\r\n");
        Assert.StartsWith("250", reply);
        return reply.Split(' ').Last();
    }

    private async Task<JsonNode> FinalAsync(string id)
    {
        var outcomes = await Relay.WaitForOutcomesAsync(o => o.Any(e => (string?)e["id"] == id && (string?)e["event"] is "submitted" or "dead" or "unknown"), TimeSpan.FromSeconds(90));
        return outcomes.Last(e => (string?)e["id"] == id && (string?)e["event"] is "submitted" or "dead" or "unknown");
    }
}
