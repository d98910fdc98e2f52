namespace OAuthSmtp.Engine.Relay;

/// <summary>What one device or one address may cost the relay.</summary>
public sealed class RelayLimits
{
    /// <summary>Exchange Online's default MaxSendSize (35 MB); its hard maximum is 150 MB.</summary>
    public const long DefaultMaxMessageBytes = 35L * 1024 * 1024;

    public const long MaxMessageBytesCeiling = 150L * 1024 * 1024;

    public const long MaxMessageBytesFloor = 1024;

    /// <summary>Largest message accepted (SMTP SIZE); a device may have a smaller limit of its own.</summary>
    public long MaxMessageBytes { get; set; } = DefaultMaxMessageBytes;

    /// <summary>Simultaneous connections from one source address.</summary>
    public int MaxConnectionsPerSource { get; set; } = 10;

    /// <summary>Failed AUTH attempts from one source address before it is locked out.</summary>
    public int AuthFailuresBeforeLockout { get; set; } = 5;

    /// <summary>How long a locked-out source address is refused.</summary>
    public int LockoutSeconds { get; set; } = 900;

    /// <summary>Submissions per sending mailbox and minute; Exchange Online delays a mailbox's mail beyond 30 (0: no pacing).</summary>
    public int MessagesPerMinutePerMailbox { get; set; } = 30;

    /// <summary>Connections per sending mailbox at most; Exchange Online refuses a fourth concurrent submission (432 4.3.2).</summary>
    public int ConnectionsPerMailbox { get; set; } = 3;

    /// <summary>Offers of one message to Exchange (4xx replies and lost connections are retried) before it becomes a dead letter.</summary>
    public int MaxDeliveryAttempts { get; set; } = 12;

    /// <summary>Wait before the first retry of a message, doubled for each further one up to <see cref="MaxRetrySeconds"/>.</summary>
    public int FirstRetrySeconds { get; set; } = 30;

    public int MaxRetrySeconds { get; set; } = 1800;

    /// <summary>How long a mailbox's queue rests after Exchange locked the mailbox out of sending (550 5.2.251-255).</summary>
    public int ThrottledMailboxPauseSeconds { get; set; } = 3600;
}
