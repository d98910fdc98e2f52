using System;
using System.Threading;
using System.Threading.Tasks;
using OAuthSmtp.Engine.Retries;
using OAuthSmtp.Engine.Tokens;

namespace OAuthSmtp.Engine.Sending;

/// <summary>Where and how <see cref="MessageSender"/> sends. The retry policy and the clock are injectable so tests never sleep.</summary>
public sealed class SmtpSenderOptions
{
    public SmtpSenderOptions(string host, int port, string mailbox, IAccessTokenSource tokenSource)
    {
        Host = host ?? throw new ArgumentNullException(nameof(host));
        Port = port;
        Mailbox = mailbox ?? throw new ArgumentNullException(nameof(mailbox));
        TokenSource = tokenSource ?? throw new ArgumentNullException(nameof(tokenSource));
    }

    public string Host { get; }

    public int Port { get; }

    /// <summary>The XOAUTH2 user: the mailbox the token may send as.</summary>
    public string Mailbox { get; }

    public IAccessTokenSource TokenSource { get; }

    /// <summary>File the redacted SMTP dialogue is appended to; null writes none.</summary>
    public string? ProtocolLogPath { get; set; }

    /// <summary>
    /// Also log the message content (headers, body, base64 attachments). Off by default: the log is for the dialogue,
    /// and the content of every message would otherwise pile up in a file.
    /// </summary>
    public bool ProtocolLogContent { get; set; }

    /// <summary>Folder where messages that were not sent are saved as .eml; null saves none.</summary>
    public string? FailedMessagePath { get; set; }

    /// <summary>Messages per minute at most (0 = no pacing). Exchange Online delays beyond 30 a minute per mailbox.</summary>
    public int MessagesPerMinute { get; set; }

    /// <summary>
    /// Messages in a row that the same connection or token failure may end (each after its own retries) before the
    /// rest of the pipeline is failed at once with PipelineHalted (0 never stops).
    /// </summary>
    public int HaltAfterRepeatedFailures { get; set; } = 3;

    /// <summary>
    /// How one message is retried (the engine's one <see cref="RetryPolicy"/>): 4xx replies that Exchange means as
    /// "try again" and connections lost before the data was complete. 3 attempts, waits from 1 s doubling, jittered.
    /// Its waits use <see cref="Clock"/>.
    /// </summary>
    public RetryPolicy Retry { get; set; } = new(3, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1));

    /// <summary>The time and the waiting for retries, pacing and token renewal; tests pass a fake one so nothing sleeps.</summary>
    public RetryClock Clock { get; set; } = RetryClock.System;

    /// <summary>A token closer than this to its expiry is renewed, and the connection re-authenticated, before the next message.</summary>
    public TimeSpan TokenRenewalMargin { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Network timeout per SMTP operation, in milliseconds.</summary>
    public int TimeoutMs { get; set; } = 100_000;

    /// <summary>
    /// Tests only: a ready stream (a recorded transcript) instead of a TCP connection with STARTTLS. Internal, so no
    /// caller can send a token without TLS.
    /// </summary>
    internal Func<CancellationToken, Task<System.IO.Stream>>? TranscriptStream { get; set; }
}
