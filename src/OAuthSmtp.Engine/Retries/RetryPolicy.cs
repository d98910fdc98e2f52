using System;
using System.Threading;
using System.Threading.Tasks;

namespace OAuthSmtp.Engine.Retries;

/// <summary>
/// The engine's one retry policy (token requests, the profile-store lock, message sending): how many attempts,
/// how long to wait before each retry (exponential from <see cref="FirstDelay"/>, capped by <see cref="MaxDelay"/>,
/// with jitter so waiters do not march in step, never earlier than a server's Retry-After), and optionally a time
/// budget for all attempts together. Waiting goes through <see cref="Clock"/>, so tests never sleep.
/// The libraries below it must not retry on their own (MSAL's retry on 5xx is switched off), or the attempts multiply.
/// </summary>
public sealed class RetryPolicy
{
    /// <param name="maxAttempts">Attempts at most, the first one included (1: never retry).</param>
    /// <param name="firstDelay">Wait before the first retry; doubled for each further one.</param>
    /// <param name="maxDelay">No single wait is longer (a Retry-After included).</param>
    public RetryPolicy(int maxAttempts, TimeSpan firstDelay, TimeSpan maxDelay)
    {
        if (maxAttempts < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(maxAttempts), maxAttempts, "At least one attempt.");
        }

        if (firstDelay < TimeSpan.Zero || maxDelay < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(firstDelay), "Delays cannot be negative.");
        }

        MaxAttempts = maxAttempts;
        FirstDelay = firstDelay;
        MaxDelay = maxDelay < firstDelay ? firstDelay : maxDelay;
    }

    /// <summary>Never retries.</summary>
    public static RetryPolicy None { get; } = new(1, TimeSpan.Zero, TimeSpan.Zero);

    public int MaxAttempts { get; }

    public TimeSpan FirstDelay { get; }

    public TimeSpan MaxDelay { get; }

    /// <summary>
    /// How much a wait varies: a wait is drawn from [delay × (1 − Jitter), delay]. 0 waits exactly; default 0.5.
    /// A Retry-After from the server is never shortened.
    /// </summary>
    public double Jitter { get; set; } = 0.5;

    /// <summary>All attempts together end once this much time has passed (a retry is not started after it); null: no budget.</summary>
    public TimeSpan? Budget { get; set; }

    /// <summary>The clock and the wait; tests give a <see cref="RetryClock"/> that advances without sleeping.</summary>
    public RetryClock Clock { get; set; } = RetryClock.System;

    /// <summary>Uniform random numbers in [0, 1) for the jitter; tests fix it.</summary>
    public Func<double> Random { get; set; } = SharedRandom.NextDouble;

    /// <summary>The same policy waiting with <paramref name="clock"/> (a sender gives its retries the clock it paces with).</summary>
    public RetryPolicy WithClock(RetryClock clock) =>
        new(MaxAttempts, FirstDelay, MaxDelay) { Jitter = Jitter, Budget = Budget, Random = Random, Clock = clock ?? throw new ArgumentNullException(nameof(clock)) };

    /// <summary>
    /// The wait before retry <paramref name="retry"/> (1: the wait after the first attempt failed), jittered;
    /// at least <paramref name="suggested"/> (a server's Retry-After) and at most <see cref="MaxDelay"/>.
    /// </summary>
    public TimeSpan DelayBefore(int retry, TimeSpan? suggested = null)
    {
        if (retry < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(retry), retry, "Retries count from 1.");
        }

        var exponential = FirstDelay.Ticks * (double)(1L << Math.Min(retry - 1, 30));
        var capped = Math.Min(exponential, MaxDelay.Ticks);
        var jitter = Math.Max(0, Math.Min(1, Jitter));
        var delay = TimeSpan.FromTicks((long)(capped * (1 - (jitter * Random()))));
        if (suggested is { } serverAsked && serverAsked > delay)
        {
            delay = serverAsked > MaxDelay ? MaxDelay : serverAsked;
        }

        return delay;
    }

    /// <summary>Whether another attempt may follow <paramref name="attemptsMade"/> attempts that began at <paramref name="started"/>.</summary>
    public bool CanRetry(int attemptsMade, DateTimeOffset started) =>
        attemptsMade < MaxAttempts && (Budget is not { } budget || Clock.UtcNow() - started < budget);

    /// <summary>Waits before retry <paramref name="retry"/> and returns how long it waited.</summary>
    public async Task<TimeSpan> WaitBeforeRetryAsync(int retry, TimeSpan? suggested, CancellationToken cancellationToken)
    {
        var delay = DelayBefore(retry, suggested);
        if (delay > TimeSpan.Zero)
        {
            await Clock.Delay(delay, cancellationToken).ConfigureAwait(false);
        }

        return delay;
    }

    /// <summary>
    /// Runs <paramref name="operation"/> (given the 1-based attempt number) until it succeeds, <paramref name="classify"/>
    /// says its failure is final, or the attempts or the budget run out; then the last failure is thrown as it was.
    /// <paramref name="onRetry"/> hears of each retry before its wait (for a verbose line).
    /// </summary>
    public async Task<T> ExecuteAsync<T>(
        Func<int, CancellationToken, Task<T>> operation,
        Func<Exception, RetryDecision> classify,
        Action<RetryEvent>? onRetry,
        CancellationToken cancellationToken)
    {
        if (operation is null)
        {
            throw new ArgumentNullException(nameof(operation));
        }

        if (classify is null)
        {
            throw new ArgumentNullException(nameof(classify));
        }

        var started = Clock.UtcNow();
        for (var attempt = 1; ; attempt++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            RetryDecision decision;
            Exception failure;
            try
            {
                return await operation(attempt, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception exception)
            {
                failure = exception;
                decision = classify(exception);
                if (!decision.Retry || !CanRetry(attempt, started))
                {
                    throw;
                }
            }

            var delay = DelayBefore(attempt, decision.SuggestedDelay);
            onRetry?.Invoke(new RetryEvent(attempt, MaxAttempts, delay, failure));
            if (delay > TimeSpan.Zero)
            {
                await Clock.Delay(delay, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>The synchronous form of <see cref="ExecuteAsync{T}"/>, for callers that hold no async context (the profile-store lock).</summary>
    public T Execute<T>(Func<int, T> operation, Func<Exception, RetryDecision> classify, CancellationToken cancellationToken = default) =>
        ExecuteAsync((attempt, _) => Task.FromResult(operation(attempt)), classify, null, cancellationToken).GetAwaiter().GetResult();

    private static class SharedRandom
    {
        private static readonly System.Random Seed = new();

        public static double NextDouble()
        {
            lock (Seed)
            {
                return Seed.NextDouble();
            }
        }
    }
}
