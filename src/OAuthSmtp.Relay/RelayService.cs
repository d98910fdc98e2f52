using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OAuthSmtp.Engine.Errors;
using OAuthSmtp.Engine.Profiles;
using OAuthSmtp.Engine.Relay;
using OAuthSmtp.Relay.Configuration;
using OAuthSmtp.Relay.Inbound;
using OAuthSmtp.Relay.Logging;
using OAuthSmtp.Relay.Outbound;
using OAuthSmtp.Relay.Spool;
using OAuthSmtp.Relay.Status;

namespace OAuthSmtp.Relay;

/// <summary>
/// The relay process: recovers the spool, starts the devices' SMTP side and the Exchange side, keeps status.json
/// current, re-reads the configuration when its file changes (devices and limits apply at once; listen endpoints
/// and the certificate at the next start), and on stop lets submissions under way finish.
/// </summary>
internal sealed partial class RelayService : BackgroundService
{
    private readonly RelayOptions _options;
    private readonly ILogger<RelayService> _logger;
    private readonly RelayErrors _errors = new();
    private static readonly TimeSpan DoneRetention = TimeSpan.FromDays(1);
    private readonly DateTimeOffset _started = DateTimeOffset.UtcNow;
    private DateTime _configWrittenAt;
    private DateTime _profilesWrittenAt;
    private HashSet<string> _loggedWarnings = new(StringComparer.Ordinal);
    private List<RelayCredentialWarning>? _credentialWarnings;

    public RelayService(RelayOptions options, ILogger<RelayService> logger)
    {
        _options = options;
        _logger = logger;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = _options.Settings;
        _configWrittenAt = File.GetLastWriteTimeUtc(_options.ConfigurationPath);
        _profilesWrittenAt = File.GetLastWriteTimeUtc(ProfilesFile);
        var devices = new DeviceDirectory(settings);
        var spool = new MessageSpool(settings.SpoolPath);
        using var logs = new RelayLogs(settings.LogPath);
        var profiles = new SendingProfiles(settings.ProfileStorePath);
        var refusals = new InboundRefusals(logs);
        await using var dispatcher = new OutboundDispatcher(spool, logs, profiles, () => devices.Settings, _errors);
        using var certificate = LoadCertificate(settings);

        var queued = spool.Recover((entry, outcome) =>
        {
            _errors.Add($"Delivery unknown {entry.Id}: {outcome.Message}");
            logs.Outcomes.Write(new OutcomeEntry { Event = "unknown", Id = entry.Id, Device = entry.Envelope.Device, Profile = entry.Envelope.Profile, MailFrom = entry.Envelope.MailFrom, Recipients = entry.Envelope.Recipients, MessageId = entry.Envelope.MessageId, Reason = outcome.Reason, ErrorId = outcome.ErrorId, Detail = outcome.Message, Fix = outcome.Fix });
        });
        foreach (var entry in queued)
        {
            dispatcher.Enqueue(entry);
        }

        var store = new SpoolingMessageStore(devices, refusals, spool, logs, dispatcher.Enqueue);
        var filter = new DeviceMailboxFilter(devices, refusals);
        var inbound = new InboundServer(settings, devices, refusals, new AuthLockout(), store, filter, new InboundProtocolLog(logs.Inbound), certificate);
        using var serverStop = new CancellationTokenSource();
        var serving = inbound.StartAsync(serverStop.Token);
        if (_logger.IsEnabled(LogLevel.Information))
        {
            var endpoints = string.Join(", ", settings.Listeners.Select(l => l.Endpoint));
            LogStarted(_logger, endpoints, settings.Devices.Count);
        }

        var state = RelayState.Running;
        var ticks = 0;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                if (serving.IsFaulted)
                {
                    state = RelayState.Faulted;
                    _errors.Add("The SMTP listener stopped: " + serving.Exception?.GetBaseException().Message);
                    WriteStatus(state, devices, spool, dispatcher, inbound);
                    throw serving.Exception!.GetBaseException();
                }

                if (ticks % 2 == 0)
                {
                    ReloadIfChanged(devices, profiles);
                }

                if (ticks % 600 == 0 || _credentialWarnings is null)
                {
                    _credentialWarnings = CredentialWarnings.For(devices.Devices, profiles, DateTimeOffset.UtcNow);
                    LogNewWarnings(_credentialWarnings);
                }

                if (ticks % 30 == 0)
                {
                    dispatcher.Rescan();
                    spool.PurgeDone(DoneRetention);
                }

                WriteStatus(state, devices, spool, dispatcher, inbound);
                ticks++;
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        WriteStatus(RelayState.Stopping, devices, spool, dispatcher, inbound);
        await inbound.ShutdownAsync().WaitAsync(TimeSpan.FromSeconds(10), CancellationToken.None).ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
        await serverStop.CancelAsync().ConfigureAwait(false);
        await dispatcher.StopAsync(TimeSpan.FromSeconds(15)).ConfigureAwait(false);
        WriteStatus(RelayState.Stopped, devices, spool, dispatcher, inbound);
    }

    /// <summary>The relay's profile store file: a profile changed there (Set-SmtpOAuthProfile, an end date Get-SmtpOAuthRelay recorded) is read again.</summary>
    private string ProfilesFile => Path.Combine(_options.Settings.ProfileStorePath, ProfileStore.FileName);

    /// <summary>Each credential warning goes to the log once (the status file carries them all the time).</summary>
    private void LogNewWarnings(List<RelayCredentialWarning> warnings)
    {
        foreach (var warning in warnings.Where(w => w.Message is not null && !_loggedWarnings.Contains(w.Message)))
        {
            LogCredentialWarning(_logger, warning.Profile ?? string.Empty, warning.Message!);
        }

        _loggedWarnings = warnings.Where(w => w.Message is not null).Select(w => w.Message!).ToHashSet(StringComparer.Ordinal);
    }

    private void ReloadIfChanged(DeviceDirectory devices, SendingProfiles profiles)
    {
        var profilesWritten = File.GetLastWriteTimeUtc(ProfilesFile);
        if (profilesWritten != _profilesWrittenAt)
        {
            _profilesWrittenAt = profilesWritten;
            profiles.Reset();
            _credentialWarnings = null;
        }

        DateTime written;
        try
        {
            written = File.GetLastWriteTimeUtc(_options.ConfigurationPath);
        }
        catch (IOException)
        {
            return;
        }

        if (written == _configWrittenAt)
        {
            return;
        }

        try
        {
            var fresh = RelaySettings.Load(_options.ConfigurationPath);
            devices.Replace(fresh);
            profiles.Reset();
            _credentialWarnings = null;
            _configWrittenAt = written;
            LogReloaded(_logger, fresh.Devices.Count);
        }
        catch (OAuthSmtpException ex)
        {
            // A wrong file: keep the last good devices, say why, and try again at the next change.
            _configWrittenAt = written;
            _errors.Add("The changed configuration was not applied: " + ex.Message, ex.ErrorId, _options.ConfigurationPath);
        }
    }

    /// <summary>The STARTTLS certificate: a .pfx (File, Generated; without password) or LocalMachine\My by thumbprint (Store).</summary>
    private static X509Certificate2? LoadCertificate(RelaySettings settings)
    {
        var tls = settings.Configuration.Tls;
        try
        {
            switch (tls.CertificateSource)
            {
                case RelayCertificateSource.File:
                case RelayCertificateSource.Generated:
                    return X509CertificateLoader.LoadPkcs12FromFile(settings.CertificatePath!, null, X509KeyStorageFlags.EphemeralKeySet);
                case RelayCertificateSource.Store:
                    using (var store = new X509Store(StoreName.My, StoreLocation.LocalMachine))
                    {
                        store.Open(OpenFlags.ReadOnly | OpenFlags.OpenExistingOnly);
                        var found = store.Certificates.Find(X509FindType.FindByThumbprint, tls.CertificateThumbprint!, validOnly: false);
                        return found.Count > 0 ? found[0] : throw new CryptographicException($"no certificate with thumbprint {tls.CertificateThumbprint} in LocalMachine\\My");
                    }

                default:
                    return null;
            }
        }
        catch (Exception ex) when (ex is CryptographicException or IOException or UnauthorizedAccessException)
        {
            throw new OAuthSmtpException(
                ErrorIds.InvalidRelayCertificate,
                ErrorKind.InvalidData,
                $"The relay's STARTTLS certificate ({tls.CertificateSource}: {settings.CertificatePath ?? tls.CertificateThumbprint}) cannot be loaded: {ex.Message}",
                "Give a .pfx without password the relay's account can read, or a certificate with its private key in Cert:\\LocalMachine\\My: Install-SmtpOAuthRelay -Force -CertificatePath <file.pfx>.",
                settings.CertificatePath ?? tls.CertificateThumbprint,
                ex);
        }
    }

    private void WriteStatus(RelayState state, DeviceDirectory devices, MessageSpool spool, OutboundDispatcher dispatcher, InboundServer inbound)
    {
        using var process = Process.GetCurrentProcess();
        var status = new RelayStatus
        {
            State = state,
            ProcessId = Environment.ProcessId,
            Version = typeof(RelayService).Assembly.GetName().Version?.ToString(),
            StartedOn = _started,
            UpdatedOn = DateTimeOffset.UtcNow,
            HeartbeatSeconds = 1,
            Listeners = inbound.Bound.Select(b => b.ToString()).OrderBy(b => b, StringComparer.Ordinal).ToList(),
            QueueDepth = spool.Count(SpoolState.Queued) + spool.Count(SpoolState.Submitting),
            DeadLetters = spool.Count(SpoolState.Dead),
            DeliveryUnknown = spool.Count(SpoolState.Unknown),
            Submitted = dispatcher.Submitted,
            DeviceConnections = inbound.Gate.OpenConnections,
            Mailboxes = dispatcher.Lanes.Select(l => new RelayMailboxStatus
            {
                Mailbox = l.Mailbox,
                Pending = l.Pending,
                Connections = l.Workers,
                PeakConnections = l.PeakWorkers,
                PausedUntil = l.PausedUntil > DateTimeOffset.UtcNow ? l.PausedUntil : null,
            }).ToList(),
            LastErrors = _errors.Snapshot(),
            CredentialWarnings = _credentialWarnings ?? new List<RelayCredentialWarning>(),
            PeakWorkingSetBytes = process.PeakWorkingSet64,
        };
        try
        {
            RelayStatusFile.Write(devices.Settings.StatusPath, status);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or OAuthSmtpException)
        {
            LogStatusFailed(_logger, ex.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "OAuthSmtp relay listening on {Endpoints} with {Devices} device(s)")]
    private static partial void LogStarted(ILogger logger, string endpoints, int devices);

    [LoggerMessage(Level = LogLevel.Information, Message = "Configuration re-read: {Devices} device(s)")]
    private static partial void LogReloaded(ILogger logger, int devices);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Credential of relay profile {Profile}: {Warning}")]
    private static partial void LogCredentialWarning(ILogger logger, string profile, string warning);

    [LoggerMessage(Level = LogLevel.Warning, Message = "status.json could not be written: {Reason}")]
    private static partial void LogStatusFailed(ILogger logger, string reason);
}
