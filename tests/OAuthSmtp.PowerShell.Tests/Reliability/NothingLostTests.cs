using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using OAuthSmtp.PowerShell.Tests.Infrastructure;
using OAuthSmtp.PowerShell.Tests.Sending;
using Xunit;
using Xunit.Abstractions;

namespace OAuthSmtp.PowerShell.Tests.Reliability;

/// <summary>
/// 1,000 messages through one Send-SmtpOAuthMessage pipeline while faults fire at random (seeded) at every stage the
/// emulator offers: dropped connections from the banner to after the message was stored, 451 and 432 replies, held
/// replies. The emulator's delivered set is compared with what the cmdlet reported, message by message.
/// </summary>
public sealed class NothingLostTests : SendTestBase
{
    private const int Messages = 1_000;
    private const int Seed = 20_261_123;
    private static readonly string[] DropStages = { "Banner", "Ehlo", "StartTls", "Auth", "MailFrom", "RcptTo", "Data", "BeforeEndOfData", "EndOfData" };
    private static readonly string[] TransientStages = { "MailFrom", "RcptTo", "EndOfData" };
    private static readonly string[] TransientReplies = { "451 4.7.500 Server busy. Please try again later from [127.0.0.1]. (S77)", "432 4.3.2 Concurrent connections limit exceeded." };

    private readonly ITestOutputHelper _output;

    public NothingLostTests(EmulatorFixture fixture, ITestOutputHelper output)
        : base(fixture)
    {
        _output = output;
    }

    [Fact]
    public void A_thousand_messages_under_random_faults_are_each_delivered_once_or_reported_and_saved()
    {
        Start();
        var random = new Random(Seed);
        var plan = new string?[Messages];
        for (var i = 0; i < Messages; i++)
        {
            var roll = random.NextDouble();
            plan[i] = roll switch
            {
                < 0.05 => "drop:" + DropStages[random.Next(DropStages.Length)],
                < 0.08 => $"transient:{TransientStages[random.Next(TransientStages.Length)]}:{TransientReplies[random.Next(TransientReplies.Length)]}",
                < 0.10 => "throttle",
                _ => null,
            };
        }

        var failedFolder = Path.Combine(Folder, "failed");
        var watch = Stopwatch.StartNew();
        var result = Run(
            """
            param($Plan, $Failed, $Count)
            $faults = $OAuthSmtpEmulator.Faults
            0..($Count - 1) | ForEach-Object {
                $step = $Plan[$_]
                if ($step) {
                    $part = $step.Split(':', 3)
                    switch ($part[0]) {
                        'drop' { $faults.DropConnectionAt = [OAuthSmtp.Emulator.Smtp.SmtpStage]$part[1] }
                        'transient' { $faults.TransientReply = $part[2]; $faults.TransientReplyAt = [OAuthSmtp.Emulator.Smtp.SmtpStage]$part[1] }
                        'throttle' { $faults.ThrottleDelayMs = 20; $faults.ThrottleCount = 1 }
                    }
                }

                [pscustomobject]@{ To = "rcpt$_@fabrikam.com"; Subject = ('NL-{0:0000}' -f $_); Body = "Message $_ of the nothing-lost run." }
            } | Send-SmtpOAuthMessage -Profile Emu -PassThru -FailedMessagePath $Failed -RetryIntervalSec 0 -TimeoutSec 10
            """,
            new Dictionary<string, object?> { ["Plan"] = plan, ["Failed"] = failedFolder, ["Count"] = Messages });
        watch.Stop();
        Assert.False(result.HadTerminatingError, result.ErrorText);

        // What the cmdlet said about each message: a -PassThru result, or an error record carrying the result.
        var reported = new Dictionary<string, List<(string Status, string? Saved, string? ErrorId)>>(StringComparer.Ordinal);
        void Report(string subject, string status, string? saved, string? errorId)
        {
            if (!reported.TryGetValue(subject, out var list))
            {
                reported[subject] = list = new();
            }

            list.Add((status, saved, errorId));
        }

        foreach (var item in result.Output)
        {
            Report((string)item.Properties["Subject"].Value, item.Properties["Status"].Value.ToString()!, item.Properties["SavedMessagePath"].Value as string, null);
        }

        var errorRecordsCarryingTheMessage = 0;
        foreach (var record in result.Errors)
        {
            var target = System.Management.Automation.PSObject.AsPSObject(record.TargetObject);
            Assert.Equal("OAuthSmtp.Engine.Sending.SendResult", target.BaseObject.GetType().FullName);
            // The result holds the message itself (Send-SmtpOAuthMessage -Message takes it back); its subject names it here.
            Assert.StartsWith("NL-", (string)target.Properties["Subject"].Value);
            Assert.False(string.IsNullOrEmpty((string)target.Properties["MessageId"].Value));
            errorRecordsCarryingTheMessage++;
        }

        var delivered = Emulator.Delivered.All.GroupBy(d => d.Subject).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        int lost = 0, unreported = 0, duplicates = 0, unknown = 0, failed = 0, sent = 0, unsaved = 0, unexplainedUnknown = 0;
        var problems = new List<string>();
        for (var i = 0; i < Messages; i++)
        {
            var subject = $"NL-{i:0000}";
            var copies = delivered.GetValueOrDefault(subject);
            if (!reported.TryGetValue(subject, out var outcomes) || outcomes.Count != 1)
            {
                unreported++;
                problems.Add($"{subject}: reported {outcomes?.Count ?? 0} times (plan {plan[i]})");
                continue;
            }

            var (status, saved, _) = outcomes[0];
            switch (status)
            {
                case "Sent":
                    sent++;
                    if (copies == 0)
                    {
                        lost++;
                        problems.Add($"{subject}: reported sent, never delivered (plan {plan[i]})");
                    }

                    break;
                case "DeliveryUnknown":
                    unknown++;
                    if (plan[i] is not ("drop:Data" or "drop:BeforeEndOfData" or "drop:EndOfData"))
                    {
                        unexplainedUnknown++;
                        problems.Add($"{subject}: delivery unknown without a drop after the data (plan {plan[i]})");
                    }

                    break;
                default:
                    failed++;
                    if (copies > 0)
                    {
                        problems.Add($"{subject}: reported {status} but delivered (plan {plan[i]})");
                        duplicates++;
                    }

                    break;
            }

            if (copies > 1)
            {
                duplicates++;
                problems.Add($"{subject}: delivered {copies} times (plan {plan[i]})");
            }

            if (status != "Sent" && (saved is null || !File.Exists(saved) || !File.ReadAllText(saved).Contains(subject, StringComparison.Ordinal)))
            {
                unsaved++;
                problems.Add($"{subject}: {status} but not saved to -FailedMessagePath");
            }
        }

        // Every drop after the data ends as "delivery unknown", never as a silent retry.
        var dropsAfterData = plan.Count(p => p is "drop:BeforeEndOfData" or "drop:EndOfData");
        var faults = plan.Count(p => p is not null);
        _output.WriteLine($"{Messages} messages, {faults} faults planned (seed {Seed}), {watch.Elapsed.TotalSeconds:F1} s, {Emulator.Statistics.SmtpConnections} connections: " +
                          $"{sent} sent, {unknown} delivery unknown, {failed} failed; lost {lost}, unreported {unreported}, duplicates {duplicates}, unsaved {unsaved}");
        ReliabilityFigures.Record("nothinglost.messages", Messages);
        ReliabilityFigures.Record("nothinglost.faults", faults);
        ReliabilityFigures.Record("nothinglost.sent", sent);
        ReliabilityFigures.Record("nothinglost.deliveryunknown", unknown);
        ReliabilityFigures.Record("nothinglost.failed", failed);
        ReliabilityFigures.Record("nothinglost.lost", lost + unreported + duplicates + unsaved + unexplainedUnknown);
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems.Take(30)));
        Assert.Equal(unknown + failed, errorRecordsCarryingTheMessage);
        Assert.True(unknown >= dropsAfterData, $"{dropsAfterData} drops after the data, {unknown} reported as delivery unknown");
        Assert.Equal(sent + (delivered.Count - sent), delivered.Count);
        Assert.True(sent > Messages * 0.9, $"only {sent} of {Messages} sent");
    }
}
