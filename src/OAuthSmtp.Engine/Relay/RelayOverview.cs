using System;
using System.Collections.Generic;
using System.Linq;

namespace OAuthSmtp.Engine.Relay;

/// <summary>
/// What Get-SmtpOAuthRelay shows: the relay's configuration in brief and what its status file says now (state,
/// queue, dead letters, delivery unknown, last errors, credential warnings).
/// </summary>
public sealed class RelayOverview
{
    /// <summary>The relay home folder (binds -Path of the other relay cmdlets by property name).</summary>
    public string Path { get; private set; } = string.Empty;

    public string ConfigurationPath { get; private set; } = string.Empty;

    public RelayState State { get; private set; }

    public int? ProcessId { get; private set; }

    public RelayServiceKind Service { get; private set; }

    /// <summary>The endpoints listening now (from the status), or configured when the relay is not running.</summary>
    public IReadOnlyList<string> Listeners { get; private set; } = Array.Empty<string>();

    public RelayCertificateSource CertificateSource { get; private set; }

    /// <summary>The STARTTLS certificate's thumbprint, for devices that pin it.</summary>
    public string? CertificateThumbprint { get; private set; }

    public int Clients { get; private set; }

    public int QueueDepth { get; private set; }

    public int DeadLetters { get; private set; }

    public int DeliveryUnknown { get; private set; }

    public long Submitted { get; private set; }

    public DateTimeOffset? StartedOn { get; private set; }

    /// <summary>When the relay last wrote its status.</summary>
    public DateTimeOffset? UpdatedOn { get; private set; }

    public IReadOnlyList<RelayStatusError> LastErrors { get; private set; } = Array.Empty<RelayStatusError>();

    public IReadOnlyList<RelayCredentialWarning> CredentialWarnings { get; private set; } = Array.Empty<RelayCredentialWarning>();

    public string SpoolPath { get; private set; } = string.Empty;

    public string LogPath { get; private set; } = string.Empty;

    public string StatusPath { get; private set; } = string.Empty;

    public string ProfileStorePath { get; private set; } = string.Empty;

    /// <summary>The configuration in <paramref name="store"/> and the status its relay last wrote.</summary>
    /// <exception cref="Errors.OAuthSmtpException">RelayNotInstalled, the configuration or the status cannot be read.</exception>
    public static RelayOverview Read(RelayConfigurationStore store)
    {
        if (store is null)
        {
            throw new ArgumentNullException(nameof(store));
        }

        var configuration = store.Load();
        var statusPath = store.Resolve(configuration.StatusPath);
        var status = RelayStatusFile.Read(statusPath);
        var running = status is not null && status.State is RelayState.Starting or RelayState.Running or RelayState.Stopping;
        return new RelayOverview
        {
            Path = store.Home,
            ConfigurationPath = store.ConfigurationPath,
            State = status?.State ?? RelayState.NotRunning,
            ProcessId = running ? status!.ProcessId : null,
            Service = configuration.Service,
            Listeners = running && status!.Listeners.Count > 0 ? status.Listeners : configuration.Listeners.Select(l => l.Endpoint).ToList(),
            CertificateSource = configuration.Tls.CertificateSource,
            CertificateThumbprint = configuration.Tls.CertificateThumbprint,
            Clients = configuration.Clients.Count,
            QueueDepth = status?.QueueDepth ?? 0,
            DeadLetters = status?.DeadLetters ?? 0,
            DeliveryUnknown = status?.DeliveryUnknown ?? 0,
            Submitted = status?.Submitted ?? 0,
            StartedOn = status?.StartedOn,
            UpdatedOn = status?.UpdatedOn,
            LastErrors = status?.LastErrors ?? new List<RelayStatusError>(),
            CredentialWarnings = status?.CredentialWarnings ?? new List<RelayCredentialWarning>(),
            SpoolPath = store.Resolve(configuration.SpoolPath),
            LogPath = store.Resolve(configuration.LogPath),
            StatusPath = statusPath,
            ProfileStorePath = store.Resolve(configuration.ProfileStorePath),
        };
    }
}
