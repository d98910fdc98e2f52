using System;
using System.Threading;

namespace OAuthSmtp.Engine.Setup;

/// <summary>
/// -Wait: re-runs the checks until nothing is pending (Exchange has applied the changes), something fails that waiting
/// cannot fix, or the timeout passes. The interval grows with the timeout (a tenth of it, between 1 and 30 seconds), so
/// a short wait polls often and an hour-long wait does not hammer Exchange.
/// </summary>
public sealed class SetupPropagationWait
{
    private readonly Func<SetupReport> _retest;
    private readonly Func<DateTimeOffset> _utcNow;

    public SetupPropagationWait(Func<SetupReport> retest, Func<DateTimeOffset>? utcNow = null)
    {
        _retest = retest ?? throw new ArgumentNullException(nameof(retest));
        _utcNow = utcNow ?? (() => DateTimeOffset.UtcNow);
    }

    /// <summary>How waiting is done; tests replace it so they need not sleep.</summary>
    public Action<TimeSpan, CancellationToken> Sleep { get; set; } = (span, token) =>
    {
        if (token.WaitHandle.WaitOne(span))
        {
            token.ThrowIfCancellationRequested();
        }
    };

    public static TimeSpan IntervalFor(TimeSpan timeout)
    {
        var tenth = TimeSpan.FromTicks(timeout.Ticks / 10);
        return tenth < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : tenth > TimeSpan.FromSeconds(30) ? TimeSpan.FromSeconds(30) : tenth;
    }

    /// <summary>How often progress is reported while waiting between re-tests (a 30 s wait would otherwise look hung).</summary>
    public static readonly TimeSpan ProgressEvery = TimeSpan.FromSeconds(1);

    /// <param name="report">The report to start from.</param>
    /// <param name="timeout">How long to wait at most.</param>
    /// <param name="progress">Called at least every <see cref="ProgressEvery"/> while waiting, with the time spent so far, the pending steps and the time to the next re-test.</param>
    /// <returns>The last report and whether the wait timed out with steps still pending.</returns>
    public (SetupReport Report, bool TimedOut) Run(SetupReport report, TimeSpan timeout, Action<TimeSpan, SetupReport, TimeSpan>? progress, CancellationToken cancellationToken)
    {
        var started = _utcNow();
        var interval = IntervalFor(timeout);
        while (report.Pending.Count > 0)
        {
            var elapsed = _utcNow() - started;
            if (elapsed >= timeout)
            {
                return (report, true);
            }

            var remaining = timeout - elapsed;
            var nextCheck = elapsed + (remaining < interval ? remaining : interval);
            while (elapsed < nextCheck)
            {
                progress?.Invoke(elapsed, report, nextCheck - elapsed);
                var slice = nextCheck - elapsed;
                Sleep(slice < ProgressEvery ? slice : ProgressEvery, cancellationToken);
                cancellationToken.ThrowIfCancellationRequested();
                var now = _utcNow() - started;

                // A clock that does not move (a test's) must not spin: count the slice as slept.
                elapsed = now > elapsed ? now : elapsed + (slice < ProgressEvery ? slice : ProgressEvery);
            }

            report = _retest();
        }

        return (report, false);
    }
}
