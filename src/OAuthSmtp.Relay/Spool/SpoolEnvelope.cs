using System;
using System.Collections.Generic;

namespace OAuthSmtp.Relay.Spool;

/// <summary>
/// The first line of a spool file: who handed the message over and where it goes. Holds no credential, only the
/// device's name; the message content follows the line unchanged.
/// </summary>
internal sealed class SpoolEnvelope
{
    public string Id { get; set; } = "";

    public string Device { get; set; } = "";

    public string Profile { get; set; } = "";

    /// <summary>The mailbox it is submitted as (the device's, from its profile).</summary>
    public string Mailbox { get; set; } = "";

    public string MailFrom { get; set; } = "";

    public List<string> Recipients { get; set; } = new();

    public string Source { get; set; } = "";

    public DateTimeOffset ReceivedAt { get; set; }

    public long Size { get; set; }

    public string? MessageId { get; set; }

    public string? Subject { get; set; }
}
