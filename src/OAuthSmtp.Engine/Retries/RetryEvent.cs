using System;

namespace OAuthSmtp.Engine.Retries;

/// <summary>One retry about to happen: which attempt failed, of how many, how long the wait is, and why.</summary>
public sealed class RetryEvent
{
    public RetryEvent(int failedAttempt, int maxAttempts, TimeSpan delay, Exception failure)
    {
        FailedAttempt = failedAttempt;
        MaxAttempts = maxAttempts;
        Delay = delay;
        Failure = failure;
    }

    public int FailedAttempt { get; }

    /// <summary>The attempt that follows the wait.</summary>
    public int NextAttempt => FailedAttempt + 1;

    public int MaxAttempts { get; }

    public TimeSpan Delay { get; }

    public Exception Failure { get; }
}
