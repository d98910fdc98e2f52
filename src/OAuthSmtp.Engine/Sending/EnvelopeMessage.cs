using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Mail;
using MimeKit;
using OAuthSmtp.Engine.Errors;

namespace OAuthSmtp.Engine.Sending;

/// <summary>
/// A message that arrived with its own SMTP envelope (the relay: a device's MAIL FROM and RCPT TO), to be submitted
/// as it is. Unlike <see cref="MessageSource"/>, the recipients are the envelope's, not the headers' (a device's Bcc
/// recipients appear in no header), and the message is not changed: MimeKit writes unmodified headers and parts
/// back byte for byte.
/// </summary>
public static class EnvelopeMessage
{
    /// <param name="content">The message as received (RFC 5322, CRLF line ends); read to its end here.</param>
    /// <param name="mailFrom">The envelope sender.</param>
    /// <param name="recipients">The envelope recipients, each once.</param>
    public static PreparedMessage Load(Stream content, string mailFrom, IEnumerable<string> recipients)
    {
        if (content is null)
        {
            throw new ArgumentNullException(nameof(content));
        }

        if (recipients is null)
        {
            throw new ArgumentNullException(nameof(recipients));
        }

        MimeMessage mime;
        try
        {
            mime = MimeMessage.Load(content);
        }
        catch (FormatException ex)
        {
            throw new OAuthSmtpException(
                ErrorIds.InvalidMessageInput,
                ErrorKind.InvalidData,
                $"The message is not a readable MIME message: {ex.Message}",
                "Check what the device sends; the message is kept with this error.",
                null,
                ex);
        }

        var sender = Address(mailFrom);
        var unique = MessageBuilder.Unique(recipients.Select(Address));
        if (unique.Count == 0)
        {
            throw new OAuthSmtpException(
                ErrorIds.NoRecipients,
                ErrorKind.InvalidArgument,
                "The envelope has no recipients.",
                "Give at least one RCPT TO.");
        }

        return new PreparedMessage(mime, sender, unique, DeliveryNotificationOptions.None, Array.Empty<FileContentStream>(), sourcePath: null);
    }

    private static MailboxAddress Address(string address)
    {
        if (string.IsNullOrWhiteSpace(address) || !MailboxAddress.TryParse(address, out var mailbox))
        {
            throw new OAuthSmtpException(
                ErrorIds.InvalidEmailAddress,
                ErrorKind.InvalidArgument,
                $"'{address}' is not an e-mail address.",
                "Give an address such as scanner@contoso.com.",
                address);
        }

        return mailbox;
    }
}
