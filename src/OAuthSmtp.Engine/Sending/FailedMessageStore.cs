using System;
using System.Globalization;
using System.IO;
using System.Linq;
using MimeKit;
using OAuthSmtp.Engine.Errors;
using OAuthSmtp.Engine.Secrets;

namespace OAuthSmtp.Engine.Sending;

/// <summary>
/// Saves messages that were not sent as .eml files (-FailedMessagePath), whole and with their Bcc, so that
/// Send-SmtpOAuthMessage -MessagePath can send them again. The Message-ID is kept: a resend of a "delivery unknown"
/// message stays recognisable as the same message. Messages whose delivery is unknown go to their own subfolder
/// (<see cref="DeliveryUnknownFolder"/>): resending everything in the folder must never send one of them twice.
/// Each file is written to a temporary name and renamed, so a failed save leaves no truncated .eml, and is readable
/// by its owner only on Unix (a message holds the body and attachments).
/// </summary>
internal static class FailedMessageStore
{
    /// <summary>The subfolder of -FailedMessagePath for messages that may have been delivered.</summary>
    public const string DeliveryUnknownFolder = "DeliveryUnknown";

    public static string FolderFor(string folder, SendStatus status) =>
        status == SendStatus.DeliveryUnknown ? Path.Combine(folder, DeliveryUnknownFolder) : folder;

    public static string Save(string folder, PreparedMessage message, SendStatus status = SendStatus.Failed)
    {
        var target = FolderFor(folder, status);
        string? temporary = null;
        try
        {
            Directory.CreateDirectory(target);
            var stamp = DateTimeOffset.UtcNow.ToString("yyyyMMdd-HHmmss-fff", CultureInfo.InvariantCulture);
            var id = new string((message.MessageId.Length > 0 ? message.MessageId : Guid.NewGuid().ToString("N"))
                .Select(c => char.IsLetterOrDigit(c) || c == '.' || c == '-' ? c : '_').ToArray());
            if (id.Length > 80)
            {
                id = id.Substring(0, 80);
            }

            var path = Path.Combine(target, $"{stamp}-{id}.eml");
            temporary = Path.Combine(target, $".{stamp}-{id}.{Guid.NewGuid():N}.tmp");
            using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                if (UnixPermissions.Applies)
                {
                    UnixPermissions.Set(temporary, UnixPermissions.OwnerReadWrite);
                }

                message.Mime.WriteTo(FormatOptions.Default, file);
                file.Flush(flushToDisk: true);
            }

            File.Move(temporary, path);
            temporary = null;
            return path;
        }
        catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is System.ComponentModel.Win32Exception || ex is OAuthSmtpException)
        {
            var reason = ex is OAuthSmtpException { ErrorId: ErrorIds.AttachmentUnreadable } ? "an attachment can no longer be read"
                : ex is OAuthSmtpException { ErrorId: ErrorIds.MessageFileUnreadable } ? "the .eml file it was loaded from can no longer be read"
                : ex.Message;
            throw new OAuthSmtpException(
                ErrorIds.FailedMessageNotSaved,
                ErrorKind.WriteError,
                $"The unsent message '{message.Subject}' could not be saved to '{target}': {reason}.",
                "Choose a -FailedMessagePath folder the account may write to (and keep the attachments readable); the message itself is still attached to this error.",
                message,
                ex);
        }
        finally
        {
            message.ReleaseFiles();
            if (temporary is not null)
            {
                TryDelete(temporary);
            }
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
        {
            // A leftover temporary file starts with a dot and does not end in .eml: a resend never picks it up.
        }
    }
}
