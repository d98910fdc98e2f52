using System;

namespace OAuthSmtp.Relay.Spool;

/// <summary>Why a message is in dead/ or unknown/: written beside it as &lt;id&gt;.json before it moves there.</summary>
internal sealed class SpoolOutcome
{
    public string Id { get; set; } = "";

    /// <summary>Configuration, Recipient, Size, SendAs, ThrottledMailbox, Rejected, RetriesExhausted, DeliveryUnknown.</summary>
    public string Reason { get; set; } = "";

    public string? ErrorId { get; set; }

    public string? ServerReply { get; set; }

    public string Message { get; set; } = "";

    public string? Fix { get; set; }

    public int Attempts { get; set; }

    public DateTimeOffset At { get; set; }
}
