using System;
using System.Collections.Generic;

namespace OAuthSmtp.Emulator;

/// <summary>A message the SMTP server accepted: envelope, the headers tests look at, and the raw MIME bytes.</summary>
public sealed class DeliveredMessage
{
    /// <summary>The From header's address(es), as written.</summary>
    public string From { get; init; } = "";

    /// <summary>The envelope recipients (RCPT TO).</summary>
    public IReadOnlyList<string> To { get; init; } = Array.Empty<string>();

    public string Subject { get; init; } = "";

    /// <summary>The Message-Id header (without angle brackets), or the id the server assigned.</summary>
    public string MessageId { get; init; } = "";

    /// <summary>The envelope sender (MAIL FROM).</summary>
    public string MailFrom { get; init; } = "";

    /// <summary>The envelope recipients (RCPT TO), same as <see cref="To"/>.</summary>
    public IReadOnlyList<string> RcptTo => To;

    /// <summary>The mailbox named in AUTH (user=) that submitted it.</summary>
    public string AuthenticatedMailbox { get; init; } = "";

    /// <summary>The token's principal: service principal oid or user oid.</summary>
    public string AuthenticatedPrincipalId { get; init; } = "";

    public DateTimeOffset ReceivedAt { get; init; }

    /// <summary>
    /// When the service delivers it: ReceivedAt, or later when the mailbox submitted more than 30 in a minute (the excess
    /// is accepted at once and "carried over to the following minutes", THROTTLE-DOC).
    /// </summary>
    public DateTimeOffset DeliverAt { get; init; }

    /// <summary>True when delivery was put off by the message rate.</summary>
    public bool DeliveryDelayed => DeliverAt > ReceivedAt;

    /// <summary>The message exactly as received after dot-unstuffing / BDAT reassembly.</summary>
    public byte[] Raw { get; init; } = Array.Empty<byte>();
}
