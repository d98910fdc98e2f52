using System;
using System.Collections.Generic;
using System.Net;

namespace OAuthSmtp.Relay.Configuration;

/// <summary>One device or program allowed to send through the relay, and what it may do.</summary>
internal sealed class RelayDevice
{
    public required string Name { get; init; }

    /// <summary>Where it may connect from; empty: loopback only.</summary>
    public IReadOnlyList<IPNetwork> Sources { get; init; } = Array.Empty<IPNetwork>();

    /// <summary>The AUTH user name; null: the device sends without AUTH (allowed only from its sources).</summary>
    public string? UserName { get; init; }

    /// <summary>The stored verifier of its generated password (never the password).</summary>
    public string? CredentialVerifier { get; init; }

    /// <summary>Envelope and header senders it may use (addresses, or "@domain"); empty: only the profile's mailbox or the From rewrite.</summary>
    public IReadOnlyList<string> AllowedSenders { get; init; } = Array.Empty<string>();

    /// <summary>Recipient domains it may send to; empty: any.</summary>
    public IReadOnlyList<string> RecipientDomains { get; init; } = Array.Empty<string>();

    /// <summary>The connection profile it sends through (the sending mailbox).</summary>
    public required string Profile { get; init; }

    /// <summary>For devices that cannot set a sender: envelope and header From are set to this address.</summary>
    public string? FromRewrite { get; init; }

    /// <summary>Its own message size limit (0: the relay's).</summary>
    public int MaxMessageBytes { get; init; }

    public bool RequiresAuthentication => UserName is not null;
}
