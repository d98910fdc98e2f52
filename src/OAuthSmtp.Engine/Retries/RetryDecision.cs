using System;

namespace OAuthSmtp.Engine.Retries;

/// <summary>What a failure means for <see cref="RetryPolicy"/>: final, or worth another attempt (after at least the server's suggested wait).</summary>
public readonly struct RetryDecision
{
    private RetryDecision(bool retry, TimeSpan? suggestedDelay)
    {
        Retry = retry;
        SuggestedDelay = suggestedDelay;
    }

    public static RetryDecision Stop => new(false, null);

    public static RetryDecision Again => new(true, null);

    public bool Retry { get; }

    /// <summary>A wait the server asked for (Retry-After); the policy never waits less, nor more than its MaxDelay.</summary>
    public TimeSpan? SuggestedDelay { get; }

    public static RetryDecision After(TimeSpan? suggestedDelay) => new(true, suggestedDelay);
}
