using System.Threading;
using System.Threading.Tasks;
using SmtpServer;
using SmtpServer.Mail;
using SmtpServer.Storage;

namespace OAuthSmtp.Relay.Inbound;

/// <summary>
/// MAIL FROM and RCPT TO under the device's rules: which device this session is (its AUTH, or the address of a
/// device that sends without AUTH), the envelope sender it may use, the size it announced, and the recipient
/// domains it may reach (anything else is an open-relay attempt).
/// </summary>
internal sealed class DeviceMailboxFilter : IMailboxFilter
{
    private readonly DeviceDirectory _devices;
    private readonly InboundRefusals _refusals;

    public DeviceMailboxFilter(DeviceDirectory devices, InboundRefusals refusals)
    {
        _devices = devices;
        _refusals = refusals;
    }

    public Task<bool> CanAcceptFromAsync(ISessionContext context, IMailbox from, int size, CancellationToken cancellationToken)
    {
        var address = InboundRefusals.RemoteAddress(context);
        var sender = SenderRules.Address(from);
        var device = context.Authentication.IsAuthenticated ? InboundRefusals.Device(context) : _devices.UnauthenticatedDeviceFor(address);
        if (device is null)
        {
            throw _refusals.Refuse(context, 530, "5.7.0 Authentication required", "AuthenticationRequired", sender);
        }

        InboundRefusals.SetDevice(context, device);
        if (!device.AllowsSender(sender))
        {
            throw _refusals.Refuse(context, 550, $"5.7.1 Sender <{sender}> is not allowed for device {device.Name}", "SenderNotAllowed", sender);
        }

        var limit = _devices.Settings.MaxMessageBytes(device);
        if (size > limit)
        {
            throw _refusals.Refuse(context, 552, $"5.3.4 Message size {size} exceeds the limit of {limit} bytes for device {device.Name}", "MessageTooLarge", sender);
        }

        return Task.FromResult(true);
    }

    public Task<bool> CanDeliverToAsync(ISessionContext context, IMailbox to, IMailbox from, CancellationToken cancellationToken)
    {
        var device = InboundRefusals.Device(context);
        var recipient = SenderRules.Address(to);
        if (device is null)
        {
            throw _refusals.Refuse(context, 530, "5.7.0 Authentication required", "AuthenticationRequired", SenderRules.Address(from), recipient);
        }

        if (!device.AllowsRecipient(recipient))
        {
            throw _refusals.Refuse(context, 550, $"5.7.1 Relaying to <{recipient}> denied: device {device.Name} may send only to {string.Join(", ", device.AllowedRecipientDomains)}", "RecipientDomainNotAllowed", SenderRules.Address(from), recipient);
        }

        return Task.FromResult(true);
    }
}
