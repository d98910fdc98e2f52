using System;

namespace OAuthSmtp.Relay.Configuration;

/// <summary>The relay-wide limits; a device may lower the message size for itself.</summary>
internal sealed class RelayLimits
{
    /// <summary>Largest message a device may hand over, in bytes (Exchange Online takes at most 35 MB per mailbox by default).</summary>
    public int MaxMessageBytes { get; init; } = 35 * 1024 * 1024;

    /// <summary>Open connections per source address at once.</summary>
    public int MaxConnectionsPerSource { get; init; } = 10;

    /// <summary>Failed AUTH attempts from one source (or for one device) before the lockout.</summary>
    public int MaxAuthFailures { get; init; } = 5;

    public TimeSpan AuthLockout { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>Exchange Online delays a mailbox's submissions beyond 30 a minute (EXCHANGE-FACTS §8); 0: no pacing.</summary>
    public int MessagesPerMinutePerMailbox { get; init; } = 30;

    /// <summary>Exchange Online allows 3 concurrent submissions per mailbox (a fourth gets 432 4.3.2).</summary>
    public int MaxConnectionsPerMailbox { get; init; } = 3;

    /// <summary>Offers of one message to Exchange (4xx and lost connections are retried) before it is dead-lettered.</summary>
    public int MaxDeliveryAttempts { get; init; } = 12;

    /// <summary>Wait before the first retry; doubled for each further one up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan FirstRetryDelay { get; init; } = TimeSpan.FromSeconds(30);

    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>How long a mailbox rests after Exchange locked it out of sending (550 5.2.251-255).</summary>
    public TimeSpan ThrottledMailboxPause { get; init; } = TimeSpan.FromHours(1);

    /// <summary>How long delivered messages stay in spool/done before they are removed.</summary>
    public TimeSpan DoneRetention { get; init; } = TimeSpan.FromDays(1);
}
