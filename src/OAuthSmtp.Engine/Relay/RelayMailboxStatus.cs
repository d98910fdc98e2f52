using System;

namespace OAuthSmtp.Engine.Relay;

/// <summary>One sending mailbox in the relay's status: its waiting messages and its connections to Exchange Online.</summary>
public sealed class RelayMailboxStatus
{
    public string? Mailbox { get; set; }

    /// <summary>Messages waiting for this mailbox (including those waiting for a retry).</summary>
    public int Pending { get; set; }

    /// <summary>Connections to Exchange open now (at most 3).</summary>
    public int Connections { get; set; }

    /// <summary>Most connections open at once since the relay started.</summary>
    public int PeakConnections { get; set; }

    /// <summary>Set while the queue rests because Exchange locked the mailbox out of sending (550 5.2.251-255).</summary>
    public DateTimeOffset? PausedUntil { get; set; }
}
