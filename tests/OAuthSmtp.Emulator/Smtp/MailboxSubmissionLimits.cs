using System;
using System.Collections.Generic;
using System.Linq;

namespace OAuthSmtp.Emulator.Smtp;

/// <summary>
/// The per-mailbox limits of EXCHANGE-FACTS §8, shared by all sessions of one server: concurrent authenticated
/// connections, messages per minute (excess delayed, real time), recipients per rolling day (emulator clock).
/// Mailboxes are keyed case-insensitively by the authenticated address.
/// </summary>
internal sealed class MailboxSubmissionLimits
{
    private readonly object _gate = new();
    private readonly Dictionary<string, int> _connections = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, List<DateTimeOffset>> _scheduledSubmissions = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, List<(DateTimeOffset At, int Recipients)>> _recipients = new(StringComparer.OrdinalIgnoreCase);
    private readonly Func<int> _generation;
    private int _seenGeneration;

    /// <param name="generation">Reset marker (Reset-EmuTenant): when it changes, rate and recipient history are forgotten; open connections are not.</param>
    public MailboxSubmissionLimits(Func<int> generation)
    {
        _generation = generation;
        _seenGeneration = generation();
    }

    private void ForgetHistoryIfReset()
    {
        var current = _generation();
        if (current == _seenGeneration) return;
        _seenGeneration = current;
        _scheduledSubmissions.Clear();
        _recipients.Clear();
    }

    /// <summary>Takes one of the mailbox's connection slots; false when all <paramref name="limit"/> are in use.</summary>
    public bool TryAcquireConnection(string mailbox, int limit)
    {
        lock (_gate)
        {
            _connections.TryGetValue(mailbox, out var open);
            if (open >= limit) return false;
            _connections[mailbox] = open + 1;
            return true;
        }
    }

    public void ReleaseConnection(string mailbox)
    {
        lock (_gate)
        {
            if (!_connections.TryGetValue(mailbox, out var open)) return;
            if (open <= 1) _connections.Remove(mailbox);
            else _connections[mailbox] = open - 1;
        }
    }

    public int OpenConnections(string mailbox)
    {
        lock (_gate)
        {
            return _connections.TryGetValue(mailbox, out var open) ? open : 0;
        }
    }

    /// <summary>
    /// Books a submission slot: at most <paramref name="perWindow"/> submissions in any <paramref name="window"/>;
    /// returns how long this submission must wait for its slot (zero when under the rate).
    /// </summary>
    public TimeSpan ReserveSubmission(string mailbox, int perWindow, TimeSpan window, DateTimeOffset now)
    {
        lock (_gate)
        {
            ForgetHistoryIfReset();
            if (!_scheduledSubmissions.TryGetValue(mailbox, out var slots))
            {
                _scheduledSubmissions[mailbox] = slots = new List<DateTimeOffset>();
            }

            slots.RemoveAll(at => at <= now - window);
            var at = now;
            if (perWindow > 0 && slots.Count >= perWindow)
            {
                // The slot opens one window after the submission perWindow places earlier.
                var earlier = slots[slots.Count - perWindow] + window;
                if (earlier > at) at = earlier;
            }

            slots.Add(at);
            return at - now;
        }
    }

    /// <summary>Charges recipients to the mailbox's rolling 24 hours; false (nothing charged) when that would pass <paramref name="perDay"/>.</summary>
    public bool TryChargeRecipients(string mailbox, int count, int perDay, DateTimeOffset now)
    {
        lock (_gate)
        {
            ForgetHistoryIfReset();
            if (!_recipients.TryGetValue(mailbox, out var charges))
            {
                _recipients[mailbox] = charges = new List<(DateTimeOffset, int)>();
            }

            charges.RemoveAll(c => c.At <= now - TimeSpan.FromDays(1));
            if (charges.Sum(c => c.Recipients) + count > perDay) return false;
            charges.Add((now, count));
            return true;
        }
    }
}
