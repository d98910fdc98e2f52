using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using MailKit;
using MailKit.Net.Smtp;
using MimeKit;

namespace OAuthSmtp.Engine.Sending;

/// <summary>
/// One round trip per message: MAIL FROM, RCPT TO and BDAT LAST with the data go out in one write (RFC 2920 allows
/// pipelining them, RFC 3030 §3 pipelining BDAT), then the replies are read in order. MailKit's own Send waits for
/// the MAIL and RCPT replies before it sends BDAT, which costs a second round trip per message.
/// </summary>
internal sealed partial class ExchangeSmtpClient
{
    /// <summary>The connection's stream when the engine owns it (see <see cref="StartTlsHandshake"/>); null otherwise.</summary>
    public SmtpWire? Wire { get; set; }

    /// <summary>The engine's own I/O left the connection in a state MailKit does not know about: reconnect.</summary>
    public bool IsFaulted => Wire is { Faulted: true };

    /// <summary>
    /// Whether <paramref name="message"/> can travel in one round trip. Only with one recipient: the server delivers a
    /// pipelined message to every recipient it accepted, so with several a refused (or 4xx) RCPT would no longer stop
    /// the message as it does with MailKit's Send, and retrying it would deliver it twice to the others.
    /// </summary>
    public bool CanPipelineTransaction(PreparedMessage message) =>
        Wire is { Faulted: false }
        && (Capabilities & SmtpCapabilities.Pipelining) != 0
        && (Capabilities & SmtpCapabilities.Chunking) != 0
        && message.Recipients.Count == 1
        && (message.Notifications == System.Net.Mail.DeliveryNotificationOptions.None || IsAscii(message.Recipients[0].Address));

    /// <summary>
    /// Sends <paramref name="message"/> pipelined and returns the server's final reply text (as MailKit's Send does).
    /// Refusals raise MailKit's exceptions for the same replies, so the sender translates and retries them as before.
    /// <paramref name="progress"/> learns when the whole message was written: a connection lost after that, with no
    /// refusal read, may have delivered it.
    /// </summary>
    public async Task<string> SendPipelinedAsync(FormatOptions options, PreparedMessage message, DataProgress progress, CancellationToken cancellationToken)
    {
        var wire = Wire ?? throw new InvalidOperationException("The connection's stream is not the engine's.");
        Current = message;
        var mime = message.Mime;
        var recipient = message.Recipients[0];
        var format = options.Clone();
        format.NewLineFormat = NewLineFormat.Dos;
        format.EnsureNewLine = true;
        var international = format.International && (Capabilities & SmtpCapabilities.UTF8) != 0;
        format.International = international;

        var constraint = PreferSendAsBinaryData && (Capabilities & SmtpCapabilities.BinaryMime) != 0
            ? EncodingConstraint.None
            : (Capabilities & SmtpCapabilities.EightBitMime) != 0 ? EncodingConstraint.EightBit : EncodingConstraint.SevenBit;
        Prepare(format, mime, constraint, 998);

        // Measured by writing through a counting stream (attachments are read from disk, not buffered); the SIZE
        // check happens here, before anything is sent. The data below is written with the same options: same bytes.
        var size = await GetSizeAsync(format, mime, cancellationToken).ConfigureAwait(false);

        var commands = new StringBuilder();
        commands.Append(MailFromCommand(mime, message.Sender, size, international)).Append("\r\n");
        commands.Append(RcptToCommand(mime, recipient, international)).Append("\r\n");
        commands.Append("BDAT ").Append(size.ToString(System.Globalization.CultureInfo.InvariantCulture)).Append(" LAST\r\n");

        try
        {
            // One buffer for the commands and the start of the data: a small message leaves in a single TLS record.
            var buffered = new BufferedStream(wire, 64 * 1024);
            await wire.WriteCommandsAsync(buffered, commands.ToString(), cancellationToken).ConfigureAwait(false);
            await mime.WriteToAsync(format, buffered, cancellationToken).ConfigureAwait(false);
            await buffered.FlushAsync(cancellationToken).ConfigureAwait(false);
            wire.LogClientSummary($"[message data: {size:N0} bytes]");
        }
        catch
        {
            wire.MarkFaulted();
            throw;
        }
        finally
        {
            Current?.ReleaseFiles();
        }

        progress.Report(size, size);

        var replies = new List<SmtpReplyLine>(3);
        Exception? lost = null;
        try
        {
            for (var i = 0; i < 3; i++)
            {
                replies.Add(await wire.ReadReplyAsync(cancellationToken).ConfigureAwait(false));
            }
        }
        catch (Exception ex) when (SmtpSession.IsConnectionFailure(ex))
        {
            lost = ex;
            wire.MarkFaulted();
        }
        catch
        {
            wire.MarkFaulted();
            throw;
        }

        if (wire.HasUnreadReplyBytes)
        {
            wire.MarkFaulted();
        }

        // A refused MAIL or RCPT means the single recipient was never accepted, so the BDAT cannot have delivered it,
        // even when the connection was lost afterwards: such a message is safe to retry.
        if (replies.Count > 0 && !replies[0].IsSuccess)
        {
            var reply = replies[0];
            if (reply.Code == 530)
            {
                wire.MarkFaulted();
                throw new ServiceNotAuthenticatedException(reply.Text);
            }

            await ResetAfterRefusalAsync(wire, lost, cancellationToken).ConfigureAwait(false);
            throw new SmtpCommandException(SmtpErrorCode.SenderNotAccepted, (SmtpStatusCode)reply.Code, message.Sender, reply.Text);
        }

        if (replies.Count > 1 && !replies[1].IsSuccess)
        {
            var reply = replies[1];
            if (reply.Code == 530)
            {
                wire.MarkFaulted();
                throw new ServiceNotAuthenticatedException(reply.Text);
            }

            await ResetAfterRefusalAsync(wire, lost, cancellationToken).ConfigureAwait(false);
            throw new SmtpCommandException(SmtpErrorCode.RecipientNotAccepted, (SmtpStatusCode)reply.Code, recipient, reply.Text);
        }

        if (lost is not null)
        {
            throw lost;
        }

        var final = replies[2];
        if (final.Code != 250)
        {
            await ResetAfterRefusalAsync(wire, lost, cancellationToken).ConfigureAwait(false);
            throw new SmtpCommandException(SmtpErrorCode.MessageNotAccepted, (SmtpStatusCode)final.Code, final.Text);
        }

        OnMessageSent(new MessageSentEventArgs(mime, final.Text));
        return final.Text;
    }

    /// <summary>RSET after a refusal, as MailKit does; a connection that cannot take it is left for a reconnect.</summary>
    private async Task ResetAfterRefusalAsync(SmtpWire wire, Exception? lost, CancellationToken cancellationToken)
    {
        if (lost is not null || wire.Faulted)
        {
            return;
        }

        try
        {
            await SendCommandAsync("RSET", cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (SmtpSession.IsConnectionFailure(ex) || ex is SmtpCommandException)
        {
            wire.MarkFaulted();
        }
    }

    private string MailFromCommand(MimeMessage mime, MailboxAddress sender, long size, bool international)
    {
        var command = new StringBuilder("MAIL FROM:<").Append(sender.GetAddress(!international)).Append('>');
        if (international)
        {
            command.Append(" SMTPUTF8");
        }

        if ((Capabilities & SmtpCapabilities.Size) != 0)
        {
            command.Append(" SIZE=").Append(size.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        var body = BodyParameter(mime);
        if (body is not null)
        {
            command.Append(" BODY=").Append(body);
        }

        if ((Capabilities & SmtpCapabilities.Dsn) != 0)
        {
            var envelopeId = GetEnvelopeId(mime);
            if (!string.IsNullOrEmpty(envelopeId))
            {
                command.Append(" ENVID=").Append(XText(envelopeId!));
            }
        }

        return command.ToString();
    }

    private string RcptToCommand(MimeMessage mime, MailboxAddress recipient, bool international)
    {
        var command = new StringBuilder("RCPT TO:<").Append(recipient.GetAddress(!international)).Append('>');
        if ((Capabilities & SmtpCapabilities.Dsn) != 0 && GetDeliveryStatusNotifications(mime, recipient) is { } notify)
        {
            command.Append(" NOTIFY=").Append(NotifyValue(notify));
            command.Append(" ORCPT=rfc822;").Append(XText(recipient.Address));
        }

        return command.ToString();
    }

    private string? BodyParameter(MimeMessage mime)
    {
        var encodings = mime.BodyParts.OfType<MimePart>().Select(part => part.ContentTransferEncoding).ToList();
        if (encodings.Contains(ContentEncoding.Binary) && (Capabilities & SmtpCapabilities.BinaryMime) != 0)
        {
            return "BINARYMIME";
        }

        return encodings.Contains(ContentEncoding.EightBit) || encodings.Contains(ContentEncoding.Binary)
            ? (Capabilities & SmtpCapabilities.EightBitMime) != 0 ? "8BITMIME" : null
            : null;
    }

    private static string NotifyValue(DeliveryStatusNotification notify)
    {
        if (notify == DeliveryStatusNotification.Never)
        {
            return "NEVER";
        }

        var parts = new List<string>(3);
        if ((notify & DeliveryStatusNotification.Success) != 0)
        {
            parts.Add("SUCCESS");
        }

        if ((notify & DeliveryStatusNotification.Failure) != 0)
        {
            parts.Add("FAILURE");
        }

        if ((notify & DeliveryStatusNotification.Delay) != 0)
        {
            parts.Add("DELAY");
        }

        return string.Join(",", parts);
    }

    /// <summary>RFC 3461 §4 xtext: '+', '=' and anything outside printable ASCII as +XX.</summary>
    private static string XText(string value)
    {
        var encoded = new StringBuilder(value.Length);
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            if (b < 33 || b > 126 || b == (byte)'+' || b == (byte)'=')
            {
                encoded.Append('+').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
            else
            {
                encoded.Append((char)b);
            }
        }

        return encoded.ToString();
    }

    private static bool IsAscii(string value) => value.All(c => c < 128);
}
