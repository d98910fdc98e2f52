using System;
using System.Threading;
using System.Threading.Tasks;

namespace OAuthSmtp.Engine.Retries;

/// <summary>
/// What a <see cref="RetryPolicy"/> reads the time from and waits with. <see cref="System"/> is the real clock;
/// tests pass one whose Delay advances their own clock at once, so no test sleeps.
/// </summary>
public sealed class RetryClock
{
    public RetryClock(Func<DateTimeOffset> utcNow, Func<TimeSpan, CancellationToken, Task> delay)
    {
        UtcNow = utcNow ?? throw new ArgumentNullException(nameof(utcNow));
        Delay = delay ?? throw new ArgumentNullException(nameof(delay));
    }

    public static RetryClock System { get; } = new(() => DateTimeOffset.UtcNow, Task.Delay);

    public Func<DateTimeOffset> UtcNow { get; }

    public Func<TimeSpan, CancellationToken, Task> Delay { get; }
}
