using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Mail;
using MimeKit;

namespace OAuthSmtp.Engine.Sending;

/// <summary>
/// A validated message ready for the wire: the MIME message, its envelope, and the file-backed parts to close after
/// each pass over the content. Built by <see cref="MessageBuilder"/> or <see cref="MessageSource"/>.
/// </summary>
public sealed class PreparedMessage
{
    private readonly IReadOnlyList<FileContentStream> _fileContents;

    internal PreparedMessage(
        MimeMessage mime,
        MailboxAddress sender,
        IReadOnlyList<MailboxAddress> recipients,
        DeliveryNotificationOptions notifications,
        IReadOnlyList<FileContentStream> fileContents,
        string? sourcePath)
    {
        Mime = mime;
        Sender = sender;
        Recipients = recipients;
        Notifications = notifications;
        _fileContents = fileContents;
        SourcePath = sourcePath;
    }

    internal MimeMessage Mime { get; }

    internal MailboxAddress Sender { get; }

    internal IReadOnlyList<MailboxAddress> Recipients { get; }

    internal DeliveryNotificationOptions Notifications { get; }

    /// <summary>The .eml file this message was loaded from (a resend), or null.</summary>
    public string? SourcePath { get; }

    public string MessageId => Mime.MessageId ?? string.Empty;

    public string From => Sender.Address;

    public string Subject => Mime.Subject ?? string.Empty;

    /// <summary>Every envelope recipient (To, Cc and Bcc), each once.</summary>
    public IReadOnlyList<string> RecipientAddresses => Recipients.Select(r => r.Address).ToArray();

    /// <summary>The To header's addresses, for display.</summary>
    public IReadOnlyList<string> To => Mime.To.Mailboxes.Select(m => m.Address).ToArray();

    /// <summary>True when an address has a non-ASCII local part: only SMTPUTF8 can carry it.</summary>
    internal bool NeedsSmtpUtf8 =>
        HasNonAsciiLocalPart(Sender) || Recipients.Any(HasNonAsciiLocalPart);

    /// <summary>Bounds each attachment read that does not complete at once (-TimeoutSec).</summary>
    internal void SetReadTimeout(int timeoutMs)
    {
        foreach (var content in _fileContents)
        {
            content.TimeoutMs = timeoutMs;
        }
    }

    /// <summary>Closes attachment files after a pass over the content (measuring, sending, saving).</summary>
    internal void ReleaseFiles()
    {
        foreach (var content in _fileContents)
        {
            content.Release();
        }
    }

    private static bool HasNonAsciiLocalPart(MailboxAddress address) =>
        address.LocalPart.Any(c => c > 127);

    public override string ToString() =>
        $"{Subject} → {string.Join(", ", RecipientAddresses)}";
}
