using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using OAuthSmtp.Engine.Errors;
using OAuthSmtp.Engine.Secrets;
using OAuthSmtp.Engine.Retries;
using OAuthSmtp.Engine.Sending;
using OAuthSmtp.Engine.Tokens;
using Xunit;

namespace OAuthSmtp.Engine.Tests.Sending;

/// <summary>
/// What the sender writes about a message: the protocol log holds the dialogue and not the content unless asked,
/// the files it writes are readable by their owner only on Unix, and a server that echoes the token or the XOAUTH2
/// string gets it redacted from ServerReply, the error (with its inner exceptions) and the protocol log.
/// </summary>
public sealed class ProtocolLogAndRedactionTests : IDisposable
{
    private const string Mailbox = "sender@contoso.com";

    // JWT-shaped, so each segment is long enough to be redacted on its own too.
    private const string Token = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJodHRwczovL291dGxvb2sub2ZmaWNlMzY1LmNvbSIsInJvbGVzIjpbIlNNVFAuU2VuZEFzQXBwIl19.c2lnbmF0dXJlLW9mLXRoZS10b2tlbi1mb3ItcmVkYWN0aW9uLXRlc3Rz";

    private readonly string _folder = Directory.CreateTempSubdirectory("oauthsmtp-log-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static string Blob => Convert.ToBase64String(Encoding.UTF8.GetBytes($"user={Mailbox}\u0001auth=Bearer {Token}\u0001\u0001"));

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Protocol_log_holds_the_dialogue_and_the_content_only_when_asked(bool logContent)
    {
        var log = Path.Combine(_folder, "smtp.log");
        var transcript = RecordedTranscript.Load("send-250-ok");
        var result = await SendAsync(transcript, o =>
        {
            o.ProtocolLogPath = log;
            o.ProtocolLogContent = logContent;
        });

        Assert.Equal(SendStatus.Sent, result.Status);
        var text = File.ReadAllText(log);
        Assert.Contains("MAIL FROM:<sender@contoso.com>", text);
        Assert.Contains("DATA", text);
        Assert.Contains("250 2.0.0 OK", text);
        if (logContent)
        {
            Assert.Contains("Body of the secret report", text);
            Assert.Contains("Subject: Report", text);
        }
        else
        {
            Assert.DoesNotContain("Body of the secret report", text);
            Assert.DoesNotContain("Subject: Report", text);
            Assert.Contains("message content not logged", text);
        }

        if (UnixPermissions.Applies)
        {
            Assert.Equal(UnixPermissions.OwnerReadWrite, UnixPermissions.Get(log)! & 0x1FF);
        }
    }

    [Fact]
    public async Task Saved_messages_are_readable_by_their_owner_only_and_leave_no_temporary_file()
    {
        var failed = Path.Combine(_folder, "failed");
        var result = await SendAsync(RecordedTranscript.Load("rcpt-550-5.1.10"), o => o.FailedMessagePath = failed);

        Assert.Equal(SendStatus.Failed, result.Status);
        Assert.True(File.Exists(result.SavedMessagePath));
        Assert.Single(Directory.GetFiles(failed, "*", SearchOption.AllDirectories));
        if (UnixPermissions.Applies)
        {
            Assert.Equal(UnixPermissions.OwnerReadWrite, UnixPermissions.Get(result.SavedMessagePath!)! & 0x1FF);
        }
    }

    [Fact]
    public async Task Auth_reply_echoing_the_xoauth2_string_is_redacted_everywhere()
    {
        var log = Path.Combine(_folder, "smtp.log");
        var lines = Dialogue().TakeWhile(l => !l.StartsWith("S: 235", StringComparison.Ordinal)).ToList();
        lines.Add($"S: 535 5.7.3 Authentication unsuccessful, could not decode {Blob} for {Token} [SY5P282CA0097.ausp282.prod.outlook.com]");
        var transcript = RecordedTranscript.FromLines("auth-echo", lines);
        var result = await SendAsync(transcript, o => o.ProtocolLogPath = log);

        Assert.Equal(ErrorIds.SmtpAuthenticationFailed, result.ErrorId);
        AssertNoSecret(result, File.ReadAllText(log));
        Assert.Contains(SecretRedactor.Mask, result.ServerReply);
    }

    [Fact]
    public async Task Recipient_reply_echoing_part_of_the_token_is_redacted_everywhere()
    {
        var log = Path.Combine(_folder, "smtp.log");
        var lines = Dialogue().TakeWhile(l => !l.StartsWith("C: MAIL", StringComparison.Ordinal)).ToList();
        lines.Add("C: MAIL FROM:<sender@contoso.com>");
        lines.Add("C: RCPT TO:<rcpt@fabrikam.com>");
        lines.Add("S: 250 2.1.0 Sender OK");
        lines.Add($"S: 550 5.1.10 RESOLVER.ADR.RecipientNotFound; token was {Token.Split('.')[1]}");
        lines.Add("S: 250 2.0.0 Resetting");
        lines.Add("S: 221 2.0.0 Service closing transmission channel");
        var result = await SendAsync(RecordedTranscript.FromLines("rcpt-echo", lines), o => o.ProtocolLogPath = log);

        Assert.Equal(ErrorIds.RecipientRejected, result.ErrorId);
        AssertNoSecret(result, File.ReadAllText(log));
    }

    private static IEnumerable<string> Dialogue() =>
        File.ReadAllLines(Path.Combine(RecordedTranscript.Folder(), "send-250-ok.txt")).Where(l => !l.StartsWith("#", StringComparison.Ordinal));

    private static void AssertNoSecret(SendResult result, string log)
    {
        var texts = new List<string?> { result.ServerReply, result.ErrorMessage, result.GetError()!.Fix, log };
        for (Exception? e = result.GetError(); e is not null; e = e.InnerException)
        {
            texts.Add(e.Message);
            texts.Add(e.ToString());
        }

        foreach (var text in texts.Where(t => t is not null))
        {
            Assert.DoesNotContain(Token, text);
            Assert.DoesNotContain(Blob, text);
            foreach (var segment in Token.Split('.'))
            {
                Assert.DoesNotContain(segment, text);
            }
        }
    }

    private static async Task<SendResult> SendAsync(RecordedTranscript transcript, Action<SmtpSenderOptions> configure)
    {
        var options = new SmtpSenderOptions("smtp.office365.com", 587, Mailbox, new StaticAccessTokenSource(Token))
        {
            Retry = RetryPolicy.None,
            TranscriptStream = transcript.OpenConnection,
        };
        configure(options);
        using var sender = new MessageSender(options);
        var message = MessageBuilder.Build(new MessageRequest { To = { "rcpt@fabrikam.com" }, Subject = "Report", Body = "Body of the secret report" }, Mailbox);
        var result = await sender.SendAsync(message, CancellationToken.None);
        await sender.CloseAsync(CancellationToken.None);
        return result;
    }
}
