using System;
using System.Collections.Generic;
using System.Linq;

namespace OAuthSmtp.Emulator.Smtp;

/// <summary>
/// The per-mailbox limits of EXCHANGE-FACTS §8, shared by all sessions of one server: messages in submission at the
/// same time, messages per minute (excess delivered later, real time), recipients per rolling day (emulator clock),
/// and continuous error throttling (CET-DOC, emulator clock). Mailboxes are keyed case-insensitively by the
/// authenticated address.
/// </summary>
internal sealed class MailboxSubmissionLimits
{
    private readonly object _gate = new();
    private readonly Dictionary<string, int> _submissions = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, List<DateTimeOffset>> _scheduledDeliveries = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, List<(DateTimeOffset At, int Recipients)>> _recipients = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, Dictionary<ContinuousErrorKind, int>> _errorRuns = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, (ContinuousErrorKind Kind, DateTimeOffset Until)> _throttled = new(StringComparer.OrdinalIgnoreCase);
    private readonly Func<int> _generation;
    private int _seenGeneration;

    /// <param name="generation">Reset marker (Reset-EmuTenant): when it changes, rate, recipient and error history are forgotten; submissions in progress are not.</param>
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
        _scheduledDeliveries.Clear();
        _recipients.Clear();
        _errorRuns.Clear();
        _throttled.Clear();
    }

    /// <summary>A message of the mailbox enters submission (its data started); false when <paramref name="limit"/> are already in submission.</summary>
    public bool TryBeginSubmission(string mailbox, int limit)
    {
        lock (_gate)
        {
            _submissions.TryGetValue(mailbox, out var running);
            if (running >= limit) return false;
            _submissions[mailbox] = running + 1;
            return true;
        }
    }

    public void EndSubmission(string mailbox)
    {
        lock (_gate)
        {
            if (!_submissions.TryGetValue(mailbox, out var running)) return;
            if (running <= 1) _submissions.Remove(mailbox);
            else _submissions[mailbox] = running - 1;
        }
    }

    public int SubmissionsInProgress(string mailbox)
    {
        lock (_gate)
        {
            return _submissions.TryGetValue(mailbox, out var running) ? running : 0;
        }
    }

    /// <summary>
    /// Books a delivery slot: at most <paramref name="perWindow"/> deliveries in any <paramref name="window"/>;
    /// returns how long this message's delivery is delayed (zero when under the rate). The reply is not delayed.
    /// </summary>
    public TimeSpan ScheduleDelivery(string mailbox, int perWindow, TimeSpan window, DateTimeOffset now)
    {
        lock (_gate)
        {
            ForgetHistoryIfReset();
            if (!_scheduledDeliveries.TryGetValue(mailbox, out var slots))
            {
                _scheduledDeliveries[mailbox] = slots = new List<DateTimeOffset>();
            }

            slots.RemoveAll(at => at <= now - window);
            var at = now;
            if (perWindow > 0 && slots.Count >= perWindow)
            {
                // The slot opens one window after the delivery perWindow places earlier ("carried over to the following minutes").
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

    /// <summary>The kind of errors the mailbox is throttled for right now, or null.</summary>
    public ContinuousErrorKind? ThrottledFor(string mailbox, DateTimeOffset now)
    {
        lock (_gate)
        {
            ForgetHistoryIfReset();
            if (!_throttled.TryGetValue(mailbox, out var throttle)) return null;
            if (throttle.Until > now) return throttle.Kind;
            _throttled.Remove(mailbox);
            return null;
        }
    }

    /// <summary>Counts one refusal of <paramref name="kind"/>; true when it reached <paramref name="threshold"/> and the mailbox is now throttled until now + <paramref name="lockout"/>.</summary>
    public bool RecordError(string mailbox, ContinuousErrorKind kind, int threshold, TimeSpan lockout, DateTimeOffset now)
    {
        if (threshold <= 0) return false;
        lock (_gate)
        {
            ForgetHistoryIfReset();
            if (!_errorRuns.TryGetValue(mailbox, out var runs))
            {
                _errorRuns[mailbox] = runs = new Dictionary<ContinuousErrorKind, int>();
            }

            runs.TryGetValue(kind, out var run);
            runs[kind] = ++run;
            if (run < threshold) return false;
            runs.Remove(kind);
            _throttled[mailbox] = (kind, now + lockout);
            return true;
        }
    }

    /// <summary>An accepted message ends every run of errors: they are no longer "continuous".</summary>
    public void RecordSuccess(string mailbox)
    {
        lock (_gate)
        {
            _errorRuns.Remove(mailbox);
        }
    }
}
