using System;
using System.IO;
using System.Linq;
using System.Net;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Xunit;
using Xunit.Abstractions;

namespace OAuthSmtp.Relay.Tests;

/// <summary>
/// kill -9 of the relay process: a message acknowledged to the device (250) and not yet submitted is delivered once
/// after the restart; a message caught while being submitted is reported as delivery unknown with its reason and is
/// never sent again by the relay.
/// </summary>
public sealed class CrashRecoveryTests : RelayTestBase
{
    public CrashRecoveryTests(RelayEmulatorFixture fixture, ITestOutputHelper output)
        : base(fixture, output)
    {
    }

    [Fact]
    public async Task KilledBetweenTheDevices250AndTheSubmissionDeliversOnceAfterRestart()
    {
        Relay.Configure(new[] { Relay.Device("scanner", "alerts", password: Password) });
        // The token service is down: the relay holds the message in its queue (the token comes before the submission).
        Emulator.Faults.TokenServiceOutageCount = 1_000_000;
        await Relay.StartAsync();
        var message = Clients.Message(Tenant.Mailbox, "someone@fabrikam.com", "survives kill -9");
        var run = await Clients.PythonAsync(Relay.Home, Relay.Port, "plain", "scanner", Password, Tenant.Mailbox, "someone@fabrikam.com", message);
        Assert.True(run.Succeeded, run.ToString());
        await Relay.WaitForOutcomesAsync(o => o.Any(e => (string?)e["event"] == "retrying"), TimeSpan.FromSeconds(60));

        Relay.Kill();
        Assert.Single(Relay.SpoolFiles("queued"));
        Assert.Empty(Relay.SpoolFiles("submitting"));
        Assert.Equal(0, Emulator.Delivered.Count);

        Emulator.Faults.TokenServiceOutageCount = 0;
        await Relay.StartAsync();
        var delivered = await WaitForDeliveredAsync(1, TimeSpan.FromSeconds(60));
        Assert.Equal(message, Assert.Single(delivered).Raw);
        await Relay.WaitForOutcomesAsync(o => o.Any(e => (string?)e["event"] == "submitted"), TimeSpan.FromSeconds(10));
        // A window in which a second submission would show; a slow machine only narrows it, it cannot fail the test.
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.Equal(1, Emulator.Delivered.Count);
        Assert.Empty(Relay.SpoolFiles("queued"));
        Assert.Single(Relay.SpoolFiles("done"));
    }

    [Fact]
    public async Task KilledWhileSubmittingReportsDeliveryUnknownAndNeverResends()
    {
        Relay.Configure(new[] { Relay.Device("scanner", "alerts", password: Password) });
        await Relay.StartAsync();
        // Exchange holds its end-of-data reply until this test lets it go: the submission is under way until then.
        var hold = Emulator.Faults.HoldReplies(OAuthSmtp.Emulator.Smtp.SmtpStage.EndOfData);
        var message = Clients.Message(Tenant.Mailbox, "someone@fabrikam.com", "caught in the act");
        var run = await Clients.PythonAsync(Relay.Home, Relay.Port, "plain", "scanner", Password, Tenant.Mailbox, "someone@fabrikam.com", message);
        Assert.True(run.Succeeded, run.ToString());
        await hold.AllHeld.WaitAsync(RelayHarness.MinimumCeiling);

        Assert.Single(Relay.SpoolFiles("submitting"));
        Relay.Kill();

        // The server stores the message it read whole: delivered once, and the relay must not send it again.
        hold.Release();

        await Relay.StartAsync();
        var status = await Relay.WaitForStatusAsync(s => (int?)s["deliveryUnknown"] == 1, TimeSpan.FromSeconds(10));
        Assert.Equal(0, (int?)status["queueDepth"]);
        var unknown = Assert.Single(Relay.SpoolFiles("unknown"));
        var reason = JsonNode.Parse(File.ReadAllText(Path.ChangeExtension(unknown, ".json")))!;
        Assert.Equal("DeliveryUnknown", (string?)reason["reason"]);
        Assert.Contains("not sent again", (string?)reason["message"]);
        Assert.Contains("Get-MessageTraceV2", (string?)reason["fix"]);
        var outcome = (await Relay.WaitForOutcomesAsync(o => o.Any(e => (string?)e["event"] == "unknown"), TimeSpan.FromSeconds(10))).Single(e => (string?)e["event"] == "unknown");
        Assert.Equal("DeliveryUnknown", (string?)outcome["reason"]);
        // A window in which a second submission would show; a slow machine only narrows it, it cannot fail the test.
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.True(Emulator.Delivered.Count <= 1);
        Assert.DoesNotContain(Relay.Outcomes(), e => (string?)e["event"] == "submitted");
    }

    [Fact]
    public async Task ADeviceAddedWhileTheRelayRunsCanSendWithoutARestart()
    {
        Relay.Configure(new[] { Relay.Device("scanner", "alerts", password: Password) });
        await Relay.StartAsync();
        var pid = Relay.ProcessId;

        // A device that sends without AUTH from this address: until the relay has re-read relay.json, MAIL gets 530.
        Relay.Update(config => config.Clients.Add(Relay.Device("mfp", "sales", sources: new[] { "127.0.0.1" })));
        var deadline = DateTime.UtcNow + RelayHarness.MinimumCeiling;
        string reply;
        do
        {
            await using var smtp = await RawSmtp.ConnectAsync(new IPEndPoint(IPAddress.Loopback, Relay.Port));
            await smtp.SendAsync("EHLO device");
            reply = await smtp.SendAsync($"MAIL FROM:<{Tenant.SharedMailbox}>");
            if (!reply.StartsWith("250", StringComparison.Ordinal))
            {
                await Task.Delay(250);
            }
        }
        while (!reply.StartsWith("250", StringComparison.Ordinal) && DateTime.UtcNow < deadline);

        Assert.StartsWith("250", reply);
        var message = Clients.Message(Tenant.SharedMailbox, "someone@fabrikam.com", "new device");
        var run = await Clients.PythonAsync(Relay.Home, Relay.Port, "none", null, null, Tenant.SharedMailbox, "someone@fabrikam.com", message);
        Assert.True(run.Succeeded, run.ToString());
        var delivered = Assert.Single(await WaitForDeliveredAsync(1, TimeSpan.FromSeconds(60)));
        Assert.Equal(Tenant.SharedMailbox, delivered.AuthenticatedMailbox, ignoreCase: true);
        Assert.Equal(pid, Relay.ProcessId);
    }
}
