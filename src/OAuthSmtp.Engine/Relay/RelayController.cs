using System;
using System.Threading;
using OAuthSmtp.Engine.Errors;

namespace OAuthSmtp.Engine.Relay;

/// <summary>
/// Start-SmtpOAuthRelay and Stop-SmtpOAuthRelay: through the service manager when the relay was installed as a
/// service, else as a background process (<see cref="RelayProcess"/>). Started means the relay reported Running.
/// </summary>
public sealed class RelayController
{
    private readonly RelayConfigurationStore _store;
    private readonly RelayServiceManager _services;

    public RelayController(RelayConfigurationStore store, RelayServiceManager? services = null)
    {
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _services = services ?? new RelayServiceManager();
    }

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>What starting does, for ShouldProcess.</summary>
    public string Describe(bool start)
    {
        var configuration = _store.Load();
        return configuration.Service == RelayServiceKind.None
            ? (start ? "Start the relay as a background process: " : "Stop the relay process of ") + _store.ConfigurationPath
            : (start ? RelayServiceManager.StartCommand(configuration.Service) : RelayServiceManager.StopCommand(configuration.Service)).ToString();
    }

    /// <exception cref="OAuthSmtpException">RelayNotInstalled, RelayProgramNotFound, RelayStartFailed, RelayServiceCommandFailed.</exception>
    public RelayOverview Start(Func<RelayProgram> locateProgram, CancellationToken cancellationToken = default)
    {
        if (locateProgram is null)
        {
            throw new ArgumentNullException(nameof(locateProgram));
        }

        var configuration = _store.Load();
        if (configuration.Service == RelayServiceKind.None)
        {
            new RelayProcess(_store) { Timeout = Timeout }.Start(locateProgram(), configuration, cancellationToken);
            return RelayOverview.Read(_store);
        }

        _services.Run(RelayServiceManager.StartCommand(configuration.Service));
        var deadline = DateTime.UtcNow + Timeout;
        while (DateTime.UtcNow < deadline)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var overview = RelayOverview.Read(_store);
            // A Running status is believed only while its process lives (RelayStatusFile reads a dead one as NotRunning).
            if (overview.State == RelayState.Running)
            {
                return overview;
            }

            Thread.Sleep(200);
        }

        throw new OAuthSmtpException(
            ErrorIds.RelayStartFailed,
            ErrorKind.InvalidOperation,
            $"The relay service was started but did not report Running within {Timeout.TotalSeconds:0} seconds.",
            configuration.Service == RelayServiceKind.Systemd
                ? "Read why: journalctl -u oauthsmtp-relay -n 50 (and the relay's logs, Get-SmtpOAuthRelay shows where)."
                : "Read why in the Application event log (source OAuthSmtpRelay) and the relay's logs (Get-SmtpOAuthRelay shows where).",
            _store.Home);
    }

    /// <summary>Stops the relay; returns its status afterwards.</summary>
    /// <exception cref="OAuthSmtpException">RelayNotInstalled, RelayStopFailed, RelayServiceCommandFailed.</exception>
    public RelayOverview Stop(bool force, CancellationToken cancellationToken = default)
    {
        var configuration = _store.Load();
        if (configuration.Service == RelayServiceKind.None)
        {
            new RelayProcess(_store) { Timeout = Timeout }.Stop(force, cancellationToken);
        }
        else
        {
            _services.Run(RelayServiceManager.StopCommand(configuration.Service));
        }

        return RelayOverview.Read(_store);
    }
}
