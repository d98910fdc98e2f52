using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using OAuthSmtp.Engine.Errors;
using OAuthSmtp.Engine.Retries;
using OAuthSmtp.Engine.Sending;
using OAuthSmtp.Engine.Tests.Retries;
using OAuthSmtp.Engine.Tokens;
using Xunit;

namespace OAuthSmtp.Engine.Tests.Sending;

/// <summary>
/// The circuit breaker of the sender: a mailbox lockout (550 5.2.25x) stops the rest of the pipeline at once, and the
/// same connection or token failure ending three messages in a row stops it too; every message after that fails at
/// once with PipelineHalted, carried (and saved) for a later resend, never tried against the server.
/// </summary>
public sealed class PipelineHaltTests : IDisposable
{
    private const string Mailbox = "sender@contoso.com";
    private readonly string _folder = System.IO.Directory.CreateTempSubdirectory("oauthsmtp-halt-").FullName;

    public void Dispose() => System.IO.Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Sender_lockout_stops_the_pipeline_and_the_rest_fail_fast_carried_and_saved()
    {
        var transcript = RecordedTranscript.Load("mail-550-5.2.253-throttled");
        using var sender = new MessageSender(new SmtpSenderOptions("smtp.office365.com", 587, Mailbox, new StaticAccessTokenSource("opaque-token-for-replay"))
        {
            Clock = new FakeRetryClock().Clock,
            TranscriptStream = transcript.OpenConnection,
            FailedMessagePath = _folder,
        });

        var results = new List<SendResult>();
        for (var i = 0; i < 4; i++)
        {
            results.Add(await sender.SendAsync(Message(i), CancellationToken.None));
        }

        Assert.Equal(ErrorIds.SenderThrottled, results[0].ErrorId);
        Assert.Equal(1, results[0].Attempts);
        Assert.Contains("Retrying now will not help", results[0].ErrorMessage);
        Assert.Contains("invalid license", results[0].ErrorMessage);
        Assert.All(results.Skip(1), r =>
        {
            Assert.Equal(SendStatus.Failed, r.Status);
            Assert.Equal(ErrorIds.PipelineHalted, r.ErrorId);
            Assert.Equal(0, r.Attempts);
            Assert.Contains("SenderThrottled", r.ErrorMessage);
            Assert.True(System.IO.File.Exists(r.SavedMessagePath));
            Assert.Same(r.Message, r.GetError()!.TargetObject);
        });
        Assert.Equal(1, transcript.Connections);
        Assert.Same(results[0].GetError()!.GetType(), typeof(SmtpReplyException));
        Assert.Equal(ErrorIds.SenderThrottled, sender.HaltedBy!.ErrorId);
    }

    [Fact]
    public async Task Same_connection_failure_for_three_messages_in_a_row_fails_the_rest_at_once()
    {
        var port = UnusedPort();
        var clock = new FakeRetryClock();
        var waits = clock.Waits;
        using var sender = new MessageSender(new SmtpSenderOptions("127.0.0.1", port, Mailbox, new StaticAccessTokenSource("opaque-token"))
        {
            Clock = clock.Clock,
            TimeoutMs = 5_000,
        });

        var results = new List<SendResult>();
        for (var i = 0; i < 6; i++)
        {
            results.Add(await sender.SendAsync(Message(i), CancellationToken.None));
        }

        Assert.All(results.Take(3), r => Assert.Equal(ErrorIds.SmtpConnectionFailed, r.ErrorId));
        Assert.All(results.Take(3), r => Assert.Equal(3, r.Attempts));
        Assert.All(results.Skip(3), r =>
        {
            Assert.Equal(ErrorIds.PipelineHalted, r.ErrorId);
            Assert.Equal(0, r.Attempts);
            Assert.Contains("SmtpConnectionFailed", r.ErrorMessage);
            Assert.Contains("-Message", r.GetError()!.Fix);
        });
        Assert.Equal(9, sender.Connections);
        Assert.Equal(6, waits.Count);
    }

    [Fact]
    public async Task Same_token_failure_for_three_messages_in_a_row_stops_asking_the_token_service()
    {
        var tokens = new FailingTokenSource();
        using var sender = new MessageSender(new SmtpSenderOptions("127.0.0.1", 9, Mailbox, tokens) { Clock = new FakeRetryClock().Clock });

        var results = new List<SendResult>();
        for (var i = 0; i < 5; i++)
        {
            results.Add(await sender.SendAsync(Message(i), CancellationToken.None));
        }

        Assert.Equal(3, tokens.Requests);
        Assert.All(results.Take(3), r => Assert.Equal(ErrorIds.TokenServiceUnavailable, r.ErrorId));
        Assert.All(results.Skip(3), r => Assert.Equal(ErrorIds.PipelineHalted, r.ErrorId));
        Assert.Equal(0, sender.Connections);
    }

    [Fact]
    public async Task A_message_that_fails_on_its_own_resets_the_count()
    {
        // Two connection failures, then a session that works (a refused recipient), then two more failures: no halt.
        var transcript = RecordedTranscript.Load("rcpt-550-5.1.10");
        var failing = true;
        using var sender = new MessageSender(new SmtpSenderOptions("smtp.office365.com", 587, Mailbox, new StaticAccessTokenSource("opaque-token-for-replay"))
        {
            Retry = RetryPolicy.None,
            TranscriptStream = ct => failing ? throw new System.IO.IOException("connection refused") : transcript.OpenConnection(ct),
        });

        var outcomes = new List<string?>();
        outcomes.Add((await sender.SendAsync(Message(0), CancellationToken.None)).ErrorId);
        outcomes.Add((await sender.SendAsync(Message(1), CancellationToken.None)).ErrorId);
        failing = false;
        outcomes.Add((await sender.SendAsync(Message(2), CancellationToken.None)).ErrorId);
        await sender.CloseAsync(CancellationToken.None);
        failing = true;
        outcomes.Add((await sender.SendAsync(Message(3), CancellationToken.None)).ErrorId);
        outcomes.Add((await sender.SendAsync(Message(4), CancellationToken.None)).ErrorId);

        Assert.Equal(new[] { ErrorIds.SmtpConnectionFailed, ErrorIds.SmtpConnectionFailed, ErrorIds.RecipientRejected }, outcomes.Take(3));
        Assert.DoesNotContain(ErrorIds.PipelineHalted, outcomes);
        Assert.Null(sender.HaltedBy);
    }

    private static PreparedMessage Message(int index) =>
        MessageBuilder.Build(new MessageRequest { To = { $"rcpt{index}@fabrikam.com" }, Subject = $"Halt {index}", Body = "Hello" }, Mailbox);

    private static int UnusedPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private sealed class FailingTokenSource : IAccessTokenSource
    {
        public int Requests { get; private set; }

        public Task<AccessToken> GetTokenAsync(bool forceRefresh, CancellationToken cancellationToken)
        {
            Requests++;
            throw new OAuthSmtpException(ErrorIds.TokenServiceUnavailable, ErrorKind.ConnectionError, "The token service did not answer.", "Check the network.");
        }
    }
}
