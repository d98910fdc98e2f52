using System;
using System.Threading;
using System.Threading.Tasks;
using OAuthSmtp.Engine.Tokens;

namespace OAuthSmtp.Engine.Sending;

/// <summary>Where and how <see cref="MessageSender"/> sends. Delays and the clock are injectable so tests stay fast.</summary>
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

    /// <summary>Offers of one message to the server at most, counting the first (4xx and dropped connections are retried).</summary>
    public int MaxAttempts { get; set; } = 3;

    /// <summary>
    /// Messages in a row that the same connection or token failure may end (each after its own retries) before the
    /// rest of the pipeline is failed at once with PipelineHalted (0 never stops).
    /// </summary>
    public int HaltAfterRepeatedFailures { get; set; } = 3;

    /// <summary>Wait before retry n (1-based): 1 s, 2 s, 4 s by default.</summary>
    public Func<int, TimeSpan> RetryDelay { get; set; } = attempt => TimeSpan.FromSeconds(Math.Pow(2, attempt - 1));

    /// <summary>How waiting is done (retries, pacing); tests replace it.</summary>
    public Func<TimeSpan, CancellationToken, Task> Delay { get; set; } = (delay, token) => Task.Delay(delay, token);

    public Func<DateTimeOffset> Clock { get; set; } = () => DateTimeOffset.UtcNow;

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
