using System;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MimeKit;

namespace OAuthSmtp.Emulator.Smtp;

/// <summary>
/// The complete message: the checks Exchange makes after the data (concurrency, sizes, the store's and EOP's
/// refusals, continuous error throttling), the limits, storing it and the final reply.
/// </summary>
internal sealed partial class SmtpSession
{
    /// <summary>
    /// The message's data starts: it counts towards the mailbox's simultaneous submissions until its final reply
    /// (THROTTLE-DOC: 3 per mailbox). Over the limit the data is still read; the end of data answers 432 4.3.2.
    /// </summary>
    private void BeginSubmission()
    {
        if (_inSubmission || _principal is null) return;
        _inSubmission = _server.Limits.TryBeginSubmission(_principal.Mailbox, Settings.MaxConcurrentSubmissionsPerMailbox);
        if (!_inSubmission) Note($"mailbox {_principal.Mailbox} already has {Settings.MaxConcurrentSubmissionsPerMailbox} messages in submission");
    }

    /// <summary>The message is complete (null = over the SIZE limit): check, store, answer; the transaction ends either way.</summary>
    private async Task<Outcome> EndOfMessageAsync(byte[]? raw, bool viaBdat, CancellationToken cancellationToken)
    {
        try
        {
            return await SubmitAsync(raw, viaBdat, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            ResetTransaction();
        }
    }

    private async Task<Outcome> SubmitAsync(byte[]? raw, bool viaBdat, CancellationToken cancellationToken)
    {
        var principal = _principal!;
        var mailFrom = _mailFrom!;
        var recipients = _recipients.ToArray();

        if (Faults.TryConsumeSmtpDrop(SmtpStage.BeforeEndOfData))
        {
            Note("fault: connection dropped before the message was stored");
            return Outcome.Drop;
        }

        var transient = Faults.TryConsumeSmtpTransientReply(SmtpStage.BeforeEndOfData) ?? Faults.TryConsumeSmtpTransientReply(SmtpStage.EndOfData);
        if (transient is not null)
        {
            Note("fault: transient reply at end of data; message not stored");
            Reply(transient);
            return Outcome.Continue;
        }

        if (!_inSubmission)
        {
            Reply(Settings.UseLegacyConcurrencyText ? SmtpReplies.ConcurrencyExceededLegacy(Context.HostName) : SmtpReplies.ConcurrencyExceeded);
            return Outcome.Continue;
        }

        if (Settings.ContinuousErrorReplyAtEndOfData && ThrottledReply() is { } throttled)
        {
            Reply(throttled);
            return Outcome.Continue;
        }

        if (raw is null)
        {
            Reply(SmtpReplies.MessageTooLarge);
            return Outcome.Continue;
        }

        var headerBytes = HeaderBlockLength(raw);
        if (headerBytes > Settings.MaxHeaderBytes)
        {
            Note($"header block of {headerBytes} bytes is over {Settings.MaxHeaderBytes}");
            Reply(SmtpReplies.HeaderTooLarge);
            return Outcome.Continue;
        }

        MimeMessage? parsed = null;
        try
        {
            parsed = MimeMessage.Load(new MemoryStream(raw, writable: false), cancellationToken);
        }
        catch (FormatException)
        {
            Note("message did not parse as MIME");
        }

        if (viaBdat && Settings.RefuseBdatWithAttachments && parsed is not null && parsed.Attachments.Any())
        {
            Note("setting RefuseBdatWithAttachments: a BDAT message with attachments is refused as in MailKit#904");
            Reply(SmtpReplies.HeaderTooLarge);
            return Outcome.Continue;
        }

        var fromAddresses = parsed?.From.Mailboxes.Select(m => m.Address).ToArray() ?? Array.Empty<string>();
        var refusal = _server.Policy.CheckMessage(principal, new SubmittedMessage(fromAddresses, mailFrom, recipients, raw.LongLength));
        if (refusal is not null)
        {
            Reply(refusal);
            if (refusal.CountsTowards is { } kind) CountError(kind);
            return Outcome.Continue;
        }

        if (!_server.Limits.TryChargeRecipients(principal.Mailbox, recipients.Length, Settings.RecipientsPerDay, Context.Clock.UtcNow))
        {
            Note($"mailbox {principal.Mailbox} is over {Settings.RecipientsPerDay} recipients in 24 hours");
            Reply($"{SmtpReplies.SubmissionQuotaExceeded} {HostTag()}");
            return Outcome.Continue;
        }

        _server.Limits.RecordSuccess(principal.Mailbox);

        var hold = Faults.TryConsumeSmtpThrottle();
        if (hold > TimeSpan.Zero)
        {
            Note($"fault: end-of-data reply held {hold.TotalMilliseconds:0} ms");
            await Task.Delay(hold, cancellationToken).ConfigureAwait(false);
        }

        await HoldIfAskedAsync(SmtpStage.EndOfData, cancellationToken).ConfigureAwait(false);

        // Over 30 a minute the service accepts and delivers later ("carried over to the following minutes", THROTTLE-DOC);
        // the reply is not held. The fault ThrottleCount still holds replies, for clients' timeout handling. The rate
        // window runs on the emulator's clock, from the same instant as ReceivedAt, so a delayed message's DeliverAt
        // is exactly its slot.
        var receivedAt = Context.Clock.UtcNow;
        var deliveryDelay = _server.Limits.ScheduleDelivery(principal.Mailbox, Settings.MessagesPerRateWindow, Settings.MessageRateWindow, receivedAt);
        if (deliveryDelay > TimeSpan.Zero) Note($"delivery delayed {deliveryDelay.TotalSeconds:0.#} s (message rate)");
        var messageId = parsed?.MessageId is { Length: > 0 } id ? id : $"{Guid.NewGuid():N}@{Context.HostName}";
        Context.Delivered.Add(new DeliveredMessage
        {
            From = parsed is null ? "" : string.Join(", ", fromAddresses),
            To = recipients,
            Subject = parsed?.Subject ?? "",
            MessageId = messageId,
            MailFrom = mailFrom,
            AuthenticatedMailbox = principal.Mailbox,
            AuthenticatedPrincipalId = principal.PrincipalId,
            ReceivedAt = receivedAt,
            DeliverAt = receivedAt + deliveryDelay,
            Raw = raw,
        });
        Statistics.CountSmtpMessageAccepted();
        Note($"message {messageId} stored");

        if (Faults.TryConsumeSmtpDrop(SmtpStage.EndOfData))
        {
            Note("fault: connection dropped after the message was stored (delivery unknown to the client)");
            return Outcome.Drop;
        }

        Reply($"250 2.0.0 OK <{messageId}> [Hostname={Context.HostName}]");
        return Outcome.Continue;
    }

    /// <summary>The 550 5.2.25x reply while the authenticated mailbox is throttled for continuous errors, else null.</summary>
    private string? ThrottledReply()
    {
        if (_principal is null) return null;
        var kind = _server.Limits.ThrottledFor(_principal.Mailbox, Context.Clock.UtcNow);
        if (kind is null) return null;
        Note($"mailbox {_principal.Mailbox} is throttled for continuous {kind} errors");
        return SmtpReplies.SenderThrottled(kind.Value);
    }

    /// <summary>Counts a refusal towards continuous error throttling (CET-DOC).</summary>
    private void CountError(ContinuousErrorKind kind)
    {
        if (_principal is null) return;
        if (_server.Limits.RecordError(_principal.Mailbox, kind, Settings.ContinuousErrorThreshold, Settings.ContinuousErrorLockout, Context.Clock.UtcNow))
        {
            Note($"mailbox {_principal.Mailbox} reached {Settings.ContinuousErrorThreshold} continuous {kind} errors: throttled for {Settings.ContinuousErrorLockout}");
        }
    }

    /// <summary>Bytes up to and including the blank line that ends the header block (the whole message when there is none).</summary>
    private static int HeaderBlockLength(byte[] raw)
    {
        for (var i = 0; i + 1 < raw.Length; i++)
        {
            if (raw[i] != '\n') continue;
            if (raw[i + 1] == '\n') return i + 2;
            if (raw[i + 1] == '\r' && i + 2 < raw.Length && raw[i + 2] == '\n') return i + 3;
        }

        return raw.Length;
    }
}
