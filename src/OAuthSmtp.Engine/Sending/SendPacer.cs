using System;
using System.Threading;
using System.Threading.Tasks;
using OAuthSmtp.Engine.Retries;

namespace OAuthSmtp.Engine.Sending;

/// <summary>
/// Spaces message starts evenly so a pipeline stays at or under N messages a minute (Exchange Online delays a
/// mailbox's submissions beyond 30 a minute rather than refusing them). Off when N is 0.
/// </summary>
internal sealed class SendPacer
{
    private readonly TimeSpan _interval;
    private readonly RetryClock _clock;
    private DateTimeOffset? _lastStart;

    public SendPacer(int messagesPerMinute, RetryClock clock)
    {
        _interval = messagesPerMinute > 0 ? TimeSpan.FromTicks(TimeSpan.FromMinutes(1).Ticks / messagesPerMinute) : TimeSpan.Zero;
        _clock = clock;
    }

    public async Task WaitTurnAsync(CancellationToken cancellationToken)
    {
        if (_interval == TimeSpan.Zero)
        {
            return;
        }

        if (_lastStart is { } last)
        {
            var wait = last + _interval - _clock.UtcNow();
            if (wait > TimeSpan.Zero)
            {
                await _clock.Delay(wait, cancellationToken).ConfigureAwait(false);
            }
        }

        _lastStart = _clock.UtcNow();
    }
}
