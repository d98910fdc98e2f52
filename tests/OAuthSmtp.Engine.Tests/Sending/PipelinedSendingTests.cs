using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using OAuthSmtp.Emulator;
using OAuthSmtp.Engine.Errors;
using OAuthSmtp.Engine.Sending;
using Xunit;
using Xunit.Abstractions;
using EmuStage = OAuthSmtp.Emulator.Smtp.SmtpStage;

namespace OAuthSmtp.Engine.Tests.Sending;

/// <summary>
/// <see cref="SmtpSenderOptions.PipelineMessageData"/> against the emulator: MAIL FROM, RCPT TO and BDAT LAST with the
/// data in one write, one round trip per message, and every refusal still ends as it does with MailKit's two-step send.
/// </summary>
public sealed class PipelinedSendingTests : SenderTestBase
{
    private const string RecipientNotFound = "550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup";

    public PipelinedSendingTests(EmulatorFixture fixture, ITestOutputHelper output)
        : base(fixture, output, "oauthsmtp-pipelined-")
    {
    }

    [Fact]
    public async Task Fifty_messages_cost_at_most_one_point_two_round_trips_each_after_authentication()
    {
        var tokens = new EmulatorTokenSource(Emulator);
        using var sender = CreateSender(tokens);
        var first = await sender.SendAsync(Message(0), CancellationToken.None);
        // Everything before this point is the greeting, EHLO, STARTTLS, EHLO, AUTH and the first message.
        var afterAuthentication = Emulator.Statistics.SmtpRoundTrips;
        var accepted = Emulator.Statistics.SmtpMessagesAccepted;
        var results = new List<SendResult> { first };
        for (var i = 1; i <= 50; i++)
        {
            results.Add(await sender.SendAsync(Message(i), CancellationToken.None));
        }

        var perMessage = (Emulator.Statistics.SmtpRoundTrips - afterAuthentication) / (double)(Emulator.Statistics.SmtpMessagesAccepted - accepted);
        await sender.CloseAsync(CancellationToken.None);
        Output.WriteLine($"round trips per message after authentication: {perMessage:F2}");

        Assert.All(results, r => Assert.Equal(SendStatus.Sent, r.Status));
        Assert.All(results, r => Assert.Matches(@"^250 2\.0\.0 OK <[^>]+> \[Hostname=", r.ServerReply));
        Assert.Equal(50, Emulator.Statistics.SmtpMessagesAccepted - accepted);
        Assert.Equal(1, Emulator.Statistics.SmtpConnections);
        Assert.Equal(1, sender.Authentications);
        AssertDeliveredExactlyOnce(results);
        Assert.True(perMessage <= 1.2, $"{perMessage:F2} round trips per message");
    }

    [Fact]
    public async Task Refused_recipient_in_a_pipelined_batch_fails_that_message_only()
    {
        using var sender = CreateSender(new EmulatorTokenSource(Emulator));
        Assert.Equal(SendStatus.Sent, (await sender.SendAsync(Message(1), CancellationToken.None)).Status);
        Emulator.Faults.TransientReply = RecipientNotFound;
        Emulator.Faults.TransientReplyAt = EmuStage.RcptTo;

        var refused = await sender.SendAsync(Message(2), CancellationToken.None);
        var after = await sender.SendAsync(Message(3), CancellationToken.None);

        Assert.Equal(SendStatus.Failed, refused.Status);
        Assert.Equal(ErrorIds.RecipientRejected, refused.ErrorId);
        Assert.StartsWith("550 5.1.10", refused.ServerReply);
        Assert.Equal(1, refused.Attempts);
        Assert.Empty(Delays);
        Assert.DoesNotContain(Emulator.Delivered.All, d => d.MessageId == refused.MessageId);
        // The BDAT that travelled with the refused RCPT was answered and discarded; the connection goes on.
        Assert.Equal(SendStatus.Sent, after.Status);
        Assert.Single(Emulator.Delivered.All, d => d.MessageId == after.MessageId);
        Assert.Equal(1, Emulator.Statistics.SmtpConnections);
    }

    [Theory]
    [InlineData(EmuStage.MailFrom)]
    [InlineData(EmuStage.RcptTo)]
    [InlineData(EmuStage.EndOfData)]
    public async Task Transient_refusal_is_retried_and_delivered_once(EmuStage stage)
    {
        using var sender = CreateSender(new EmulatorTokenSource(Emulator));
        Emulator.Faults.TransientReply = "451 4.7.500 Server busy. Please try again later from [127.0.0.1]. (S77)";
        Emulator.Faults.TransientReplyAt = stage;

        var result = await sender.SendAsync(Message(1), CancellationToken.None);

        Assert.Equal(SendStatus.Sent, result.Status);
        Assert.Equal(2, result.Attempts);
        Assert.Equal(new[] { TimeSpan.FromSeconds(1) }, Delays);
        AssertDeliveredExactlyOnce(new[] { result });
        Assert.Equal(1, Emulator.Statistics.SmtpConnections);
    }

    [Fact]
    public async Task Send_as_denied_at_the_end_of_data_is_translated_and_the_connection_goes_on()
    {
        using var sender = CreateSender(new EmulatorTokenSource(Emulator));
        var denied = MessageBuilder.Build(new MessageRequest { From = Tenant.SharedMailbox, To = { "to@fabrikam.com" }, Subject = "As shared" }, Tenant.Mailbox);

        var result = await sender.SendAsync(denied, CancellationToken.None);
        var after = await sender.SendAsync(Message(2), CancellationToken.None);

        Assert.Equal(SendStatus.Failed, result.Status);
        Assert.Equal(ErrorIds.SendAsDenied, result.ErrorId);
        Assert.Equal(SendStatus.Sent, after.Status);
        Assert.Equal(1, Emulator.Statistics.SmtpConnections);
    }

    [Fact]
    public async Task Drop_after_the_message_was_stored_is_delivery_unknown_and_never_resent()
    {
        using var sender = CreateSender(new EmulatorTokenSource(Emulator), failedMessages: true);
        Emulator.Faults.DropConnectionAt = EmuStage.EndOfData;
        var result = await sender.SendAsync(Message(1), CancellationToken.None);
        var after = await sender.SendAsync(Message(2), CancellationToken.None);

        Assert.Equal(SendStatus.DeliveryUnknown, result.Status);
        Assert.Equal(1, result.Attempts);
        Assert.True(File.Exists(result.SavedMessagePath));
        Assert.Single(Emulator.Delivered.All, d => d.MessageId == result.MessageId);
        Assert.Equal(SendStatus.Sent, after.Status);
        Assert.Equal(2, Emulator.Statistics.SmtpConnections);
    }

    [Theory]
    [InlineData(EmuStage.MailFrom)]
    [InlineData(EmuStage.RcptTo)]
    public async Task Drop_at_mail_or_rcpt_after_the_pipelined_write_is_delivery_unknown(EmuStage stage)
    {
        // The price of one round trip: the data left with MAIL FROM, and a server may store a message before it
        // flushes the MAIL and RCPT replies, so a drop before any reply cannot be told from a drop after storing.
        using var sender = CreateSender(new EmulatorTokenSource(Emulator), failedMessages: true);
        Emulator.Faults.DropConnectionAt = stage;
        var result = await sender.SendAsync(Message(1), CancellationToken.None);

        Assert.Equal(SendStatus.DeliveryUnknown, result.Status);
        Assert.Equal(ErrorIds.DeliveryUnknown, result.ErrorId);
        Assert.True(File.Exists(result.SavedMessagePath));
        var resent = await sender.SendAsync(MessageSource.FromObject(result.SavedMessagePath), CancellationToken.None);
        Assert.Equal(SendStatus.Sent, resent.Status);
        Assert.Single(Emulator.Delivered.All, d => d.MessageId == result.MessageId);
    }

    [Theory]
    [InlineData(EmuStage.Banner)]
    [InlineData(EmuStage.Ehlo)]
    [InlineData(EmuStage.StartTls)]
    [InlineData(EmuStage.Auth)]
    public async Task Drop_during_the_engine_s_own_handshake_is_retried_and_delivered_once(EmuStage stage)
    {
        using var sender = CreateSender(new EmulatorTokenSource(Emulator));
        Emulator.Faults.DropConnectionAt = stage;
        var result = await sender.SendAsync(Message(1), CancellationToken.None);

        Assert.Equal(SendStatus.Sent, result.Status);
        Assert.Equal(2, result.Attempts);
        AssertDeliveredExactlyOnce(new[] { result });
        Assert.Equal(2, Emulator.Statistics.SmtpConnections);
    }

    [Fact]
    public async Task Envelope_parameters_are_those_mailkit_sends()
    {
        using var sender = CreateSender(new EmulatorTokenSource(Emulator));
        var notified = MessageBuilder.Build(
            new MessageRequest { To = { "a@fabrikam.com" }, Subject = "dsn", Body = "x", DeliveryNotificationOption = System.Net.Mail.DeliveryNotificationOptions.OnSuccess | System.Net.Mail.DeliveryNotificationOptions.OnFailure },
            Tenant.Mailbox);
        var eightBit = MessageBuilder.Build(new MessageRequest { To = { "a@fabrikam.com" }, Subject = "Grüße", Body = "Grüße 日本" }, Tenant.Mailbox);
        var international = MessageBuilder.Build(new MessageRequest { To = { "jörg@fabrikam.com" }, Subject = "Grüße", Body = "Grüße 日本" }, Tenant.Mailbox);
        var results = new[]
        {
            await sender.SendAsync(notified, CancellationToken.None),
            await sender.SendAsync(eightBit, CancellationToken.None),
            await sender.SendAsync(international, CancellationToken.None),
        };
        await sender.CloseAsync(CancellationToken.None);

        Assert.All(results, r => Assert.Equal(SendStatus.Sent, r.Status));
        AssertDeliveredExactlyOnce(results);
        var client = Emulator.Statistics.SmtpTranscripts.Single().Lines.Where(l => l.StartsWith("C: ", StringComparison.Ordinal)).ToList();
        Output.WriteLine(string.Join("\n", client.Where(l => !l.StartsWith("C: AUTH", StringComparison.Ordinal))));
        Assert.Contains(client, l => l == "C: RCPT TO:<a@fabrikam.com> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;a@fabrikam.com");
        Assert.Contains(client, l => l.StartsWith($"C: MAIL FROM:<{Tenant.Mailbox}> SIZE=", StringComparison.Ordinal) && l.EndsWith(" BODY=8BITMIME", StringComparison.Ordinal));
        Assert.Contains(client, l => l.StartsWith($"C: MAIL FROM:<{Tenant.Mailbox}> SMTPUTF8 SIZE=", StringComparison.Ordinal));
        Assert.Contains(client, l => l == "C: RCPT TO:<jörg@fabrikam.com>");
        Assert.Equal("Grüße 日本", Parse(Emulator.Delivered.All.Single(d => d.MessageId == results[2].MessageId)).TextBody!.Trim());
    }

    [Fact]
    public async Task Several_recipients_use_the_two_step_send_so_a_refusal_still_stops_the_message()
    {
        using var sender = CreateSender(new EmulatorTokenSource(Emulator));
        Emulator.Faults.TransientReply = RecipientNotFound;
        Emulator.Faults.TransientReplyAt = EmuStage.RcptTo;
        var message = MessageBuilder.Build(new MessageRequest { To = { "a@fabrikam.com", "b@fabrikam.com" }, Subject = "two" }, Tenant.Mailbox);

        var result = await sender.SendAsync(message, CancellationToken.None);

        Assert.Equal(SendStatus.Failed, result.Status);
        Assert.Equal(ErrorIds.RecipientRejected, result.ErrorId);
        Assert.Empty(Emulator.Delivered.All);
    }

    [Fact]
    public async Task Thirty_megabyte_message_is_streamed_with_the_exact_bdat_size()
    {
        var path = Path.Combine(Folder, "large.bin");
        using (var file = File.Create(path))
        {
            var block = new byte[1024 * 1024];
            new Random(8).NextBytes(block);
            for (var i = 0; i < 22; i++)
            {
                file.Write(block, 0, block.Length);
            }
        }

        using var sender = CreateSender(new EmulatorTokenSource(Emulator));
        var message = MessageBuilder.Build(new MessageRequest { To = { "big@fabrikam.com" }, Subject = "30 MB as sent", Attachments = { path } }, Tenant.Mailbox);
        var result = await sender.SendAsync(message, CancellationToken.None);

        Assert.True(result.Status == SendStatus.Sent, result.ErrorMessage + " " + result.ServerReply);
        var delivered = Parse(Emulator.Delivered.All.Single());
        Assert.True(Emulator.Delivered.All.Single().Raw.Length > 30_000_000);
        Assert.Equal(22L * 1024 * 1024, DecodedLength(delivered.Attachments.OfType<MimeKit.MimePart>().Single()));
    }

    [Fact]
    public async Task Protocol_log_shows_the_dialogue_once_and_never_the_token()
    {
        var tokens = new EmulatorTokenSource(Emulator);
        var log = Path.Combine(Folder, "smtp.log");
        using (var sender = new MessageSender(Options(tokens, log)))
        {
            await sender.SendAsync(Message(1), CancellationToken.None);
            await sender.CloseAsync(CancellationToken.None);
        }

        var text = File.ReadAllText(log);
        Output.WriteLine(text);
        var token = tokens.Issued.Single();
        Assert.Single(text.Split('\n'), l => l.StartsWith("S: 220 ", StringComparison.Ordinal) && l.Contains("ESMTP"));
        Assert.Contains("C: STARTTLS", text);
        Assert.Contains("AUTH XOAUTH2", text);
        Assert.Contains("C: BDAT ", text);
        Assert.Contains("[message data: ", text);
        Assert.Contains("S: 250 2.0.0 OK <", text);
        Assert.DoesNotContain(token, text);
        Assert.DoesNotContain(token.Split('.')[1], text);
    }

    [Fact]
    public async Task Untrusted_certificate_is_refused_before_the_token_leaves()
    {
        var options = new SmtpSenderOptions(Emulator.SmtpHost, Emulator.SmtpPort, Tenant.Mailbox, new EmulatorTokenSource(Emulator))
        {
            Delay = RecordDelay,
            PipelineMessageData = true,
            CertificateValidationForTests = (_, _, _, _) => false,
        };
        using var sender = new MessageSender(options);
        var result = await sender.SendAsync(Message(1), CancellationToken.None);

        Assert.Equal(SendStatus.Failed, result.Status);
        Assert.Equal(ErrorIds.TlsHandshakeFailed, result.ErrorId);
        Assert.Equal(0, Emulator.Statistics.SmtpCommandsByVerb.GetValueOrDefault("AUTH"));
    }

    private static MimeKit.MimeMessage Parse(DeliveredMessage delivered) => MimeKit.MimeMessage.Load(new MemoryStream(delivered.Raw));

    private static long DecodedLength(MimeKit.MimePart part)
    {
        using var decoded = new MemoryStream();
        part.Content!.DecodeTo(decoded);
        return decoded.Length;
    }

    private SmtpSenderOptions Options(EmulatorTokenSource tokens, string? log = null, bool failedMessages = false) =>
        new(Emulator.SmtpHost, Emulator.SmtpPort, Tenant.Mailbox, tokens)
        {
            Delay = RecordDelay,
            PipelineMessageData = true,
            ProtocolLogPath = log,
            FailedMessagePath = failedMessages ? Path.Combine(Folder, "failed") : null,
            CertificateValidationForTests = EmulatorTrust.Validate,
        };

    private MessageSender CreateSender(EmulatorTokenSource tokens, bool failedMessages = false) => new(Options(tokens, failedMessages: failedMessages));
}
