using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using OAuthSmtp.Engine.Errors;
using OAuthSmtp.Engine.Retries;
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
    [InlineData("554 5.2.0 STOREDRV.Submission.Exception:SendAsDeniedException.MapiExceptionSendAsDenied; Failed to process message due to a permanent exception with message [BeginDiagnosticData]Cannot submit message. 0.35250:0A00C184", SmtpStage.Data)]
    [InlineData("554 5.2.252 SendAsDenied; sender@contoso.com not allowed to send as ceo@contoso.com; STOREDRV.Submission.Exception:SendAsDeniedException.MapiExceptionSendAsDenied", SmtpStage.Data)]
    [InlineData("550 5.7.60 SMTP; Client does not have permissions to send as this sender", SmtpStage.MailFrom)]
    public void Send_as_denied_grants_send_as_to_the_authenticating_mailbox(string line, SmtpStage stage)
    {
        var error = Translate(line, stage, from: "ceo@contoso.com");
        Assert.Equal(ErrorIds.SendAsDenied, error.ErrorId);
        Assert.Contains($"Add-RecipientPermission -Identity 'ceo@contoso.com' -Trustee '{Mailbox}' -AccessRights SendAs -Confirm:$false", error.Fix);
        Assert.Contains("service principal alone is not enough", error.Message);
        Assert.Equal(ErrorKind.PermissionDenied, error.Kind);
        Assert.False(error.IsTransient);
    }

    [Theory]
    [InlineData("550 5.2.251 Sender throttled due to continuous mailbox full errors.", "mailbox full", "Free space")]
    [InlineData("550 5.2.252 Sender throttled due to continuous send as denied errors.", "send as denied", "Add-RecipientPermission -Identity 'ceo@contoso.com' -Trustee 'sender@contoso.com'")]
    [InlineData("550 5.2.253 Sender throttled due to continuous invalid license errors.", "invalid license", "licence")]
    [InlineData("550 5.2.254 Sender throttled due to continuous too many recipients errors.", "too many recipients", "fewer recipients")]
    [InlineData("550 5.2.255 Sender throttled due to continuous invalid recipients errors.", "invalid recipients", "Remove addresses")]
    public void Sender_lockout_says_retrying_will_not_help_and_what_caused_it(string line, string cause, string fix)
    {
        foreach (var stage in new[] { SmtpStage.MailFrom, SmtpStage.Data })
        {
            var error = Translate(line, stage, from: "ceo@contoso.com");
            Assert.Equal(ErrorIds.SenderThrottled, error.ErrorId);
            Assert.Contains("Retrying now will not help", error.Message);
            Assert.Contains(cause, error.Message);
            Assert.Contains(fix, error.Fix);
            Assert.False(error.IsTransient);
        }
    }

    [Fact]
    public void Tls_below_1_2_is_not_retried_as_transient()
    {
        var error = Translate("421 4.7.66 TLS 1.0 and 1.1 are not supported. Please upgrade/update your client to support TLS 1.2. Visit https://aka.ms/smtp_auth_tls. [SA9P221CA0019.NAMP221.PROD.OUTLOOK.COM]", SmtpStage.Connect);
        Assert.Equal(ErrorIds.TlsVersionNotSupported, error.ErrorId);
        Assert.False(error.IsTransient);
        Assert.Contains("TLS 1.2", error.Fix);
    }

    [Theory]
    [InlineData("552 5.3.4 Header size exceeds fixed maximum size", "HeaderTooLarge", "header")]
    [InlineData("554 5.2.0 STOREDRV.Submission.Exception:MessageSubmissionExceededException.MapiExceptionMaxSubmissionExceeded; Message size exceeds maximum size limit.", "MessageTooLarge", "MaxSendSize")]
    public void Size_refusals_name_the_limit_and_how_to_read_it(string line, string id, string words)
    {
        var error = Translate(line, SmtpStage.Data);
        Assert.Equal(id, error.ErrorId);
        Assert.Contains(words, error.Message);
        Assert.Contains($"Get-Mailbox '{Mailbox}' | Select MaxSendSize", error.Fix);
        Assert.Equal(ErrorKind.LimitsExceeded, error.Kind);
    }

    [Fact]
    public async Task Tls_refusal_after_the_handshake_opens_no_second_connection()
    {
        var transcript = RecordedTranscript.Load("ehlo-421-4.7.66-tls");
        var (result, _) = await SendOneAsync(transcript, maxAttempts: 3);
        Assert.True(result.ErrorId == ErrorIds.TlsVersionNotSupported, result.ErrorMessage + " | " + result.GetError()?.InnerException);
        Assert.Equal(1, result.Attempts);
        Assert.Equal(1, transcript.Connections);
    }

    [Fact]
    public async Task Concurrency_refusal_at_the_end_of_data_is_retried_on_the_same_connection()
    {
        var transcript = RecordedTranscript.Load("Sequences/data-432-4.3.2-then-250");
        var (result, _) = await SendOneAsync(transcript, maxAttempts: 3);
        Assert.Equal(SendStatus.Sent, result.Status);
        Assert.Equal(2, result.Attempts);
        Assert.Equal(1, transcript.Connections);
        Assert.Equal(2, System.Text.RegularExpressions.Regex.Matches(transcript.ClientText, "^DATA\r$", System.Text.RegularExpressions.RegexOptions.Multiline).Count);
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

    internal static async Task<(SendResult Result, MessageSender Sender)> SendOneAsync(RecordedTranscript transcript, string from = Mailbox, int maxAttempts = 1, string? protocolLogPath = null)
    {
        var options = new SmtpSenderOptions("smtp.office365.com", 587, Mailbox, new StaticAccessTokenSource("opaque-token-for-replay"))
        {
            Retry = new RetryPolicy(maxAttempts, TimeSpan.Zero, TimeSpan.Zero),
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
