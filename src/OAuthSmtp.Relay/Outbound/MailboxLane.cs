using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace OAuthSmtp.Relay.Outbound;

/// <summary>
/// The queue of one sending mailbox and its connections: one connection, reused for the whole queue, and a second
/// or third only while the backlog is long (Exchange allows 3 concurrent submissions per mailbox). A 432 lowers the
/// number for a while (someone else uses the mailbox's slots); a sender lockout rests the whole lane.
/// </summary>
internal sealed class MailboxLane
{
    private static readonly TimeSpan IdleClose = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan ReducedFor = TimeSpan.FromMinutes(5);

    private readonly object _gate = new();
    private readonly List<Spool.SpoolEntry> _pending = new();
    private readonly SemaphoreSlim _signal = new(0);
    private readonly Func<MailboxLane, int, CancellationToken, Task> _worker;
    private readonly int _maxConnections;
    private int _connectionLimit;
    private DateTimeOffset _reducedUntil;
    private readonly bool[] _slots = new bool[3];
    private int _workers;

    public MailboxLane(string mailbox, int maxConnections, int messagesPerMinute, Func<MailboxLane, int, CancellationToken, Task> worker)
    {
        Mailbox = mailbox;
        _maxConnections = Math.Clamp(maxConnections, 1, 3);
        _connectionLimit = _maxConnections;
        Pace = new MailboxPace(messagesPerMinute);
        _worker = worker;
    }

    public string Mailbox { get; }

    public MailboxPace Pace { get; }

    public DateTimeOffset PausedUntil { get; private set; }

    public int Workers
    {
        get
        {
            lock (_gate)
            {
                return _workers;
            }
        }
    }

    public int PeakWorkers { get; private set; }

    public int Pending
    {
        get
        {
            lock (_gate)
            {
                return _pending.Count;
            }
        }
    }

    public List<Task> Running { get; } = new();

    public CancellationToken Stopping { get; set; }

    public void Enqueue(Spool.SpoolEntry entry)
    {
        lock (_gate)
        {
            _pending.Add(entry);
        }

        _signal.Release();
        MaybeStartWorker();
    }

    /// <summary>Rests the lane (Exchange locked the mailbox out of sending).</summary>
    public void Pause(TimeSpan period)
    {
        lock (_gate)
        {
            PausedUntil = DateTimeOffset.UtcNow + period;
        }
    }

    /// <summary>One connection fewer for a while, never below one (432: the mailbox's slots are taken elsewhere).</summary>
    public void UseFewerConnections()
    {
        lock (_gate)
        {
            _connectionLimit = Math.Max(1, Math.Min(_connectionLimit, _workers) - 1);
            _reducedUntil = DateTimeOffset.UtcNow + ReducedFor;
        }
    }

    /// <summary>The next message whose time has come, or null when the lane stayed idle long enough for the worker to close its connection.</summary>
    public async Task<Spool.SpoolEntry?> TakeAsync(int worker, CancellationToken cancellationToken)
    {
        var idleSince = DateTimeOffset.UtcNow;
        while (true)
        {
            TimeSpan wait;
            lock (_gate)
            {
                var now = DateTimeOffset.UtcNow;
                var limit = now < _reducedUntil ? _connectionLimit : _maxConnections;
                if (worker >= limit)
                {
                    return null;
                }

                if (PausedUntil > now)
                {
                    wait = PausedUntil - now;
                }
                else
                {
                    var ready = _pending.Where(e => e.NotBefore <= now).OrderBy(e => e.NotBefore).ThenBy(e => e.Id, StringComparer.Ordinal).FirstOrDefault();
                    if (ready is not null)
                    {
                        _pending.Remove(ready);
                        return ready;
                    }

                    wait = _pending.Count == 0 ? IdleClose : _pending.Min(e => e.NotBefore) - now;
                    if (_pending.Count == 0 && now - idleSince >= IdleClose)
                    {
                        return null;
                    }
                }
            }

            var bounded = wait < TimeSpan.FromMilliseconds(5) ? TimeSpan.FromMilliseconds(5) : wait > IdleClose ? IdleClose : wait;
            await _signal.WaitAsync(bounded, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Called by a worker as it ends; starts another if messages arrived meanwhile.</summary>
    public void WorkerEnded(int worker)
    {
        lock (_gate)
        {
            _slots[worker] = false;
            _workers--;
        }

        if (Pending > 0 && !Stopping.IsCancellationRequested)
        {
            MaybeStartWorker();
        }
    }

    private void MaybeStartWorker()
    {
        if (Stopping.IsCancellationRequested)
        {
            return;
        }

        int index;
        lock (_gate)
        {
            var limit = DateTimeOffset.UtcNow < _reducedUntil ? _connectionLimit : _maxConnections;
            // One connection serves the queue; more only while the backlog is more than a few messages per connection.
            if (_workers >= limit || (_workers > 0 && _pending.Count <= _workers * 4))
            {
                return;
            }

            index = Array.IndexOf(_slots, false);
            if (index < 0 || index >= limit)
            {
                return;
            }

            _slots[index] = true;
            _workers++;
            PeakWorkers = Math.Max(PeakWorkers, _workers);
        }

        var task = Task.Run(() => _worker(this, index, Stopping));
        lock (Running)
        {
            Running.RemoveAll(t => t.IsCompleted);
            Running.Add(task);
        }
    }
}
