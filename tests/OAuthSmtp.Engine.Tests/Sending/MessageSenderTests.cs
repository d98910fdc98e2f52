using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using OAuthSmtp.Emulator;
using OAuthSmtp.Engine.Errors;
using OAuthSmtp.Engine.Retries;
using OAuthSmtp.Engine.Sending;
using Xunit;
using Xunit.Abstractions;
using EmuStage = OAuthSmtp.Emulator.Smtp.SmtpStage;

namespace OAuthSmtp.Engine.Tests.Sending;

/// <summary>
/// The sender against the emulator's SMTP server: one connection, one authentication and one token for a pipeline,
/// and every fault knob with each message's outcome compared to what the server actually stored.
/// </summary>
public sealed class MessageSenderTests : SenderTestBase
{
    public MessageSenderTests(EmulatorFixture fixture, ITestOutputHelper output)
        : base(fixture, output, "oauthsmtp-sender-")
    {
    }

    [Fact]
    public async Task Many_messages_share_one_connection_one_authentication_and_one_token()
    {
        var tokens = new EmulatorTokenSource(Emulator);
        using var sender = CreateSender(tokens);
        var first = await sender.SendAsync(Message(0), CancellationToken.None);
        var roundTripsAfterFirst = Emulator.Statistics.SmtpRoundTrips;
        var results = new List<SendResult> { first };
        for (var i = 1; i < 40; i++)
        {
            results.Add(await sender.SendAsync(Message(i), CancellationToken.None));
        }

        var perMessage = (Emulator.Statistics.SmtpRoundTrips - roundTripsAfterFirst) / 39.0;
        await sender.CloseAsync(CancellationToken.None);

        Assert.All(results, r => Assert.Equal(SendStatus.Sent, r.Status));
        Assert.All(results, r => Assert.Equal(1, r.Attempts));
        Assert.Equal(1, Emulator.Statistics.SmtpConnections);
        Assert.Equal(1, Emulator.Statistics.SmtpAuthenticationsSucceeded);
        Assert.Equal(1, tokens.Requests);
        AssertDeliveredExactlyOnce(results);
        Output.WriteLine($"round trips per message after authentication: {perMessage:F2}");
        // MailKit pipelines MAIL FROM + RCPT TO, then DATA, then the data: three turns per message (DATA as MailKit
        // sends by default; Exchange paces a mailbox at 30 messages a minute, so the turns are not what limits it).
        Assert.True(perMessage <= 3.0, $"{perMessage:F2} round trips per message");
        Assert.Equal(40, Emulator.Statistics.SmtpCommandsByVerb.GetValueOrDefault("DATA"));
        Assert.Equal(0, Emulator.Statistics.SmtpCommandsByVerb.GetValueOrDefault("BDAT"));
    }

    [Fact]
    public async Task Bcc_reaches_the_envelope_but_not_the_headers()
    {
        using var sender = CreateSender(new EmulatorTokenSource(Emulator));
        var message = MessageBuilder.Build(new MessageRequest { To = { "to@fabrikam.com" }, Bcc = { "secret@fabrikam.com" }, Subject = "Bcc" }, Tenant.Mailbox);
        Assert.Equal(SendStatus.Sent, (await sender.SendAsync(message, CancellationToken.None)).Status);
        var delivered = Emulator.Delivered.All.Single();
        Assert.Contains("secret@fabrikam.com", delivered.RcptTo);
        Assert.DoesNotContain("secret@fabrikam.com", Encoding.UTF8.GetString(delivered.Raw));
    }

    [Theory]
    [InlineData(EmuStage.Banner)]
    [InlineData(EmuStage.Ehlo)]
    [InlineData(EmuStage.StartTls)]
    [InlineData(EmuStage.Auth)]
    [InlineData(EmuStage.MailFrom)]
    [InlineData(EmuStage.RcptTo)]
    [InlineData(EmuStage.Data)]
    public async Task Drop_before_the_data_is_retried_and_delivered_once(EmuStage stage)
    {
        using var sender = CreateSender(new EmulatorTokenSource(Emulator));
        Emulator.Faults.DropConnectionAt = stage;
        var result = await sender.SendAsync(Message(1), CancellationToken.None);
        var after = await sender.SendAsync(Message(2), CancellationToken.None);

        Assert.Equal(SendStatus.Sent, result.Status);
        Assert.Equal(2, result.Attempts);
        Assert.Equal(SendStatus.Sent, after.Status);
        AssertDeliveredExactlyOnce(new[] { result, after });
        Assert.Equal(2, Emulator.Statistics.SmtpConnections);
        Assert.Equal(new[] { TimeSpan.FromSeconds(1) }, Delays);
    }

    [Fact]
    public async Task Drop_after_the_message_was_stored_is_delivery_unknown_and_not_duplicated()
    {
        using var sender = CreateSender(new EmulatorTokenSource(Emulator), failedMessages: true);
        Emulator.Faults.DropConnectionAt = EmuStage.EndOfData;
        var result = await sender.SendAsync(Message(1), CancellationToken.None);
        var after = await sender.SendAsync(Message(2), CancellationToken.None);

        Assert.Equal(SendStatus.DeliveryUnknown, result.Status);
        Assert.Equal(ErrorIds.DeliveryUnknown, result.ErrorId);
        Assert.Equal(1, result.Attempts);
        Assert.Single(Emulator.Delivered.All, d => d.MessageId == result.MessageId);
        Assert.True(File.Exists(result.SavedMessagePath));
        Assert.Equal(SendStatus.Sent, after.Status);
    }

    [Fact]
    public async Task Drop_before_the_message_was_stored_is_delivery_unknown_and_saved_for_resending()
    {
        using var sender = CreateSender(new EmulatorTokenSource(Emulator), failedMessages: true);
        Emulator.Faults.DropConnectionAt = EmuStage.BeforeEndOfData;
        var result = await sender.SendAsync(Message(1), CancellationToken.None);

        Assert.Equal(SendStatus.DeliveryUnknown, result.Status);
        Assert.Empty(Emulator.Delivered.All);
        var resent = await sender.SendAsync(MessageSource.FromObject(result.SavedMessagePath), CancellationToken.None);
        Assert.Equal(SendStatus.Sent, resent.Status);
        Assert.Equal(result.MessageId, resent.MessageId);
        Assert.Single(Emulator.Delivered.All, d => d.MessageId == result.MessageId);
    }

    [Theory]
    [InlineData(EmuStage.MailFrom, "451 4.7.500 Server busy. Please try again later from [127.0.0.1]. (S77)")]
    [InlineData(EmuStage.RcptTo, "451 4.7.500 Server busy. Please try again later from [127.0.0.1]. (S77)")]
    [InlineData(EmuStage.EndOfData, "451 4.7.500 Server busy. Please try again later from [127.0.0.1]. (S77)")]
    [InlineData(EmuStage.MailFrom, "432 4.3.2 Concurrent connections limit exceeded.")]
    [InlineData(EmuStage.EndOfData, "432 4.3.2 STOREDRV.ClientSubmit; sender thread limit exceeded")]
    public async Task Transient_reply_is_retried_with_backoff(EmuStage stage, string reply)
    {
        using var sender = CreateSender(new EmulatorTokenSource(Emulator));
        Emulator.Faults.TransientReply = reply;
        Emulator.Faults.TransientReplyAt = stage;
        Emulator.Faults.TransientReplyCount = 2;
        var result = await sender.SendAsync(Message(1), CancellationToken.None);

        Assert.Equal(SendStatus.Sent, result.Status);
        Assert.Equal(3, result.Attempts);
        Assert.Equal(new[] { TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2) }, Delays);
        AssertDeliveredExactlyOnce(new[] { result });
        Assert.Equal(1, Emulator.Statistics.SmtpConnections);
    }

    /// <summary>
    /// A 4xx to EHLO: MailKit answers it with HELO, and a HELO accepted offers no STARTTLS. The user must get the
    /// server's reply, retried as a temporary failure, never "STARTTLS not offered" (which is final and blames the host).
    /// The emulator's fault counts EHLO and HELO alike: with 5, the third attempt's EHLO is refused and its HELO accepted.
    /// </summary>
    [Theory]
    [InlineData(1, SendStatus.Sent, 2)]
    [InlineData(5, SendStatus.Failed, 3)]
    public async Task A_refused_EHLO_is_the_servers_temporary_reply_not_a_missing_STARTTLS(int refusals, SendStatus expected, int attempts)
    {
        using var sender = CreateSender(new EmulatorTokenSource(Emulator));
        Emulator.Faults.TransientReply = "451 4.7.500 Server busy. Please try again later from [127.0.0.1]. (S77)";
        Emulator.Faults.TransientReplyAt = EmuStage.Ehlo;
        Emulator.Faults.TransientReplyCount = refusals;
        var result = await sender.SendAsync(Message(1), CancellationToken.None);

        Assert.Equal(expected, result.Status);
        Assert.Equal(attempts, result.Attempts);
        Assert.NotEqual(ErrorIds.StartTlsNotOffered, result.ErrorId);
        if (expected == SendStatus.Failed)
        {
            Assert.StartsWith("451 4.7.500", result.ServerReply);
            Assert.Contains("451 4.7.500", result.ErrorMessage);
        }
        else
        {
            AssertDeliveredExactlyOnce(new[] { result });
        }
    }

    [Fact]
    public async Task Transient_reply_that_outlasts_the_retries_fails_under_its_own_id()
    {
        using var sender = CreateSender(new EmulatorTokenSource(Emulator), failedMessages: true);
        Emulator.Faults.TransientReply = "432 4.3.2 Concurrent connections limit exceeded.";
        Emulator.Faults.TransientReplyAt = EmuStage.MailFrom;
        Emulator.Faults.TransientReplyCount = 10;
        var result = await sender.SendAsync(Message(1), CancellationToken.None);

        Assert.Equal(SendStatus.Failed, result.Status);
        Assert.Equal(ErrorIds.ConcurrentConnectionLimit, result.ErrorId);
        Assert.Equal(3, result.Attempts);
        Assert.StartsWith("432 4.3.2", result.ServerReply);
        Assert.Empty(Emulator.Delivered.All);
        Assert.True(File.Exists(result.SavedMessagePath));
    }

    [Fact]
    public async Task A_fourth_simultaneous_submission_gets_432_at_the_end_of_data_and_is_retried_once_the_others_finish()
    {
        // Exchange limits simultaneous submissions per mailbox to 3 and answers the fourth 432 4.3.2 after its data
        // (THROTTLE-DOC; EXCHANGE-FACTS 5a). Three senders' messages are held at the end of data (until this test lets
        // them go, not for a time), a fourth sends.
        var senders = Enumerable.Range(0, 3).Select(_ => CreateSender(new EmulatorTokenSource(Emulator))).ToList();
        var hold = Emulator.Faults.HoldReplies(EmuStage.EndOfData, count: 3);
        var held = senders.Select((sender, i) => sender.SendAsync(Message(i), CancellationToken.None)).ToArray();
        await hold.AllHeld.WaitAsync(TimeSpan.FromMinutes(2));

        var waits = new List<TimeSpan>();
        using var fourth = new MessageSender(EmulatorOptions().With(options => options.Clock = new RetryClock(() => Time.Now, async (delay, _) =>
        {
            // The retry's wait: the three held submissions end now, and the retry goes once they are done.
            waits.Add(delay);
            hold.Release();
            await Task.WhenAll(held);
        })));
        try
        {
            var result = await fourth.SendAsync(Message(3), CancellationToken.None);
            var first = await Task.WhenAll(held);

            Assert.All(first, r => Assert.True(r.Status == SendStatus.Sent, r.ErrorMessage));
            Assert.Equal(SendStatus.Sent, result.Status);
            Assert.Equal(2, result.Attempts);
            Assert.Single(waits);
            Assert.Equal(1, fourth.Connections);
            AssertDeliveredExactlyOnce(first.Append(result));
        }
        finally
        {
            senders.ForEach(s => s.Dispose());
        }
    }

    [Fact]
    public async Task Four_open_connections_of_a_mailbox_all_send_because_Exchange_limits_simultaneous_submissions_not_connections()
    {
        var senders = Enumerable.Range(0, 4).Select(_ => CreateSender(new EmulatorTokenSource(Emulator))).ToList();
        try
        {
            var results = new List<SendResult>();
            foreach (var sender in senders)
            {
                results.Add(await sender.SendAsync(Message(results.Count), CancellationToken.None));
            }

            // THROTTLE-DOC: 3 messages *submitted* at once; one after the other over four open connections is fine.
            Assert.All(results, r => Assert.Equal(SendStatus.Sent, r.Status));
            Assert.Equal(4, Emulator.Delivered.Count);
        }
        finally
        {
            senders.ForEach(s => s.Dispose());
        }
    }

    [Fact]
    public async Task Token_expiring_mid_pipeline_renews_between_messages_without_loss_or_duplicates()
    {
        var tokens = new EmulatorTokenSource(Emulator);
        Emulator.Faults.TokenLifetimeSeconds = 600;
        using var sender = CreateSender(tokens);
        var results = new List<SendResult>();
        for (var i = 0; i < 10; i++)
        {
            if (i == 5)
            {
                // Nine minutes later for both sides: within the 2-minute renewal margin of the 10-minute token.
                Time.Advance(TimeSpan.FromMinutes(9));
                Emulator.Clock.Advance(TimeSpan.FromMinutes(9));
            }

            results.Add(await sender.SendAsync(Message(i), CancellationToken.None));
        }

        Assert.All(results, r => Assert.Equal(SendStatus.Sent, r.Status));
        AssertDeliveredExactlyOnce(results);
        Assert.Equal(2, tokens.Requests);
        Assert.Equal(1, tokens.ForcedRefreshes);
        Assert.Equal(2, Emulator.Statistics.SmtpConnections);
        Assert.Equal(2, Emulator.Statistics.SmtpAuthenticationsSucceeded);
    }

    [Fact]
    public async Task Send_as_denied_fails_that_message_and_the_pipeline_goes_on()
    {
        using var sender = CreateSender(new EmulatorTokenSource(Emulator));
        var denied = MessageBuilder.Build(new MessageRequest { From = Tenant.SharedMailbox, To = { "to@fabrikam.com" }, Subject = "As shared" }, Tenant.Mailbox);
        var result = await sender.SendAsync(denied, CancellationToken.None);
        var after = await sender.SendAsync(Message(2), CancellationToken.None);

        Assert.Equal(SendStatus.Failed, result.Status);
        Assert.Equal(ErrorIds.SendAsDenied, result.ErrorId);
        Assert.Contains($"Add-RecipientPermission -Identity '{Tenant.SharedMailbox}'", result.GetError()!.Fix);
        Assert.Equal(1, result.Attempts);
        Assert.Equal(SendStatus.Sent, after.Status);
        Assert.Equal(1, Emulator.Statistics.SmtpConnections);
    }

    [Fact]
    public async Task Authentication_failure_is_translated_and_not_retried()
    {
        // The app holds FullAccess on the scenario's mailbox only: presenting its token for the shared mailbox fails.
        var mailbox = Tenant.SharedMailbox;
        using var sender = new MessageSender(EmulatorOptions(mailbox));
        var message = MessageBuilder.Build(new MessageRequest { To = { "to@fabrikam.com" } }, mailbox);
        var result = await sender.SendAsync(message, CancellationToken.None);

        Assert.Equal(SendStatus.Failed, result.Status);
        Assert.Equal(ErrorIds.SmtpAuthenticationFailed, result.ErrorId);
        Assert.StartsWith("535 5.7.3", result.ServerReply);
        Assert.Empty(Delays);
    }

    [Fact]
    public async Task Message_over_the_advertised_size_is_refused_before_mail_from()
    {
        Emulator.Faults.SmtpSettings.MaxMessageSize = 10_000;
        var path = Path.Combine(Folder, "big.bin");
        File.WriteAllBytes(path, new byte[20_000]);
        using var sender = CreateSender(new EmulatorTokenSource(Emulator));
        var message = MessageBuilder.Build(new MessageRequest { To = { "to@fabrikam.com" }, Attachments = { path } }, Tenant.Mailbox);
        var result = await sender.SendAsync(message, CancellationToken.None);

        Assert.Equal(SendStatus.Failed, result.Status);
        Assert.Equal(ErrorIds.MessageTooLarge, result.ErrorId);
        Assert.Equal(0, Emulator.Statistics.SmtpCommandsByVerb.GetValueOrDefault("MAIL"));
        Assert.Equal(SendStatus.Sent, (await sender.SendAsync(Message(2), CancellationToken.None)).Status);
    }

    [Fact]
    public async Task Protocol_log_is_written_redacted()
    {
        var tokens = new EmulatorTokenSource(Emulator);
        var log = Path.Combine(Folder, "smtp.log");
        using (var sender = new MessageSender(new SmtpSenderOptions(Emulator.SmtpHost, Emulator.SmtpPort, Tenant.Mailbox, tokens) { ProtocolLogPath = log }))
        {
            await sender.SendAsync(Message(1), CancellationToken.None);
            await sender.CloseAsync(CancellationToken.None);
        }

        var text = File.ReadAllText(log);
        var token = tokens.Issued.Single();
        var blob = Convert.ToBase64String(Encoding.UTF8.GetBytes($"user={Tenant.Mailbox}\u0001auth=Bearer {token}\u0001\u0001"));
        Assert.Contains("AUTH XOAUTH2", text);
        Assert.Contains("DATA", text);
        Assert.DoesNotContain(token, text);
        Assert.DoesNotContain(blob, text);
        Assert.DoesNotContain(blob.Substring(0, 40), text);
        Assert.DoesNotContain(token.Split('.')[1], text);
    }

    [Fact]
    public async Task Cancellation_reports_the_message_as_not_sent()
    {
        using var sender = CreateSender(new EmulatorTokenSource(Emulator), failedMessages: true);
        var greeting = Emulator.Faults.HoldReplies(EmuStage.Banner);
        using var cancel = new CancellationTokenSource();
        var sending = sender.SendAsync(Message(1), cancel.Token);
        await greeting.AllHeld.WaitAsync(TimeSpan.FromMinutes(2));
        cancel.Cancel();
        var result = await sending;

        // Stopped while the server holds its greeting: nothing was handed over.
        Assert.Equal(SendStatus.Cancelled, result.Status);
        Assert.Equal(ErrorIds.OperationStopped, result.ErrorId);
        Assert.True(File.Exists(result.SavedMessagePath));
        Assert.Equal(0, Emulator.Statistics.SmtpCommandsByVerb.GetValueOrDefault("MAIL"));
        greeting.Release();
        var skipped = await sender.SendAsync(Message(2), cancel.Token);
        Assert.Equal(SendStatus.Cancelled, skipped.Status);
        Assert.Equal(ErrorIds.OperationStopped, skipped.ErrorId);
        Assert.DoesNotContain(Emulator.Delivered.All, d => d.MessageId == skipped.MessageId);
    }

    [Fact]
    public async Task Stop_after_the_data_is_delivery_unknown_saved_apart_and_summarised()
    {
        // Ctrl+C while the server holds the reply to a message it has read whole: the message may be delivered, so
        // it must not land among the unsent messages that "resend the folder" would send again.
        using var sender = CreateSender(new EmulatorTokenSource(Emulator), failedMessages: true);
        Assert.Equal(SendStatus.Sent, (await sender.SendAsync(Message(0), CancellationToken.None)).Status);
        var hold = Emulator.Faults.HoldReplies(EmuStage.EndOfData);
        using var cancel = new CancellationTokenSource();
        var sending = sender.SendAsync(Message(1), cancel.Token);
        await hold.AllHeld.WaitAsync(TimeSpan.FromMinutes(2));
        cancel.Cancel();
        var inFlight = await sending;
        var skipped = await sender.SendAsync(Message(2), cancel.Token);

        var failed = Path.Combine(Folder, "failed");
        Assert.Equal(SendStatus.DeliveryUnknown, inFlight.Status);
        Assert.Equal(ErrorIds.DeliveryUnknown, inFlight.ErrorId);
        Assert.Contains("Get-MessageTraceV2", inFlight.GetError()!.Fix);
        Assert.Equal(Path.Combine(failed, "DeliveryUnknown"), Path.GetDirectoryName(inFlight.SavedMessagePath));
        Assert.Equal(SendStatus.Cancelled, skipped.Status);
        Assert.Equal(failed, Path.GetDirectoryName(skipped.SavedMessagePath));
        Assert.Single(Directory.GetFiles(failed, "*.eml"));
        var summary = sender.Summary();
        Assert.Contains("1 sent, 1 delivery unknown, 1 not sent", summary);
        Assert.Contains(Path.Combine(failed, "DeliveryUnknown"), summary);
        Assert.Contains(failed + ".", summary);

        // The server still holds the abandoned submission; let it end so it takes no later test's slot.
        hold.Release();
        for (var waited = 0; Emulator.Statistics.SmtpMessagesAccepted < 2 && waited < 2400; waited++)
        {
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task Pacing_spaces_messages_to_the_rate_asked_for()
    {
        using var sender = new MessageSender(EmulatorOptions().With(options => options.MessagesPerMinute = 30));
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(SendStatus.Sent, (await sender.SendAsync(Message(i), CancellationToken.None)).Status);
        }

        Assert.Equal(Enumerable.Repeat(TimeSpan.FromSeconds(2), 3), Delays);
    }

    private MessageSender CreateSender(EmulatorTokenSource tokens, bool failedMessages = false) =>
        new(EmulatorOptions(tokens: tokens).With(options => options.FailedMessagePath = failedMessages ? Path.Combine(Folder, "failed") : null));
}
