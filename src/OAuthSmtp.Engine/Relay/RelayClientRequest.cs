using System.Collections.Generic;

namespace OAuthSmtp.Engine.Relay;

/// <summary>What Add-SmtpOAuthRelayClient asks for: a device without its credential (the relay generates that).</summary>
public sealed class RelayClientRequest
{
    public string? Name { get; set; }

    /// <summary>The AUTH user name; the device name when null.</summary>
    public string? UserName { get; set; }

    /// <summary>A device known only by its source address, sending without AUTH.</summary>
    public bool NoCredential { get; set; }

    public IList<string> AllowedSources { get; set; } = new List<string>();

    public IList<string> AllowedSenders { get; set; } = new List<string>();

    public IList<string> AllowedRecipientDomains { get; set; } = new List<string>();

    public string? Profile { get; set; }

    /// <summary>The mailbox to send as; the profile's mailbox when null.</summary>
    public string? Mailbox { get; set; }

    public bool RewriteFrom { get; set; }

    public long? MaxMessageBytes { get; set; }
}
