using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using OAuthSmtp.Engine.Sending;
using OAuthSmtp.Engine.Tokens;
using Xunit;

namespace OAuthSmtp.Engine.Tests.Sending;

/// <summary>
/// Every recorded Exchange Online reply of EXCHANGE-FACTS 5a, read by the engine's own pipelined transaction instead
/// of MailKit's Send, ends in the same error id (or is sent).
/// </summary>
public sealed class PipelinedTranscriptTests
{
    private const string Mailbox = "sender@contoso.com";

    public static IEnumerable<object[]> Transcripts() => SmtpReplyTranslatorTests.Transcripts();

    [Theory]
    [MemberData(nameof(Transcripts))]
    public async Task Recorded_reply_ends_in_its_error_id_when_pipelined(string name)
    {
        var transcript = RecordedTranscript.Load(name);
        var options = new SmtpSenderOptions("smtp.office365.com", 587, Mailbox, new StaticAccessTokenSource("opaque-token-for-replay"))
        {
            MaxAttempts = 1,
            Delay = (_, _) => Task.CompletedTask,
            TranscriptStream = transcript.OpenConnection,
            PipelineMessageData = true,
        };
        using var sender = new MessageSender(options);
        var message = MessageBuilder.Build(new MessageRequest { From = "ceo@contoso.com", To = { "rcpt@fabrikam.com" }, Subject = "Replay", Body = "Hello" }, Mailbox);
        var result = await sender.SendAsync(message, CancellationToken.None);
        await sender.CloseAsync(CancellationToken.None);

        if (transcript.ExpectedErrorId.Length == 0)
        {
            Assert.Equal(SendStatus.Sent, result.Status);
            Assert.StartsWith("250 2.0.0 OK", result.ServerReply);
        }
        else
        {
            Assert.Equal(SendStatus.Failed, result.Status);
            Assert.Equal(transcript.ExpectedErrorId, result.ErrorId);
        }

        if (name.StartsWith("mail-", System.StringComparison.Ordinal) || name.StartsWith("rcpt-", System.StringComparison.Ordinal))
        {
            // The BDAT and its data left together with the MAIL FROM and RCPT TO the server then refused (MailKit's
            // two-step Send never writes it after a refusal): the replies were read only after the whole write.
            Assert.Matches(@"MAIL FROM:<[^>]+>[^\r]*\r\nRCPT TO:<[^>]+>[^\r]*\r\nBDAT \d+ LAST\r\n", transcript.ClientText);
        }
    }
}
