using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace OAuthSmtp.Relay.Outbound;

/// <summary>
/// At most N submission starts per mailbox in any sliding minute, across all of the mailbox's connections
/// (Exchange Online delays a mailbox's mail beyond 30 a minute). 0: no pacing.
/// </summary>
internal sealed class MailboxPace
{
    private readonly object _gate = new();
    private readonly Queue<DateTimeOffset> _starts = new();
    private readonly int _perMinute;

    public MailboxPace(int perMinute) => _perMinute = perMinute;

    public async Task WaitTurnAsync(CancellationToken cancellationToken)
    {
        if (_perMinute <= 0)
        {
            return;
        }

        while (true)
        {
            TimeSpan wait;
            lock (_gate)
            {
                var now = DateTimeOffset.UtcNow;
                while (_starts.Count > 0 && now - _starts.Peek() >= TimeSpan.FromMinutes(1))
                {
                    _starts.Dequeue();
                }

                if (_starts.Count < _perMinute)
                {
                    _starts.Enqueue(now);
                    return;
                }

                wait = _starts.Peek() + TimeSpan.FromMinutes(1) - now;
            }

            await Task.Delay(wait > TimeSpan.Zero ? wait : TimeSpan.FromMilliseconds(1), cancellationToken).ConfigureAwait(false);
        }
    }
}
