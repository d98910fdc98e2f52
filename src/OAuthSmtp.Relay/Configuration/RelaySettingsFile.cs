using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace OAuthSmtp.Relay.Configuration;

/// <summary>
/// Reads the relay's configuration file (relay.json in the relay home) into a <see cref="RelaySettings"/> snapshot.
/// Relative folders are taken from the file's own folder. A file that cannot be read or is wrong raises
/// <see cref="RelayConfigurationException"/> naming the field.
/// </summary>
internal static class RelaySettingsFile
{
    public const string DefaultFileName = "relay.json";

    public const int DefaultPort = 2525;

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNameCaseInsensitive = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    public static RelaySettings Load(string path)
    {
        var full = Path.GetFullPath(path);
        RelayFileModel? model;
        try
        {
            using var stream = new FileStream(full, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            model = JsonSerializer.Deserialize<RelayFileModel>(stream, Json);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException)
        {
            throw new RelayConfigurationException($"The relay configuration '{full}' cannot be read: {ex.Message}", ex);
        }

        if (model is null)
        {
            throw new RelayConfigurationException($"The relay configuration '{full}' is empty.");
        }

        var home = Path.GetDirectoryName(full)!;
        var limits = model.Limits ?? new LimitsModel();
        var defaults = new RelayLimits();
        return new RelaySettings
        {
            Home = home,
            Listen = (model.Listen is { Count: > 0 } listen ? listen : new List<string> { $"127.0.0.1:{DefaultPort}" }).Select(e => Endpoint(e, "listen")).ToList(),
            AllowedSources = Networks(model.AllowedSources, "allowedSources"),
            CleartextAuthSources = Networks(model.CleartextAuthSources, "cleartextAuthSources"),
            CertificatePath = Rooted(home, model.CertificatePath),
            CertificatePassword = model.CertificatePassword,
            SpoolPath = Rooted(home, model.SpoolPath) ?? Path.Combine(home, "spool"),
            LogPath = Rooted(home, model.LogPath) ?? Path.Combine(home, "logs"),
            ProfileStorePath = Rooted(home, model.ProfileStorePath),
            Limits = new RelayLimits
            {
                MaxMessageBytes = limits.MaxMessageBytes ?? defaults.MaxMessageBytes,
                MaxConnectionsPerSource = limits.MaxConnectionsPerSource ?? defaults.MaxConnectionsPerSource,
                MaxAuthFailures = limits.MaxAuthFailures ?? defaults.MaxAuthFailures,
                AuthLockout = limits.AuthLockoutSeconds is { } lockout ? TimeSpan.FromSeconds(lockout) : defaults.AuthLockout,
                MessagesPerMinutePerMailbox = limits.MessagesPerMinutePerMailbox ?? defaults.MessagesPerMinutePerMailbox,
                MaxConnectionsPerMailbox = Math.Clamp(limits.MaxConnectionsPerMailbox ?? defaults.MaxConnectionsPerMailbox, 1, 3),
                MaxDeliveryAttempts = Math.Max(1, limits.MaxDeliveryAttempts ?? defaults.MaxDeliveryAttempts),
                FirstRetryDelay = limits.FirstRetryDelaySeconds is { } first ? TimeSpan.FromSeconds(first) : defaults.FirstRetryDelay,
                MaxRetryDelay = limits.MaxRetryDelaySeconds is { } max ? TimeSpan.FromSeconds(max) : defaults.MaxRetryDelay,
                ThrottledMailboxPause = limits.ThrottledMailboxPauseSeconds is { } pause ? TimeSpan.FromSeconds(pause) : defaults.ThrottledMailboxPause,
            },
            Devices = (model.Devices ?? new List<DeviceModel>()).Select(Device).ToList(),
        };
    }

    private static RelayDevice Device(DeviceModel model)
    {
        if (string.IsNullOrWhiteSpace(model.Name))
        {
            throw new RelayConfigurationException("A device in the relay configuration has no name.");
        }

        if (string.IsNullOrWhiteSpace(model.Profile))
        {
            throw new RelayConfigurationException($"Device '{model.Name}' names no profile to send through.");
        }

        if (model.UserName is not null && string.IsNullOrEmpty(model.CredentialVerifier))
        {
            throw new RelayConfigurationException($"Device '{model.Name}' has a user name but no credential verifier.");
        }

        return new RelayDevice
        {
            Name = model.Name!,
            Sources = Networks(model.Sources, $"devices[{model.Name}].sources"),
            UserName = model.UserName,
            CredentialVerifier = model.CredentialVerifier,
            AllowedSenders = model.AllowedSenders ?? new List<string>(),
            RecipientDomains = model.RecipientDomains ?? new List<string>(),
            Profile = model.Profile!,
            FromRewrite = string.IsNullOrWhiteSpace(model.FromRewrite) ? null : model.FromRewrite,
            MaxMessageBytes = model.MaxMessageBytes ?? 0,
        };
    }

    private static string? Rooted(string home, string? path) =>
        string.IsNullOrWhiteSpace(path) ? null : Path.GetFullPath(Path.Combine(home, path));

    private static IPEndPoint Endpoint(string text, string field)
    {
        if (IPEndPoint.TryParse(text, out var endpoint))
        {
            return endpoint;
        }

        if (IPAddress.TryParse(text, out var address))
        {
            return new IPEndPoint(address, DefaultPort);
        }

        throw new RelayConfigurationException($"'{text}' in {field} is not an address and port such as 127.0.0.1:2525.");
    }

    internal static IReadOnlyList<IPNetwork> Networks(IEnumerable<string>? values, string field) =>
        (values ?? Array.Empty<string>()).Select(value => Network(value, field)).ToList();

    private static IPNetwork Network(string text, string field)
    {
        if (IPNetwork.TryParse(text, out var network))
        {
            return network;
        }

        if (IPAddress.TryParse(text, out var address))
        {
            return new IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128);
        }

        throw new RelayConfigurationException(string.Format(CultureInfo.InvariantCulture, "'{0}' in {1} is not an address or range such as 192.168.1.20 or 192.168.1.0/24.", text, field));
    }

    private sealed class RelayFileModel
    {
        public List<string>? Listen { get; set; }

        public List<string>? AllowedSources { get; set; }

        public List<string>? CleartextAuthSources { get; set; }

        public string? CertificatePath { get; set; }

        public string? CertificatePassword { get; set; }

        public string? SpoolPath { get; set; }

        public string? LogPath { get; set; }

        public string? ProfileStorePath { get; set; }

        public LimitsModel? Limits { get; set; }

        public List<DeviceModel>? Devices { get; set; }
    }

    private sealed class LimitsModel
    {
        public int? MaxMessageBytes { get; set; }

        public int? MaxConnectionsPerSource { get; set; }

        public int? MaxAuthFailures { get; set; }

        public int? AuthLockoutSeconds { get; set; }

        public int? MessagesPerMinutePerMailbox { get; set; }

        public int? MaxConnectionsPerMailbox { get; set; }

        public int? MaxDeliveryAttempts { get; set; }

        public double? FirstRetryDelaySeconds { get; set; }

        public double? MaxRetryDelaySeconds { get; set; }

        public double? ThrottledMailboxPauseSeconds { get; set; }
    }

    private sealed class DeviceModel
    {
        public string? Name { get; set; }

        public List<string>? Sources { get; set; }

        public string? UserName { get; set; }

        public string? CredentialVerifier { get; set; }

        public List<string>? AllowedSenders { get; set; }

        public List<string>? RecipientDomains { get; set; }

        public string? Profile { get; set; }

        public string? FromRewrite { get; set; }

        public int? MaxMessageBytes { get; set; }
    }
}
