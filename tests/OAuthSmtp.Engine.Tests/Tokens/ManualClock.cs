using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using OAuthSmtp.Engine.Retries;

namespace OAuthSmtp.Engine.Tests.Tokens;

/// <summary>
/// A clock that stands still until the test moves it: a Delay ends when <see cref="Advance"/> passes its due time
/// (or its token is cancelled), so a test drives timeouts and waits instead of sleeping through them.
/// </summary>
public sealed class ManualClock
{
    private readonly object _gate = new();
    private readonly List<(DateTimeOffset Due, TimeSpan Length, TaskCompletionSource Done)> _waits = new();
    private DateTimeOffset _now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public ManualClock()
    {
        Clock = new RetryClock(() => Now, Delay);
    }

    public RetryClock Clock { get; }

    public DateTimeOffset Now
    {
        get
        {
            lock (_gate)
            {
                return _now;
            }
        }
    }

    /// <summary>Moves the time on and ends every wait that is due.</summary>
    public void Advance(TimeSpan by)
    {
        List<TaskCompletionSource> due;
        lock (_gate)
        {
            _now += by;
            due = _waits.Where(w => w.Due <= _now).Select(w => w.Done).ToList();
            _waits.RemoveAll(w => w.Due <= _now);
        }

        due.ForEach(done => done.TrySetResult());
    }

    /// <summary>Waits (in real time, at most <paramref name="patience"/>) until the code under test waits <paramref name="length"/> on this clock.</summary>
    public async Task WaitUntilSomeoneWaitsAsync(TimeSpan length, TimeSpan patience)
    {
        var giveUp = DateTime.UtcNow + patience;
        while (!IsWaiting(length))
        {
            if (DateTime.UtcNow > giveUp)
            {
                throw new TimeoutException($"Nothing waited {length} on the clock within {patience}.");
            }

            await Task.Delay(10);
        }
    }

    private bool IsWaiting(TimeSpan length)
    {
        lock (_gate)
        {
            return _waits.Any(w => w.Length == length && !w.Done.Task.IsCompleted);
        }
    }

    private Task Delay(TimeSpan length, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (length <= TimeSpan.Zero)
            {
                return Task.CompletedTask;
            }

            _waits.Add((_now + length, length, done));
        }

        cancellationToken.Register(() => done.TrySetCanceled(cancellationToken));
        return done.Task;
    }
}
