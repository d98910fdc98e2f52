using System;
using System.Buffers;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using OAuthSmtp.Relay.Logging;
using OAuthSmtp.Relay.Spool;
using SmtpServer;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace OAuthSmtp.Relay.Inbound;

/// <summary>
/// The end of a device's DATA: the header senders and the size checked against the device's rules, the From
/// rewrite applied where configured, then the message written to the spool and fsync'd. Only then does the device
/// get 250; a message that could not be stored gets 451 (the device keeps it and retries).
/// </summary>
internal sealed class SpoolingMessageStore : IMessageStore
{
    private readonly DeviceDirectory _devices;
    private readonly InboundRefusals _refusals;
    private readonly MessageSpool _spool;
    private readonly RelayLogs _logs;
    private readonly Action<SpoolEntry> _queued;

    public SpoolingMessageStore(DeviceDirectory devices, InboundRefusals refusals, MessageSpool spool, RelayLogs logs, Action<SpoolEntry> queued)
    {
        _devices = devices;
        _refusals = refusals;
        _spool = spool;
        _logs = logs;
        _queued = queued;
    }

    public Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
    {
        var device = InboundRefusals.Device(context);
        var mailFrom = SenderRules.Address(transaction.From);
        var recipients = SenderRules.Addresses(transaction.To);
        if (device is null)
        {
            return Task.FromResult(Refused(context, 530, "5.7.0 Authentication required", "AuthenticationRequired", mailFrom));
        }

        var limit = _devices.Settings.MaxMessageBytes(device);
        if (buffer.Length + 2 > limit)
        {
            return Task.FromResult(Refused(context, 552, $"5.3.4 Message size {buffer.Length + 2} exceeds the limit of {limit} bytes for device {device.Name}", "MessageTooLarge", mailFrom));
        }

        var headers = HeaderSection.Read(buffer);
        var mailbox = Configuration.RelaySettings.MailboxOf(device);
        var rewrite = device.RewriteFrom ? mailbox : null;
        if (rewrite is null)
        {
            var refused = headers.FromAddresses().FirstOrDefault(a => !device.AllowsSender(a));
            if (refused is not null)
            {
                return Task.FromResult(Refused(context, 550, $"5.7.1 Header sender <{refused}> is not allowed for device {device.Name}", "HeaderSenderNotAllowed", mailFrom));
            }
        }

        var envelope = new SpoolEnvelope
        {
            Id = MessageSpool.NewId(),
            Device = device.Name!,
            Profile = device.Profile!,
            Mailbox = mailbox,
            MailFrom = rewrite ?? mailFrom,
            Recipients = recipients.ToList(),
            Source = InboundRefusals.RemoteAddress(context).ToString(),
            ReceivedAt = DateTimeOffset.UtcNow,
            MessageId = headers.MessageId,
            Subject = headers.Subject,
        };

        SpoolEntry entry;
        try
        {
            if (rewrite is not null)
            {
                var prefix = headers.WithFrom(rewrite);
                var skip = headers.Length > 0 ? headers.Length : buffer.Length;
                envelope.Size = prefix.Length + buffer.Length - skip + 2;
                entry = _spool.Accept(envelope, buffer, prefix, skip);
            }
            else
            {
                envelope.Size = buffer.Length + 2;
                entry = _spool.Accept(envelope, buffer);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            _logs.Outcomes.Write(new OutcomeEntry { Event = "refused", Device = device.Name, Source = envelope.Source, MailFrom = mailFrom, Reason = "SpoolWriteFailed", Detail = ex.Message, Reply = "451 4.3.0 The relay could not store the message; try again later" });
            return Task.FromResult(new SmtpResponse((SmtpReplyCode)451, "4.3.0 The relay could not store the message; try again later"));
        }

        _logs.Outcomes.Write(new OutcomeEntry
        {
            Event = "accepted",
            Id = entry.Id,
            Device = device.Name,
            Source = envelope.Source,
            Profile = device.Profile,
            MailFrom = envelope.MailFrom,
            Recipients = envelope.Recipients,
            MessageId = envelope.MessageId,
            Size = envelope.Size,
        });
        _queued(entry);
        return Task.FromResult(new SmtpResponse(SmtpReplyCode.Ok, "2.0.0 Queued as " + entry.Id));
    }

    private SmtpResponse Refused(ISessionContext context, int code, string text, string reason, string mailFrom)
    {
        _refusals.Log(InboundRefusals.RemoteAddress(context).ToString(), InboundRefusals.Device(context)?.Name, code, text, reason, mailFrom);
        return new SmtpResponse((SmtpReplyCode)code, text);
    }
}
