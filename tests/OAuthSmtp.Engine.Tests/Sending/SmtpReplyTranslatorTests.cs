using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using OAuthSmtp.Engine.Errors;
using OAuthSmtp.Engine.Sending;
using OAuthSmtp.Engine.Tokens;
using Xunit;

namespace OAuthSmtp.Engine.Tests.Sending;

/// <summary>
/// Every reply of EXCHANGE-FACTS 5a, replayed from recorded transcripts through the real MailKit client and our
/// sender, ends in its own error id; the texts name the step at fault and the command that fixes it.
/// </summary>
public sealed class SmtpReplyTranslatorTests
{
    private const string Mailbox = "sender@contoso.com";

    public static IEnumerable<object[]> Transcripts() => RecordedTranscript.Names().Select(n => new object[] { n });

    [Theory]
    [MemberData(nameof(Transcripts))]
    public async Task Recorded_reply_ends_in_its_error_id(string name)
    {
        var transcript = RecordedTranscript.Load(name);
        var (result, _) = await SendOneAsync(transcript, from: "ceo@contoso.com");

        if (transcript.ExpectedErrorId.Length == 0)
        {
            Assert.Equal(SendStatus.Sent, result.Status);
            Assert.StartsWith("250 2.0.0 OK", result.ServerReply);
            return;
        }

        Assert.Equal(SendStatus.Failed, result.Status);
        Assert.Equal(transcript.ExpectedErrorId, result.ErrorId);
        var decisive = transcript.RepliesGiven.Last(r => !r.StartsWith("250 2.0.0 Resetting", StringComparison.Ordinal) && !r.StartsWith("503 ", StringComparison.Ordinal) && !r.StartsWith("221 ", StringComparison.Ordinal));
        var error = Assert.IsAssignableFrom<SmtpReplyException>(result.GetError());
        Assert.Equal(decisive.Substring(0, 3), error.Reply.Code.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Contains(decisive.Substring(4, 20), result.ServerReply);
        Assert.False(string.IsNullOrWhiteSpace(error.Fix));
        Assert.DoesNotContain("opaque-token-", result.ErrorMessage);
    }

    [Fact]
    public async Task Transcript_never_carries_the_token_in_clear()
    {
        // The protocol log (-ProtocolLogPath) is the transcript a user keeps and shares: it shows the AUTH command but
        // neither the token nor the base64 XOAUTH2 payload that carries it on the wire (base64 is not a secret).
        var transcript = RecordedTranscript.Load("send-250-ok");
        var log = Path.Combine(Path.GetTempPath(), "oauthsmtp-protocol-" + Guid.NewGuid().ToString("N") + ".log");
        try
        {
            await SendOneAsync(transcript, protocolLogPath: log);
            var logged = File.ReadAllText(log);
            var payload = Convert.ToBase64String(System.Text.Encoding.ASCII.GetBytes($"user={Mailbox}\u0001auth=Bearer opaque-token-for-replay\u0001\u0001"));

            Assert.Contains(payload, transcript.ClientText);
            Assert.Contains("AUTH XOAUTH2", logged);
            Assert.DoesNotContain("opaque-token-for-replay", logged);
            Assert.DoesNotContain(payload, logged);
            Assert.DoesNotContain(payload[..24], logged);
        }
        finally
        {
            File.Delete(log);
        }
    }

    [Fact]
    public async Task Not_authenticated_reconnects_once_with_a_fresh_token_then_reports()
    {
        var transcript = RecordedTranscript.Load("mail-530-5.7.57");
        var (result, sender) = await SendOneAsync(transcript);
        Assert.Equal(ErrorIds.NotAuthenticated, result.ErrorId);
        Assert.Equal(2, transcript.Connections);
        Assert.Equal(2, sender.TokenRequests);
    }

    [Fact]
    public void Authentication_failure_names_service_principal_permission_and_the_doctor()
    {
        var error = Translate("535 5.7.3 Authentication unsuccessful [host]", SmtpStage.Authenticate);
        Assert.Equal(ErrorIds.SmtpAuthenticationFailed, error.ErrorId);
        Assert.Contains("service principal", error.Message);
        Assert.Contains("New-ServicePrincipal", error.Fix);
        Assert.Contains($"Add-MailboxPermission -Identity '{Mailbox}'", error.Fix);
        Assert.Contains("Test-SmtpOAuthSetup", error.Fix);
        Assert.Equal(ErrorKind.AuthenticationError, error.Kind);
    }

    [Theory]
    [InlineData("535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant. Visit https://aka.ms/smtp_auth_disabled for more information. [h]", "SmtpAuthDisabledForTenant")]
    [InlineData("535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Mailbox. Visit https://aka.ms/smtp_auth_disabled for more information. [h]", "SmtpAuthDisabledForMailbox")]
    public void Smtp_auth_disabled_gives_the_set_casmailbox_command(string line, string id)
    {
        var error = Translate(line, SmtpStage.Authenticate);
        Assert.Equal(id, error.ErrorId);
        Assert.Contains($"Set-CASMailbox -Identity '{Mailbox}' -SmtpClientAuthenticationDisabled $false", error.Fix);
    }

    [Theory]
    [InlineData("554 5.2.252 SendAsDenied; sender@contoso.com not allowed to send as ceo@contoso.com; STOREDRV.Submission.Exception:SendAsDeniedException.MapiExceptionSendAsDenied", SmtpStage.Data)]
    [InlineData("550 5.7.60 SMTP; Client does not have permissions to send as this sender", SmtpStage.MailFrom)]
    public void Send_as_denied_fills_in_add_recipientpermission(string line, SmtpStage stage)
    {
        var error = Translate(line, stage, from: "ceo@contoso.com");
        Assert.Equal(ErrorIds.SendAsDenied, error.ErrorId);
        Assert.Contains("Add-RecipientPermission -Identity 'ceo@contoso.com'", error.Fix);
        Assert.Contains("-AccessRights SendAs", error.Fix);
        Assert.Equal(ErrorKind.PermissionDenied, error.Kind);
    }

    [Theory]
    [InlineData("432 4.3.2 STOREDRV.ClientSubmit; sender thread limit exceeded", true)]
    [InlineData("451 4.7.500 Server busy. Please try again later from [1.2.3.4]. (S77)", true)]
    [InlineData("554 5.2.2 mailbox full; STOREDRV.Submission.Exception:QuotaExceededException.MapiExceptionShutoffQuotaExceeded", false)]
    public void Only_4xx_replies_are_transient(string line, bool transient)
    {
        Assert.Equal(transient, Translate(line, SmtpStage.Data).IsTransient);
    }

    [Fact]
    public void Unknown_replies_fall_back_by_class()
    {
        Assert.Equal(ErrorIds.SmtpTransientFailure, Translate("421 4.4.2 Connection dropped", SmtpStage.Data).ErrorId);
        Assert.Equal(ErrorIds.SmtpCommandFailed, Translate("554 5.6.0 Corrupt message content", SmtpStage.Data).ErrorId);
    }

    private static SmtpReplyException Translate(string line, SmtpStage stage, string? from = null) =>
        SmtpReplyTranslator.Translate(SmtpReply.Parse(line, stage), new SmtpReplyTranslator.Context(Mailbox, from));

    internal static async Task<(SendResult Result, MessageSender Sender)> SendOneAsync(RecordedTranscript transcript, string from = Mailbox, string? protocolLogPath = null)
    {
        var options = new SmtpSenderOptions("smtp.office365.com", 587, Mailbox, new StaticAccessTokenSource("opaque-token-for-replay"))
        {
            MaxAttempts = 1,
            Delay = (_, _) => Task.CompletedTask,
            TranscriptStream = transcript.OpenConnection,
            ProtocolLogPath = protocolLogPath,
        };
        using var sender = new MessageSender(options);
        var message = MessageBuilder.Build(new MessageRequest { From = from, To = { "rcpt@fabrikam.com" }, Subject = "Replay", Body = "Hello" }, Mailbox);
        var result = await sender.SendAsync(message, CancellationToken.None);
        await sender.CloseAsync(CancellationToken.None);
        return (result, sender);
    }
}
