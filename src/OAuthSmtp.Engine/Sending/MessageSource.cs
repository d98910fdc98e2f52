using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Mail;
using MimeKit;
using MimeKit.Utils;
using OAuthSmtp.Engine.Errors;

namespace OAuthSmtp.Engine.Sending;

/// <summary>
/// Turns a ready message from the -Message / -MessagePath parameter set into a <see cref="PreparedMessage"/>: a failed
/// <see cref="SendResult"/> (from -PassThru or an error's TargetObject), a MimeKit message, a FileInfo or a path to an
/// .eml file (as -FailedMessagePath saves them). The cmdlet passes plain objects; MimeKit types stay in the engine.
/// </summary>
public static class MessageSource
{
    public static PreparedMessage FromObject(object? input)
    {
        switch (input)
        {
            case SendResult result:
                return result.Message;
            case PreparedMessage prepared:
                return prepared;
            case MimeMessage mime:
                return FromMime(mime, sourcePath: null, input, Array.Empty<FileContentStream>());
            case FileInfo file:
                return FromFile(file.FullName);
            case string path:
                return FromFile(path);
            default:
                throw new OAuthSmtpException(
                    ErrorIds.InvalidMessageInput,
                    ErrorKind.InvalidArgument,
                    input is null
                        ? "-Message received nothing."
                        : $"-Message cannot send a {input.GetType().Name}: it takes a result of Send-SmtpOAuthMessage, a MimeKit MimeMessage, or the path of an .eml file.",
                    "Pass the failed results (or their SavedMessagePath), or use -MessagePath with .eml files.",
                    input);
        }
    }

    /// <summary>
    /// Reads an .eml file (a saved failed message or any RFC 5322 message) for planning: MimeKit parses it persistently,
    /// so the headers and the MIME structure are in memory and every part's content stays a range of the file, read
    /// again when the message is measured, sent or saved. The file is open only during each such pass (closed on every
    /// path by <see cref="PreparedMessage.ReleaseFiles"/>); between passes nothing holds it, and the message carried by
    /// an error record still resends from its <see cref="PreparedMessage.SourcePath"/>.
    /// </summary>
    public static PreparedMessage FromFile(string path)
    {
        if (string.IsNullOrWhiteSpace(path) || !File.Exists(path))
        {
            throw new OAuthSmtpException(
                ErrorIds.InvalidMessageInput,
                ErrorKind.ObjectNotFound,
                $"The message file '{path}' does not exist.",
                "Check the path; -FailedMessagePath saves failed messages as <time>-<message id>.eml.",
                path);
        }

        if (RegularFile.Problem(path) is { } problem)
        {
            throw new OAuthSmtpException(
                ErrorIds.InvalidMessageInput,
                ErrorKind.InvalidArgument,
                $"'{path}' is {problem}, not a message file.",
                "Pass an .eml file as saved by -FailedMessagePath.",
                path);
        }

        var content = FileContentStream.ForMessageFile(path);
        MimeMessage mime;
        try
        {
            mime = MimeMessage.Load(content, persistent: true);
        }
        catch (Exception ex) when (ex is FormatException || ex is IOException || ex is UnauthorizedAccessException)
        {
            throw new OAuthSmtpException(
                ErrorIds.InvalidMessageInput,
                ErrorKind.InvalidData,
                $"'{path}' is not a readable MIME message: {ex.Message}",
                "Pass an .eml file as saved by -FailedMessagePath.",
                path,
                ex);
        }
        finally
        {
            content.Release();
        }

        return FromMime(mime, path, path, new[] { content });
    }

    private static PreparedMessage FromMime(MimeMessage mime, string? sourcePath, object target, IReadOnlyList<FileContentStream> fileContents)
    {
        var resent = mime.ResentSender is not null || mime.ResentFrom.Count > 0;
        var sender = mime.ResentSender
            ?? mime.ResentFrom.Mailboxes.FirstOrDefault()
            ?? mime.Sender
            ?? mime.From.Mailboxes.FirstOrDefault();
        if (sender is null)
        {
            throw new OAuthSmtpException(
                ErrorIds.SenderRequired,
                ErrorKind.InvalidArgument,
                "The message has no From address.",
                "Add a From header to the message.",
                target);
        }

        IEnumerable<MailboxAddress> recipients = resent
            ? mime.ResentTo.Mailboxes.Concat(mime.ResentCc.Mailboxes).Concat(mime.ResentBcc.Mailboxes)
            : mime.To.Mailboxes.Concat(mime.Cc.Mailboxes).Concat(mime.Bcc.Mailboxes);
        var unique = MessageBuilder.Unique(recipients);
        if (unique.Count == 0)
        {
            throw new OAuthSmtpException(
                ErrorIds.NoRecipients,
                ErrorKind.InvalidArgument,
                "The message has no recipients: its To, Cc and Bcc headers are empty.",
                "Add recipients to the message.",
                target);
        }

        if (string.IsNullOrEmpty(mime.MessageId))
        {
            mime.MessageId = MimeUtils.GenerateMessageId(sender.Domain);
        }

        return new PreparedMessage(mime, sender, unique, DeliveryNotificationOptions.None, fileContents, sourcePath);
    }
}
