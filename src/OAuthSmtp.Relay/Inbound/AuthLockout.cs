using System;
using System.Collections.Concurrent;

namespace OAuthSmtp.Relay.Inbound;

/// <summary>
/// Counts failed AUTH attempts per key (the source address, and the user name tried) and locks a key out for a while
/// once it reaches the limit, so a guessing device or attacker is stopped whichever it varies.
/// </summary>
internal sealed class AuthLockout
{
    private readonly ConcurrentDictionary<string, Counter> _counters = new(StringComparer.OrdinalIgnoreCase);
    private readonly Func<DateTimeOffset> _clock;

    public AuthLockout(Func<DateTimeOffset>? clock = null) => _clock = clock ?? (() => DateTimeOffset.UtcNow);

    public DateTimeOffset? LockedUntil(string key)
    {
        if (_counters.TryGetValue(key, out var counter))
        {
            lock (counter)
            {
                if (counter.LockedUntil is { } until && until > _clock())
                {
                    return until;
                }
            }
        }

        return null;
    }

    /// <summary>Records a failure; returns the end of the lockout when this failure started one.</summary>
    public DateTimeOffset? Fail(string key, int limit, TimeSpan lockout)
    {
        var counter = _counters.GetOrAdd(key, _ => new Counter());
        lock (counter)
        {
            var now = _clock();
            if (counter.LockedUntil is { } until && until <= now)
            {
                counter.LockedUntil = null;
                counter.Failures = 0;
            }

            counter.Failures++;
            if (counter.Failures >= limit && counter.LockedUntil is null)
            {
                counter.LockedUntil = now + lockout;
                return counter.LockedUntil;
            }

            return null;
        }
    }

    public void Succeed(string key) => _counters.TryRemove(key, out _);

    private sealed class Counter
    {
        public int Failures { get; set; }

        public DateTimeOffset? LockedUntil { get; set; }
    }
}
