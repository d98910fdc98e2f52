using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using OAuthSmtp.Engine.Errors;
using OAuthSmtp.Engine.Relay;

namespace OAuthSmtp.Relay.Configuration;

/// <summary>
/// The relay's configuration as one snapshot: relay.json read and checked by the engine's
/// <see cref="RelayConfigurationStore"/> (the same store the management cmdlets write), its folders made absolute.
/// Read when the process starts and again whenever the file changes (a device added with Add-SmtpOAuthRelayClient
/// takes effect without a restart); listeners and the certificate apply at the next start.
/// </summary>
internal sealed class RelaySettings
{
    private RelaySettings(RelayConfigurationStore store, RelayConfiguration configuration)
    {
        Configuration = configuration;
        Home = store.Home;
        ConfigurationPath = store.ConfigurationPath;
        SpoolPath = store.Resolve(configuration.SpoolPath);
        LogPath = store.Resolve(configuration.LogPath);
        StatusPath = store.Resolve(configuration.StatusPath);
        ProfileStorePath = store.Resolve(configuration.ProfileStorePath);
        CertificatePath = configuration.Tls.CertificatePath is null ? null : store.Resolve(configuration.Tls.CertificatePath);
    }

    public RelayConfiguration Configuration { get; }

    public string Home { get; }

    public string ConfigurationPath { get; }

    public string SpoolPath { get; }

    public string LogPath { get; }

    public string StatusPath { get; }

    public string ProfileStorePath { get; }

    public string? CertificatePath { get; }

    public RelayLimits Limits => Configuration.Limits;

    public IReadOnlyList<RelayClient> Devices => Configuration.Clients;

    public IEnumerable<(IPEndPoint Endpoint, RelayListener Listener)> Listeners =>
        Configuration.Listeners.Select(l => (new IPEndPoint(IPAddress.Parse(l.Address!), l.Port), l));

    /// <summary>Reads relay.json (the file the relay was started with must be the relay home's relay.json).</summary>
    /// <exception cref="OAuthSmtpException">The engine's configuration errors: not installed, damaged, a value that breaks a rule.</exception>
    public static RelaySettings Load(string configurationPath)
    {
        var full = Path.GetFullPath(configurationPath);
        var store = new RelayConfigurationStore(Path.GetDirectoryName(full));
        if (!string.Equals(store.ConfigurationPath, full, StringComparison.Ordinal))
        {
            throw new OAuthSmtpException(
                ErrorIds.RelayNotInstalled,
                ErrorKind.InvalidArgument,
                $"'{full}' is not a relay configuration: the relay reads {RelayConfigurationStore.FileName} in its home folder.",
                $"Give --config <relay home>/{RelayConfigurationStore.FileName} (Install-SmtpOAuthRelay writes it).",
                full);
        }

        return new RelaySettings(store, store.Load());
    }

    /// <summary>The sending mailbox of a device (its own, set from its profile when it was added).</summary>
    public static string MailboxOf(RelayClient device) => device.Mailbox ?? string.Empty;

    /// <summary>The smaller of the device's and the relay's message size limits, in bytes.</summary>
    public int MaxMessageBytes(RelayClient device) =>
        (int)Math.Min(int.MaxValue - 1024, Math.Min(device.MaxMessageBytes ?? Limits.MaxMessageBytes, Limits.MaxMessageBytes));
}
