using DeliveryNotificationOptions = System.Net.Mail.DeliveryNotificationOptions;
using System.Threading;
using System.Threading.Tasks;
using MailKit;
using MailKit.Net.Smtp;
using MimeKit;
using OAuthSmtp.Engine.Errors;

namespace OAuthSmtp.Engine.Sending;

/// <summary>
/// MailKit's SmtpClient as MailKit sends by default (DATA, not BDAT: MailKit moved back to DATA in 2019 after
/// Exchange Online refused BDAT messages with attachments, "552 5.3.4 Header size exceeds fixed maximum size",
/// jstedfast/MailKit#904 and #921), with the SIZE check done on MailKit's own measurement just before MAIL FROM, and
/// each message's delivery notifications.
/// </summary>
internal sealed class ExchangeSmtpClient : MailKit.Net.Smtp.SmtpClient
{
    public ExchangeSmtpClient(IProtocolLogger logger)
        : base(logger)
    {
    }

    /// <summary>The message being sent; set by the sender before each Send.</summary>
    public PreparedMessage? Current { get; set; }

    protected override long GetSize(FormatOptions options, MimeMessage message, CancellationToken cancellationToken) =>
        CheckSize(base.GetSize(options, message, cancellationToken));

    protected override async Task<long> GetSizeAsync(FormatOptions options, MimeMessage message, CancellationToken cancellationToken) =>
        CheckSize(await base.GetSizeAsync(options, message, cancellationToken).ConfigureAwait(false));

    // MailKit measures by writing through a counting stream: attachments are read from disk, never buffered.
    private long CheckSize(long size)
    {
        Current?.ReleaseFiles();
        if ((Capabilities & SmtpCapabilities.Size) != 0 && MaxSize > 0 && size > MaxSize)
        {
            throw new OAuthSmtpException(
                ErrorIds.MessageTooLarge,
                ErrorKind.LimitsExceeded,
                $"The message is {size:N0} bytes as sent (attachments grow by about a third in base64) and the server accepts at most {MaxSize:N0} bytes.",
                "Send fewer or smaller attachments, or share large files through a link. The mailbox's MaxSendSize (35 MB by default) may be lower still.",
                Current);
        }

        return size;
    }

    protected override DeliveryStatusNotification? GetDeliveryStatusNotifications(MimeMessage message, MailboxAddress mailbox)
    {
        var options = Current?.Notifications ?? DeliveryNotificationOptions.None;
        if (options == DeliveryNotificationOptions.None)
        {
            return null;
        }

        if ((options & DeliveryNotificationOptions.Never) != 0)
        {
            return DeliveryStatusNotification.Never;
        }

        DeliveryStatusNotification notify = 0;
        if ((options & DeliveryNotificationOptions.OnSuccess) != 0)
        {
            notify |= DeliveryStatusNotification.Success;
        }

        if ((options & DeliveryNotificationOptions.OnFailure) != 0)
        {
            notify |= DeliveryStatusNotification.Failure;
        }

        if ((options & DeliveryNotificationOptions.Delay) != 0)
        {
            notify |= DeliveryStatusNotification.Delay;
        }

        return notify;
    }
}
