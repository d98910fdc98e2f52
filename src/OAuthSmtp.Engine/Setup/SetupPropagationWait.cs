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

    /// <param name="report">The report to start from.</param>
    /// <param name="timeout">How long to wait at most.</param>
    /// <param name="progress">Called before each wait with the time spent so far and the pending steps.</param>
    /// <returns>The last report and whether the wait timed out with steps still pending.</returns>
    public (SetupReport Report, bool TimedOut) Run(SetupReport report, TimeSpan timeout, Action<TimeSpan, SetupReport>? progress, CancellationToken cancellationToken)
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

            progress?.Invoke(elapsed, report);
            var remaining = timeout - elapsed;
            Sleep(remaining < interval ? remaining : interval, cancellationToken);

            report = _retest();
        }

        return (report, false);
    }
}
