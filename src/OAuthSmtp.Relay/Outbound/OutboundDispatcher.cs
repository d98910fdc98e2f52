using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using OAuthSmtp.Engine.Errors;
using OAuthSmtp.Engine.Retries;
using OAuthSmtp.Engine.Sending;
using OAuthSmtp.Engine.Relay;
using OAuthSmtp.Relay.Configuration;
using OAuthSmtp.Relay.Logging;
using OAuthSmtp.Relay.Spool;

namespace OAuthSmtp.Relay.Outbound;

/// <summary>
/// Submits queued messages to Exchange Online through the engine (MessageSender: STARTTLS, XOAUTH2, the redacted
/// protocol log), one lane per sending mailbox. Each message's way through the spool: queued → submitting (just
/// before the engine gets it; the token is fetched first, so an unreachable token service leaves it queued) →
/// done (250), queued again (4xx or a connection lost before the data ended, after a backoff from the engine's
/// RetryPolicy), dead (5xx, classified, with reason and fix) or unknown (the data ended, no reply came).
/// </summary>
internal sealed class OutboundDispatcher : IAsyncDisposable
{
    private readonly MessageSpool _spool;
    private readonly RelayLogs _logs;
    private readonly SendingProfiles _profiles;
    private readonly Func<RelaySettings> _settings;
    private readonly ConcurrentDictionary<string, MailboxLane> _lanes = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, byte> _known = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopTaking = new();
    private readonly CancellationTokenSource _abort = new();
    private readonly RelayErrors _errors;

    public OutboundDispatcher(MessageSpool spool, RelayLogs logs, SendingProfiles profiles, Func<RelaySettings> settings, RelayErrors errors)
    {
        _spool = spool;
        _logs = logs;
        _profiles = profiles;
        _settings = settings;
        _errors = errors;
    }

    public IReadOnlyCollection<MailboxLane> Lanes => _lanes.Values.ToList();

    private int _submitted;

    /// <summary>Messages Exchange accepted since the start.</summary>
    public int Submitted => Volatile.Read(ref _submitted);

    /// <summary>Hands a queued message to its mailbox's lane (once; a rescan of queue/ finds only new files).</summary>
    public void Enqueue(SpoolEntry entry)
    {
        if (!_known.TryAdd(entry.Id, 0))
        {
            return;
        }

        SendingProfile profile;
        try
        {
            profile = _profiles.Resolve(entry.Envelope.Profile, entry.Envelope.Mailbox);
        }
        catch (OAuthSmtpException ex)
        {
            DeadLetter(entry, "Configuration", ex.ErrorId, null, ex.Message, ex.Fix);
            return;
        }

        var limits = _settings().Limits;
        var lane = _lanes.GetOrAdd(profile.MailboxKey, key => new MailboxLane(key, limits.ConnectionsPerMailbox, limits.MessagesPerMinutePerMailbox, RunWorkerAsync) { Stopping = _stopTaking.Token });
        lane.Enqueue(entry);
    }

    /// <summary>Picks up files put back into queue/ by hand (a dead letter resent after the fix).</summary>
    public void Rescan()
    {
        foreach (var entry in _spool.List(SpoolState.Queued))
        {
            Enqueue(entry);
        }
    }

    /// <summary>Stops taking messages, lets submissions under way finish (up to the grace), then aborts the rest.</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        await _stopTaking.CancelAsync().ConfigureAwait(false);
        var running = _lanes.Values.SelectMany(l => { lock (l.Running) { return l.Running.ToList(); } }).ToArray();
        var all = Task.WhenAll(running);
        if (await Task.WhenAny(all, Task.Delay(grace)).ConfigureAwait(false) != all)
        {
            await _abort.CancelAsync().ConfigureAwait(false);
            await Task.WhenAny(all, Task.Delay(TimeSpan.FromSeconds(5))).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        _stopTaking.Dispose();
        _abort.Dispose();
    }

    private async Task RunWorkerAsync(MailboxLane lane, int worker, CancellationToken stopping)
    {
        MessageSender? sender = null;
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                SpoolEntry? entry;
                try
                {
                    entry = await lane.TakeAsync(worker, stopping).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }

                if (entry is null)
                {
                    break;
                }

                try
                {
                    await lane.Pace.WaitTurnAsync(stopping).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    _known.TryRemove(entry.Id, out _);
                    break;
                }

                SendingProfile profile;
                try
                {
                    profile = _profiles.Resolve(entry.Envelope.Profile, entry.Envelope.Mailbox);
                }
                catch (OAuthSmtpException ex)
                {
                    DeadLetter(entry, "Configuration", ex.ErrorId, null, ex.Message, ex.Fix);
                    continue;
                }

                sender ??= CreateSender(profile, lane, worker);
                try
                {
                    await SubmitAsync(lane, sender, profile, entry).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    // The spool itself failed (disk full, permissions): the message stays where it is, retried later.
                    _errors.Add($"The spool could not be changed for message {entry.Id}: {ex.Message}", null, entry.Id);
                    entry.NotBefore = DateTimeOffset.UtcNow + TimeSpan.FromMinutes(1);
                    if (entry.State == SpoolState.Queued)
                    {
                        lane.Enqueue(entry);
                    }
                }
            }
        }
        finally
        {
            if (sender is not null)
            {
                try
                {
                    using var quit = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                    await sender.CloseAsync(quit.Token).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is OperationCanceledException or IOException or OAuthSmtpException)
                {
                }

                sender.Dispose();
            }

            lane.WorkerEnded(worker);
        }
    }

    private MessageSender CreateSender(SendingProfile profile, MailboxLane lane, int worker)
    {
        var options = new SmtpSenderOptions(profile.Plan.Host, profile.Plan.Port, profile.Plan.Mailbox, profile.Tokens)
        {
            ProtocolLogPath = Path.Combine(_logs.Folder, $"outbound-{Safe(lane.Mailbox)}-{worker + 1}.log"),
            Retry = RetryPolicy.None,
            HaltAfterRepeatedFailures = 0,
            MessagesPerMinute = 0,
            TimeoutMs = 60_000,
        };
        return new MessageSender(options);
    }

    private static string Safe(string mailbox) => string.Concat(mailbox.Select(c => char.IsLetterOrDigit(c) || c is '.' or '-' or '_' or '@' ? c : '_'));

    private async Task SubmitAsync(MailboxLane lane, MessageSender sender, SendingProfile profile, SpoolEntry entry)
    {
        var settings = _settings();
        entry.Attempts++;

        PreparedMessage prepared;
        try
        {
            using var content = _spool.OpenContent(entry);
            prepared = EnvelopeMessage.Load(content, entry.Envelope.MailFrom, entry.Envelope.Recipients);
        }
        catch (OAuthSmtpException ex)
        {
            DeadLetter(entry, "Rejected", ex.ErrorId, null, ex.Message, ex.Fix);
            return;
        }

        // The token first: while the token service is down the message stays in queue/, so a crash then is harmless.
        try
        {
            await profile.Tokens.GetTokenAsync(false, _abort.Token).ConfigureAwait(false);
        }
        catch (OAuthSmtpException ex)
        {
            var (verdict, reason) = DeliveryClassifier.Classify(ex.ErrorId, transient: false);
            if (verdict == DeliveryVerdict.Retry)
            {
                Retry(lane, entry, settings.Limits, ex.ErrorId, null, ex.Message);
            }
            else
            {
                DeadLetter(entry, reason, ex.ErrorId, null, ex.Message, ex.Fix);
            }

            return;
        }
        catch (OperationCanceledException)
        {
            _known.TryRemove(entry.Id, out _);
            return;
        }

        _spool.Move(entry, SpoolState.Submitting);
        var result = await sender.SendAsync(prepared, _abort.Token).ConfigureAwait(false);
        var error = result.GetError();
        switch (result.Status)
        {
            case SendStatus.Sent:
                _spool.Move(entry, SpoolState.Done);
                Interlocked.Increment(ref _submitted);
                _known.TryRemove(entry.Id, out _);
                _logs.Outcomes.Write(new OutcomeEntry
                {
                    Event = "submitted",
                    Id = entry.Id,
                    Device = entry.Envelope.Device,
                    Profile = entry.Envelope.Profile,
                    MailFrom = entry.Envelope.MailFrom,
                    Recipients = entry.Envelope.Recipients,
                    MessageId = entry.Envelope.MessageId,
                    Reply = result.ServerReply,
                    Attempts = entry.Attempts,
                });
                return;

            case SendStatus.DeliveryUnknown:
                Finish(entry, SpoolState.Unknown, "DeliveryUnknown", error?.ErrorId ?? ErrorIds.DeliveryUnknown, result.ServerReply,
                    error?.Message ?? "The connection was lost after the message data was sent and before Exchange answered.",
                    $"Check the message trace before resending (Get-MessageTraceV2 -SenderAddress '{entry.Envelope.MailFrom}'); to send it again, move {entry.Id}{MessageSpool.MessageExtension} from {_spool.FolderOf(SpoolState.Unknown)} into {_spool.FolderOf(SpoolState.Queued)}.");
                return;

            case SendStatus.Cancelled:
                // Stopped before the data went out: not delivered, stays queued for the next start.
                _spool.Move(entry, SpoolState.Queued);
                _known.TryRemove(entry.Id, out _);
                return;
        }

        var transient = DeliveryClassifier.IsTransient(error) || (result.ServerReply?.StartsWith('4') ?? false);
        var (decision, why) = DeliveryClassifier.Classify(error?.ErrorId, transient);
        switch (decision)
        {
            case DeliveryVerdict.RetryWithFewerConnections:
                lane.UseFewerConnections();
                _spool.Move(entry, SpoolState.Queued);
                Retry(lane, entry, settings.Limits, error?.ErrorId, result.ServerReply, error?.Message);
                return;
            case DeliveryVerdict.Retry:
                _spool.Move(entry, SpoolState.Queued);
                Retry(lane, entry, settings.Limits, error?.ErrorId, result.ServerReply, error?.Message);
                return;
            case DeliveryVerdict.DeadLetterAndPauseMailbox:
                lane.Pause(TimeSpan.FromSeconds(settings.Limits.ThrottledMailboxPauseSeconds));
                _errors.Add($"Exchange locked mailbox {lane.Mailbox} out of sending ({result.ServerReply}); its queue rests until {lane.PausedUntil:u}.", error?.ErrorId, lane.Mailbox);
                DeadLetter(entry, why, error?.ErrorId, result.ServerReply, error?.Message ?? string.Empty, error?.Fix);
                return;
            default:
                DeadLetter(entry, why, error?.ErrorId, result.ServerReply, error?.Message ?? string.Empty, error?.Fix);
                return;
        }
    }

    private void Retry(MailboxLane lane, SpoolEntry entry, RelayLimits limits, string? errorId, string? reply, string? detail)
    {
        if (entry.Attempts >= limits.MaxDeliveryAttempts)
        {
            DeadLetter(entry, "RetriesExhausted", errorId, reply, $"Not delivered after {entry.Attempts} attempts. {detail}", "Fix the cause named in the last reply, then move the file back into the spool's queue folder to send it again.");
            return;
        }

        var policy = new RetryPolicy(limits.MaxDeliveryAttempts, TimeSpan.FromSeconds(limits.FirstRetrySeconds), TimeSpan.FromSeconds(limits.MaxRetrySeconds));
        var delay = policy.DelayBefore(entry.Attempts);
        entry.NotBefore = DateTimeOffset.UtcNow + delay;
        _logs.Outcomes.Write(new OutcomeEntry
        {
            Event = "retrying",
            Id = entry.Id,
            Device = entry.Envelope.Device,
            Profile = entry.Envelope.Profile,
            Reply = reply,
            ErrorId = errorId,
            Detail = detail,
            Attempts = entry.Attempts,
            NextAttempt = entry.NotBefore,
        });
        lane.Enqueue(entry);
    }

    private void DeadLetter(SpoolEntry entry, string reason, string? errorId, string? reply, string detail, string? fix) =>
        Finish(entry, SpoolState.Dead, reason, errorId, reply, detail, fix);

    private void Finish(SpoolEntry entry, SpoolState state, string reason, string? errorId, string? reply, string detail, string? fix)
    {
        var outcome = new SpoolOutcome
        {
            Id = entry.Id,
            Reason = reason,
            ErrorId = errorId,
            ServerReply = reply,
            Message = detail,
            Fix = fix,
            Attempts = entry.Attempts,
            At = DateTimeOffset.UtcNow,
        };
        _spool.Finish(entry, state, outcome);
        _known.TryRemove(entry.Id, out _);
        _errors.Add($"{(state == SpoolState.Dead ? "Dead letter" : "Delivery unknown")} {entry.Id} ({reason}): {detail}", errorId, entry.Id);
        _logs.Outcomes.Write(new OutcomeEntry
        {
            Event = state == SpoolState.Dead ? "dead" : "unknown",
            Id = entry.Id,
            Device = entry.Envelope.Device,
            Profile = entry.Envelope.Profile,
            MailFrom = entry.Envelope.MailFrom,
            Recipients = entry.Envelope.Recipients,
            MessageId = entry.Envelope.MessageId,
            Reply = reply,
            Reason = reason,
            ErrorId = errorId,
            Detail = detail,
            Fix = fix,
            Attempts = entry.Attempts,
        });
    }
}
