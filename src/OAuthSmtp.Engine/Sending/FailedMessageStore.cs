using System;
using System.Globalization;
using System.IO;
using System.Linq;
using MimeKit;
using OAuthSmtp.Engine.Errors;

namespace OAuthSmtp.Engine.Sending;

/// <summary>
/// Saves messages that were not sent as .eml files (-FailedMessagePath), whole (atomically: temporary file, then
/// rename) and with their Bcc, readable only by the user on Linux and macOS (0600), so that
/// Send-SmtpOAuthMessage -MessagePath can send them again. The Message-ID is kept: a resend of a "delivery unknown"
/// message stays recognisable as the same message.
/// </summary>
internal static class FailedMessageStore
{
    public static string Save(string folder, PreparedMessage message)
    {
        try
        {
            Directory.CreateDirectory(folder);
            var stamp = DateTimeOffset.UtcNow.ToString("yyyyMMdd-HHmmss-fff", CultureInfo.InvariantCulture);
            var id = new string((message.MessageId.Length > 0 ? message.MessageId : Guid.NewGuid().ToString("N"))
                .Select(c => char.IsLetterOrDigit(c) || c == '.' || c == '-' ? c : '_').ToArray());
            if (id.Length > 80)
            {
                id = id.Substring(0, 80);
            }

            var path = Path.Combine(folder, $"{stamp}-{id}.eml");

            // Written whole under a temporary name, then renamed: a crash or a full disk never leaves a truncated
            // .eml that a resend would send. Only the user may read it (0600, set before any content is written).
            var temporary = Path.Combine(folder, $".{stamp}-{id}.{Guid.NewGuid():N}.tmp");
            try
            {
                using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
                {
                    if (Secrets.UnixPermissions.Applies)
                    {
                        Secrets.UnixPermissions.Set(temporary, Secrets.UnixPermissions.OwnerReadWrite);
                    }

                    message.Mime.WriteTo(FormatOptions.Default, file);
                    file.Flush(flushToDisk: true);
                }

                File.Move(temporary, path);
            }
            finally
            {
                if (File.Exists(temporary))
                {
                    File.Delete(temporary);
                }
            }

            return path;
        }
        catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is System.ComponentModel.Win32Exception)
        {
            throw new OAuthSmtpException(
                ErrorIds.FailedMessageNotSaved,
                ErrorKind.WriteError,
                $"The unsent message '{message.Subject}' could not be saved to '{folder}': {ex.Message}",
                "Choose a -FailedMessagePath folder the account may write to; the message itself is still attached to this error.",
                message,
                ex);
        }
        finally
        {
            message.ReleaseFiles();
        }
    }
}
