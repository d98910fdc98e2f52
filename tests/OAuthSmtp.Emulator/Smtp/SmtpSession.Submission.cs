using System;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MimeKit;
using OAuthSmtp.Emulator.Model;

namespace OAuthSmtp.Emulator.Smtp;

/// <summary>The complete message: the checks of the end of data, the limits, storing it and the final reply.</summary>
internal sealed partial class SmtpSession
{
    /// <summary>The message is complete (null = over the size limit): check, throttle, store, answer; the transaction ends either way.</summary>
    private async Task<Outcome> EndOfMessageAsync(byte[]? raw, CancellationToken cancellationToken)
    {
        var principal = _principal!;
        var mailFrom = _mailFrom!;
        var recipients = _recipients.ToArray();
        ResetTransaction();

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

        if (raw is null || raw.LongLength > _server.Policy.MaxSendSize(principal))
        {
            Reply(SmtpReplies.MessageTooLarge);
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

        var fromAddresses = parsed?.From.Mailboxes.Select(m => m.Address).ToArray() ?? Array.Empty<string>();
        var refusal = _server.Policy.CheckMessage(principal, fromAddresses, recipients);
        if (refusal is not null)
        {
            Reply(refusal);
            return Outcome.Continue;
        }

        if (!_server.Limits.TryChargeRecipients(principal.Mailbox, recipients.Length, Settings.RecipientsPerDay, Context.Clock.UtcNow))
        {
            Note($"mailbox {principal.Mailbox} is over {Settings.RecipientsPerDay} recipients in 24 hours");
            Reply($"{SmtpReplies.SubmissionQuotaExceeded} {HostTag()}");
            return Outcome.Continue;
        }

        var hold = _server.Limits.ReserveSubmission(principal.Mailbox, Settings.MessagesPerRateWindow, Settings.MessageRateWindow, DateTimeOffset.UtcNow)
                   + Faults.TryConsumeSmtpThrottle();
        if (hold > TimeSpan.Zero)
        {
            Note($"submission held {hold.TotalMilliseconds:0} ms (message rate)");
            await Task.Delay(hold, cancellationToken).ConfigureAwait(false);
        }

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
            ReceivedAt = Context.Clock.UtcNow,
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
}
