namespace OAuthSmtp.Emulator.Smtp;

/// <summary>Points in an SMTP session where a fault can fire (Set-EmuFault -DropConnectionAt / -TransientReplyAt).</summary>
public enum SmtpStage
{
    /// <summary>Before the 220 greeting.</summary>
    Banner,

    /// <summary>On EHLO or HELO.</summary>
    Ehlo,

    /// <summary>On STARTTLS.</summary>
    StartTls,

    /// <summary>On AUTH.</summary>
    Auth,

    /// <summary>On MAIL FROM.</summary>
    MailFrom,

    /// <summary>On RCPT TO.</summary>
    RcptTo,

    /// <summary>On DATA, or on the first BDAT of a message.</summary>
    Data,

    /// <summary>
    /// After the whole message arrived, before it is stored. A drop here loses the message, but the client cannot know
    /// that: it sent the data and heard nothing, exactly as after a drop at <see cref="EndOfData"/> (delivery unknown).
    /// A transient reply here refuses the message (not stored), as one at <see cref="EndOfData"/> does.
    /// </summary>
    BeforeEndOfData,

    /// <summary>
    /// After the message was stored, before the end-of-data reply: a drop here is the "delivery unknown" case
    /// (the message went out, the client never heard so). A transient reply here refuses the message instead.
    /// </summary>
    EndOfData,
}
