using System;
using System.Threading;
using System.Threading.Tasks;

namespace OAuthSmtp.Engine.Sending;

/// <summary>
/// Spaces message starts evenly so a pipeline stays at or under N messages a minute (Exchange Online delays a
/// mailbox's submissions beyond 30 a minute rather than refusing them). Off when N is 0.
/// </summary>
internal sealed class SendPacer
{
    private readonly TimeSpan _interval;
    private readonly Func<DateTimeOffset> _clock;
    private readonly Func<TimeSpan, CancellationToken, Task> _delay;
    private DateTimeOffset? _lastStart;

    public SendPacer(int messagesPerMinute, Func<DateTimeOffset> clock, Func<TimeSpan, CancellationToken, Task> delay)
    {
        _interval = messagesPerMinute > 0 ? TimeSpan.FromTicks(TimeSpan.FromMinutes(1).Ticks / messagesPerMinute) : TimeSpan.Zero;
        _clock = clock;
        _delay = delay;
    }

    public async Task WaitTurnAsync(CancellationToken cancellationToken)
    {
        if (_interval == TimeSpan.Zero)
        {
            return;
        }

        if (_lastStart is { } last)
        {
            var wait = last + _interval - _clock();
            if (wait > TimeSpan.Zero)
            {
                await _delay(wait, cancellationToken).ConfigureAwait(false);
            }
        }

        _lastStart = _clock();
    }
}
