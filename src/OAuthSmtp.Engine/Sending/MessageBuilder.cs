using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Mail;
using System.Text;
using MimeKit;
using MimeKit.Text;
using MimeKit.Utils;
using OAuthSmtp.Engine.Errors;

namespace OAuthSmtp.Engine.Sending;

/// <summary>
/// Validates a <see cref="MessageRequest"/> and builds its MIME message. Every check here runs before anything touches
/// the network, and each failure has its own error id; the one check that needs the server (SIZE) runs in the sender.
/// </summary>
public static class MessageBuilder
{
    private static readonly ParserOptions StrictAddressParsing = CreateParserOptions();

    // Headers a parameter of its own sets: accepting them in -Headers would let a hashtable rewrite the envelope.
    private static readonly HashSet<string> ReservedHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "From", "Sender", "To", "Cc", "Bcc", "Reply-To", "Subject", "Date", "Message-ID", "MIME-Version",
        "Content-Type", "Content-Transfer-Encoding", "Content-Disposition", "Resent-From", "Resent-Sender",
        "Resent-To", "Resent-Cc", "Resent-Bcc", "Importance", "Priority", "X-Priority", "Sensitivity",
    };

    /// <summary>Validates and builds. <paramref name="defaultFrom"/> is the profile's mailbox, used when From is empty.</summary>
    public static PreparedMessage Build(MessageRequest request, string? defaultFrom)
    {
        if (request is null)
        {
            throw new ArgumentNullException(nameof(request));
        }

        var fromText = string.IsNullOrWhiteSpace(request.From) ? defaultFrom : request.From;
        if (string.IsNullOrWhiteSpace(fromText))
        {
            throw new OAuthSmtpException(
                ErrorIds.SenderRequired,
                ErrorKind.InvalidArgument,
                "The message has no From address and there is no profile mailbox to default to.",
                "Give -From, or -Profile with the sending mailbox.",
                request);
        }

        var from = ParseMailboxes(new[] { fromText! }, "From", request);
        if (from.Count != 1)
        {
            throw InvalidAddress("From", fromText!, "From must be exactly one address.", request);
        }

        var to = ParseMailboxes(request.To, "To", request);
        var cc = ParseMailboxes(request.Cc, "Cc", request);
        var bcc = ParseMailboxes(request.Bcc, "Bcc", request);
        var replyTo = ParseMailboxes(request.ReplyTo, "ReplyTo", request);

        var recipients = Unique(to.Concat(cc).Concat(bcc));
        if (recipients.Count == 0)
        {
            throw new OAuthSmtpException(
                ErrorIds.NoRecipients,
                ErrorKind.InvalidArgument,
                "The message has no recipients: To, Cc and Bcc are all empty.",
                "Give at least one address with -To, -Cc or -Bcc.",
                request);
        }

        var subject = request.Subject ?? string.Empty;
        RejectLineBreaks("Subject", subject, request);

        var headers = ValidateHeaders(request);
        var fileContents = new List<FileContentStream>();
        var attachments = request.Attachments.Select(path => CreateAttachment(path, fileContents, request)).ToList();
        var inline = request.InlineAttachments.Select(pair => CreateInline(pair.Key, pair.Value, fileContents, request)).ToList();

        var message = new MimeMessage();
        message.From.Add(from[0]);
        message.To.AddRange(to);
        message.Cc.AddRange(cc);
        message.Bcc.AddRange(bcc);
        message.ReplyTo.AddRange(replyTo);
        message.Subject = subject;
        message.Date = DateTimeOffset.Now;
        message.MessageId = MimeUtils.GenerateMessageId(from[0].Domain);
        ApplyPriority(message, request.Priority, request.Importance);
        if (request.Sensitivity is { } sensitivity && sensitivity != MessageSensitivity.Normal)
        {
            message.Headers.Add("Sensitivity", sensitivity == MessageSensitivity.CompanyConfidential ? "Company-Confidential" : sensitivity.ToString());
        }

        foreach (var header in headers)
        {
            message.Headers.Add(header.Key, header.Value);
        }

        message.Body = CreateBody(request, inline, attachments);
        return new PreparedMessage(message, from[0], recipients, request.DeliveryNotificationOption, fileContents, sourcePath: null);
    }

    internal static IReadOnlyList<MailboxAddress> Unique(IEnumerable<MailboxAddress> addresses)
    {
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        return addresses.Where(a => seen.Add(a.Address)).ToList();
    }

    private static MimeEntity CreateBody(MessageRequest request, IReadOnlyList<MimePart> inline, IReadOnlyList<MimePart> attachments)
    {
        var encoding = request.Encoding ?? new UTF8Encoding(false);
        MimeEntity body;
        if (request.BodyAsHtml)
        {
            MimeEntity html = CreateText(TextFormat.Html, request.Body, encoding);
            if (inline.Count > 0)
            {
                var related = new MultipartRelated { html };
                foreach (var part in inline)
                {
                    related.Add(part);
                }

                html = related;
            }

            body = request.TextBody is null
                ? html
                : new MultipartAlternative { CreateText(TextFormat.Plain, request.TextBody, encoding), html };
        }
        else
        {
            body = CreateText(TextFormat.Plain, request.Body ?? request.TextBody, encoding);
            if (inline.Count > 0)
            {
                var related = new MultipartRelated { body };
                foreach (var part in inline)
                {
                    related.Add(part);
                }

                body = related;
            }
        }

        if (attachments.Count == 0)
        {
            return body;
        }

        var mixed = new Multipart("mixed") { body };
        foreach (var attachment in attachments)
        {
            mixed.Add(attachment);
        }

        return mixed;
    }

    private static TextPart CreateText(TextFormat format, string? text, Encoding encoding)
    {
        var part = new TextPart(format);
        part.SetText(encoding, text ?? string.Empty);
        return part;
    }

    private static void ApplyPriority(MimeMessage message, MailPriority priority, MessageImportance? importance)
    {
        // Send-MailMessage (System.Net.Mail) writes X-Priority, Priority and Importance together; so do we.
        switch (priority)
        {
            case MailPriority.High:
                message.Priority = MessagePriority.Urgent;
                message.XPriority = XMessagePriority.Highest;
                message.Importance = MimeKit.MessageImportance.High;
                break;
            case MailPriority.Low:
                message.Priority = MessagePriority.NonUrgent;
                message.XPriority = XMessagePriority.Lowest;
                message.Importance = MimeKit.MessageImportance.Low;
                break;
        }

        switch (importance)
        {
            case MessageImportance.High:
                message.Importance = MimeKit.MessageImportance.High;
                break;
            case MessageImportance.Low:
                message.Importance = MimeKit.MessageImportance.Low;
                break;
            case MessageImportance.Normal:
                message.Importance = MimeKit.MessageImportance.Normal;
                break;
        }
    }

    private static IReadOnlyList<KeyValuePair<string, string>> ValidateHeaders(MessageRequest request)
    {
        var result = new List<KeyValuePair<string, string>>();
        foreach (var header in request.Headers)
        {
            var name = header.Key ?? string.Empty;
            if (name.Length == 0 || name.Any(c => c < 33 || c > 126 || c == ':'))
            {
                throw new OAuthSmtpException(
                    ErrorIds.InvalidHeader,
                    ErrorKind.InvalidArgument,
                    $"'{Printable(name)}' is not a valid header name: use printable ASCII without spaces or ':'.",
                    "Fix the key in -Headers, for example @{ 'X-Ticket' = '4711' }.",
                    request);
            }

            if (ReservedHeaders.Contains(name))
            {
                throw new OAuthSmtpException(
                    ErrorIds.InvalidHeader,
                    ErrorKind.InvalidArgument,
                    $"The {name} header cannot be set through -Headers: a parameter of its own controls it.",
                    "Use the matching parameter (-From, -To, -Cc, -Bcc, -ReplyTo, -Subject, -Priority, -Importance, -Sensitivity) instead.",
                    request);
            }

            var value = header.Value ?? string.Empty;
            RejectLineBreaks($"header {name}", value, request);
            result.Add(new KeyValuePair<string, string>(name, value));
        }

        return result;
    }

    private static void RejectLineBreaks(string what, string value, object target)
    {
        if (value.IndexOf('\r') >= 0 || value.IndexOf('\n') >= 0)
        {
            throw new OAuthSmtpException(
                ErrorIds.HeaderInjection,
                ErrorKind.InvalidArgument,
                $"The {what} contains a line break (CR or LF). A line break in a header would let the value add headers of its own (header injection), so the message is not sent.",
                $"Remove the line breaks from the {what}, for example with -replace '[\\r\\n]+', ' '.",
                target);
        }
    }

    private static List<MailboxAddress> ParseMailboxes(IEnumerable<string>? values, string field, object target)
    {
        var result = new List<MailboxAddress>();
        if (values is null)
        {
            return result;
        }

        foreach (var raw in values)
        {
            if (string.IsNullOrWhiteSpace(raw))
            {
                continue;
            }

            if (raw.IndexOf('\r') >= 0 || raw.IndexOf('\n') >= 0)
            {
                throw InvalidAddress(field, raw, "It contains a line break.", target);
            }

            if (!InternetAddressList.TryParse(StrictAddressParsing, raw, out var list) || list.Count == 0)
            {
                throw InvalidAddress(field, raw, "It is not an e-mail address.", target);
            }

            foreach (var address in list)
            {
                if (address is not MailboxAddress mailbox)
                {
                    throw InvalidAddress(field, raw, "Groups are not supported; list the addresses.", target);
                }

                if (string.IsNullOrEmpty(mailbox.LocalPart) || string.IsNullOrEmpty(mailbox.Domain) || mailbox.Domain.IndexOf('.') < 0 && !IsLocalHost(mailbox.Domain))
                {
                    throw InvalidAddress(field, raw, "An address needs a local part and a domain, as in user@contoso.com.", target);
                }

                result.Add(mailbox);
            }
        }

        return result;
    }

    private static bool IsLocalHost(string domain) => string.Equals(domain, "localhost", StringComparison.OrdinalIgnoreCase);

    private static OAuthSmtpException InvalidAddress(string field, string value, string reason, object target) =>
        new(
            ErrorIds.InvalidEmailAddress,
            ErrorKind.InvalidArgument,
            $"{field} address '{Printable(value)}' is not valid. {reason}",
            $"Correct the -{field} value, for example 'Jane Doe <jane@contoso.com>' or 'jane@contoso.com'.",
            target);

    private static MimePart CreateAttachment(string path, List<FileContentStream> contents, object target)
    {
        var content = OpenFile(path, "attachment", contents, target);
        return new MimePart(MimeTypes.GetMimeType(path))
        {
            Content = new MimeContent(content),
            ContentDisposition = new ContentDisposition(ContentDisposition.Attachment),
            ContentTransferEncoding = ContentEncoding.Base64,
            FileName = System.IO.Path.GetFileName(path),
        };
    }

    private static MimePart CreateInline(string contentId, string path, List<FileContentStream> contents, object target)
    {
        var cid = (contentId ?? string.Empty).Trim().TrimStart('<').TrimEnd('>');
        if (cid.Length == 0 || cid.Any(c => c <= 32 || c > 126 || c == '<' || c == '>' || c == '"'))
        {
            throw new OAuthSmtpException(
                ErrorIds.InvalidHeader,
                ErrorKind.InvalidArgument,
                $"'{Printable(contentId ?? string.Empty)}' is not a valid content id for an inline attachment: use printable ASCII without spaces.",
                "Use keys such as 'logo' in -InlineAttachments and reference them as <img src=\"cid:logo\"> in the HTML body.",
                target);
        }

        var content = OpenFile(path, "inline attachment", contents, target);
        return new MimePart(MimeTypes.GetMimeType(path))
        {
            Content = new MimeContent(content),
            ContentDisposition = new ContentDisposition(ContentDisposition.Inline),
            ContentTransferEncoding = ContentEncoding.Base64,
            ContentId = cid,
            FileName = System.IO.Path.GetFileName(path),
        };
    }

    private static FileContentStream OpenFile(string path, string what, List<FileContentStream> contents, object target)
    {
        if (string.IsNullOrWhiteSpace(path) || !File.Exists(path))
        {
            var folder = !string.IsNullOrWhiteSpace(path) && Directory.Exists(path);
            throw new OAuthSmtpException(
                ErrorIds.AttachmentNotFound,
                ErrorKind.ObjectNotFound,
                folder
                    ? $"The {what} '{path}' is a folder, not a file."
                    : $"The {what} '{path}' does not exist.",
                "Check the path; relative paths are resolved against the current PowerShell location.",
                target);
        }

        if (RegularFile.Problem(path) is { } problem)
        {
            throw new OAuthSmtpException(
                ErrorIds.AttachmentUnreadable,
                ErrorKind.ReadError,
                $"The {what} '{path}' is {problem}: only regular files are attached (a pipe or device could block or never end).",
                "Attach a regular file; copy the output of a pipe or device into a file first.",
                target);
        }

        try
        {
            // Opened once now so an unreadable file is reported before sending, then closed until MimeKit reads it.
            using (new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read))
            {
            }
        }
        catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
        {
            throw new OAuthSmtpException(
                ErrorIds.AttachmentUnreadable,
                ErrorKind.ReadError,
                $"The {what} '{path}' cannot be read: {ex.Message}",
                "Check that the account running the command may read the file and that no other program locks it.",
                target,
                ex);
        }

        var content = new FileContentStream(path);
        contents.Add(content);
        return content;
    }

    private static string Printable(string value) =>
        value.Replace("\r", "\\r").Replace("\n", "\\n");

    private static ParserOptions CreateParserOptions()
    {
        var options = ParserOptions.Default.Clone();
        options.AddressParserComplianceMode = RfcComplianceMode.Strict;
        options.AllowAddressesWithoutDomain = false;
        return options;
    }
}
