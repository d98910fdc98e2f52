using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;

namespace OAuthSmtp.Engine.Relay;

/// <summary>
/// Everything the relay needs, as kept in relay.json in the relay home folder: where it listens, its STARTTLS
/// certificate, where cleartext AUTH is allowed, its limits, its folders, the profile store it sends with, and the
/// devices. Read and written by <see cref="RelayConfigurationStore"/>, checked by <see cref="RelayConfigurationValidator"/>.
/// </summary>
public sealed class RelayConfiguration
{
    public const int CurrentSchemaVersion = 1;

    /// <summary>
    /// 587, the submission port: programs and devices that used smtp.office365.com:587 need only the host changed.
    /// Devices that can only use 25 get a listener on 25 (Install-SmtpOAuthRelay -Port 25).
    /// </summary>
    public const int DefaultPort = 587;

    public int? SchemaVersion { get; set; }

    public List<RelayListener> Listeners { get; set; } = new();

    public RelayTlsSettings Tls { get; set; } = new();

    /// <summary>Source ranges where AUTH is allowed without TLS. Loopback only by default.</summary>
    public List<string> CleartextAuthRanges { get; set; } = new();

    public RelayLimits Limits { get; set; } = new();

    /// <summary>Accepted messages waiting for Exchange (relative paths are under the relay home).</summary>
    public string SpoolPath { get; set; } = "spool";

    /// <summary>Outcome and protocol logs.</summary>
    public string LogPath { get; set; } = "logs";

    /// <summary>The status file the relay keeps current (<see cref="RelayStatus"/>).</summary>
    public string StatusPath { get; set; } = "status.json";

    /// <summary>The profile store (the folder of profiles.json) the relay sends with; a folder of its own under the home by default.</summary>
    public string ProfileStorePath { get; set; } = "profiles";

    /// <summary>How the relay runs: a service of the system's service manager, or a process Start-SmtpOAuthRelay starts (None).</summary>
    public RelayServiceKind Service { get; set; } = RelayServiceKind.None;

    public List<RelayClient> Clients { get; set; } = new();

    /// <summary>
    /// Loopback on IPv4 and IPv6, port <paramref name="port"/>, cleartext AUTH on loopback only, no TLS. Under Linux's
    /// default home (/etc/oauthsmtp-relay) spool, logs and status go where the file system hierarchy puts them
    /// (/var/spool, /var/log, /var/lib); elsewhere they are folders under the home.
    /// </summary>
    public static RelayConfiguration CreateDefault(string home, int port = DefaultPort)
    {
        var configuration = CreateDefault(port);
        if (string.Equals(Path.GetFullPath(home).TrimEnd('/'), RelayHome.LinuxDefault, StringComparison.Ordinal))
        {
            configuration.SpoolPath = "/var/spool/oauthsmtp-relay";
            configuration.LogPath = "/var/log/oauthsmtp-relay";
            configuration.StatusPath = "/var/lib/oauthsmtp-relay/status.json";
        }

        return configuration;
    }

    private static RelayConfiguration CreateDefault(int port) => new()
    {
        Listeners =
        {
            new RelayListener { Address = IPAddress.Loopback.ToString(), Port = port },
            new RelayListener { Address = IPAddress.IPv6Loopback.ToString(), Port = port },
        },
        CleartextAuthRanges = { AddressRange.IPv4Loopback.ToString(), AddressRange.IPv6Loopback.ToString() },
    };

    /// <summary>A configured path made absolute: relative paths are under <paramref name="home"/>.</summary>
    public static string ResolvePath(string home, string path) =>
        Path.GetFullPath(Path.IsPathRooted(path) ? path : Path.Combine(home, path));

    /// <summary>Whether AUTH without TLS may be accepted from <paramref name="source"/>.</summary>
    public bool AllowsCleartextAuth(IPAddress source) =>
        CleartextAuthRanges.Any(r => AddressRange.Parse(r).Contains(source));

    /// <summary>The device with this AUTH user name (case-insensitive), or null.</summary>
    public RelayClient? FindByUserName(string? userName) =>
        userName is null ? null : Clients.FirstOrDefault(c => c.Credential is not null && string.Equals(c.UserName, userName, StringComparison.OrdinalIgnoreCase));

    /// <summary>The first device without a credential whose allowed sources hold <paramref name="source"/>, or null.</summary>
    public RelayClient? FindUnauthenticated(IPAddress source) =>
        Clients.FirstOrDefault(c => c.Credential is null && c.AllowedSources.Count > 0 && c.AllowsSource(source));

    /// <summary>The device of this name (case-insensitive), or null.</summary>
    public RelayClient? FindClient(string? name) =>
        name is null ? null : Clients.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase));
}
