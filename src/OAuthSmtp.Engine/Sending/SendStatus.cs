namespace OAuthSmtp.Engine.Sending;

/// <summary>How a message ended. Every message gets exactly one.</summary>
public enum SendStatus
{
    /// <summary>The server accepted the message (250 after the data); <see cref="SendResult.ServerReply"/> has its reply.</summary>
    Sent,

    /// <summary>The server refused it, or it never reached the server; it was not delivered.</summary>
    Failed,

    /// <summary>
    /// The whole message went out and the connection dropped before the server answered: it may or may not have
    /// been accepted. Never retried automatically (a retry could deliver it twice).
    /// </summary>
    DeliveryUnknown,

    /// <summary>Stopped (Ctrl+C) before the message was handed over; it was not delivered.</summary>
    Cancelled,
}
