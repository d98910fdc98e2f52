using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using OAuthSmtp.Engine.Retries;

namespace OAuthSmtp.Engine.Tests.Retries;

/// <summary>A clock whose waits return at once and move the time on: retry tests never sleep.</summary>
public sealed class FakeRetryClock
{
    private readonly object _gate = new();
    private DateTimeOffset _now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public FakeRetryClock()
    {
        Clock = new RetryClock(() => Now, (delay, token) =>
        {
            token.ThrowIfCancellationRequested();
            lock (_gate)
            {
                Waits.Add(delay);
                _now += delay;
            }

            return Task.CompletedTask;
        });
    }

    public RetryClock Clock { get; }

    public List<TimeSpan> Waits { get; } = new();

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

    public void Advance(TimeSpan by)
    {
        lock (_gate)
        {
            _now += by;
        }
    }
}
