using System;
using System.Collections.Generic;
using System.Net;

namespace OAuthSmtp.Relay.Configuration;

/// <summary>
/// What the relay runs with, as one immutable snapshot: read from the relay's configuration file when the process
/// starts and again whenever the file changes (a device added with Add-SmtpOAuthRelayClient takes effect without a
/// restart). Listen endpoints, the certificate and the folders are read once; devices and limits on every change.
/// </summary>
internal sealed class RelaySettings
{
    /// <summary>Where the relay keeps its files: the configuration, status.json, and by default spool/ and logs/.</summary>
    public required string Home { get; init; }

    /// <summary>Addresses and ports to listen on; loopback only unless the admin named others.</summary>
    public required IReadOnlyList<IPEndPoint> Listen { get; init; }

    /// <summary>Sources that may connect besides the devices' own (CIDR ranges or addresses); loopback is always allowed.</summary>
    public IReadOnlyList<IPNetwork> AllowedSources { get; init; } = Array.Empty<IPNetwork>();

    /// <summary>Sources that may send AUTH PLAIN/LOGIN without STARTTLS, besides loopback.</summary>
    public IReadOnlyList<IPNetwork> CleartextAuthSources { get; init; } = Array.Empty<IPNetwork>();

    /// <summary>The .pfx offered for STARTTLS; null: no STARTTLS (then AUTH only where cleartext is allowed).</summary>
    public string? CertificatePath { get; init; }

    /// <summary>The .pfx password, if any (read from the relay's own protected store, never logged).</summary>
    public string? CertificatePassword { get; init; }

    public required string SpoolPath { get; init; }

    public required string LogPath { get; init; }

    /// <summary>The profile store (profiles.json and secrets) the relay's sending profiles are read from.</summary>
    public string? ProfileStorePath { get; init; }

    public RelayLimits Limits { get; init; } = new();

    public IReadOnlyList<RelayDevice> Devices { get; init; } = Array.Empty<RelayDevice>();

    public string StatusPath => System.IO.Path.Combine(Home, "status.json");
}
