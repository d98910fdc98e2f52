using System;
using System.Threading;
using System.Threading.Tasks;
using OAuthSmtp.Engine.Retries;

namespace OAuthSmtp.Engine.Tokens;

/// <summary>
/// CancellationTokenSource.CancelAfter on an injected clock: cancels a source once a time has passed on
/// <see cref="RetryClock"/>'s Delay, so tests drive the token request's time limits instead of waiting for them.
/// Disposing it before the time is up stops it.
/// </summary>
internal sealed class ClockCancellation : IDisposable
{
    private readonly object _gate = new();
    private readonly CancellationTokenSource _stop = new();
    private bool _disposed;

    private ClockCancellation()
    {
    }

    /// <summary>Cancels <paramref name="target"/> once <paramref name="after"/> has passed on <paramref name="clock"/>.</summary>
    public static ClockCancellation After(RetryClock clock, TimeSpan after, CancellationTokenSource target)
    {
        var timer = new ClockCancellation();
        _ = timer.CancelLaterAsync(clock, after, target);
        return timer;
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
        }

        _stop.Cancel();
        _stop.Dispose();
    }

    private async Task CancelLaterAsync(RetryClock clock, TimeSpan after, CancellationTokenSource target)
    {
        try
        {
            await clock.Delay(after, _stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        lock (_gate)
        {
            if (!_disposed)
            {
                target.Cancel();
            }
        }
    }
}
