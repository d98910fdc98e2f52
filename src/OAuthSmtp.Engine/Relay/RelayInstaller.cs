using System;
using System.Linq;
using System.Net;
using OAuthSmtp.Engine.Errors;

namespace OAuthSmtp.Engine.Relay;

/// <summary>
/// Install-SmtpOAuthRelay's work: turns the request into a checked configuration and the service steps
/// (<see cref="Plan"/>: nothing changes, so -WhatIf and bad input leave the machine as it was), then writes the
/// configuration and registers the service (<see cref="Apply"/>).
/// </summary>
public sealed class RelayInstaller
{
    private readonly RelayServiceManager _services;
    private readonly Func<RelayServiceKind> _detect;

    public RelayInstaller(RelayServiceManager? services = null, Func<RelayServiceKind>? detect = null)
    {
        _services = services ?? new RelayServiceManager();
        _detect = detect ?? RelayServiceManager.Detect;
    }

    /// <param name="locateProgram">Finds the relay program; called only when a service is registered.</param>
    /// <exception cref="OAuthSmtpException">A setting breaks a rule, a relay is installed already (without Force), no service manager, no relay program.</exception>
    public RelayInstallPlan Plan(RelayInstallRequest request, Func<RelayProgram> locateProgram)
    {
        if (request is null)
        {
            throw new ArgumentNullException(nameof(request));
        }

        var store = new RelayConfigurationStore(request.Path);
        var configuration = RelayConfiguration.CreateDefault(store.Home, request.Port);
        var sources = request.AllowedSources.ToList();
        foreach (var address in request.ListenAddresses.Where(a => a is not null))
        {
            var listener = new RelayListener { Address = address.Trim(), Port = request.Port, AllowedSources = sources.ToList() };
            if (IPAddress.TryParse(listener.Address, out var ip) && IPAddress.IsLoopback(ip))
            {
                continue;
            }

            configuration.Listeners.Add(listener);
        }

        if (sources.Count > 0 && request.ListenAddresses.Count == 0)
        {
            throw new OAuthSmtpException(
                ErrorIds.InvalidRelayListener,
                ErrorKind.InvalidArgument,
                "-AllowedSource names who may connect to a listener off loopback, and no -ListenAddress was given: the relay listens on loopback only, where only this machine connects.",
                "Add -ListenAddress <an address of this machine> (or 0.0.0.0 for all), or leave -AllowedSource out.",
                string.Join(", ", sources));
        }

        foreach (var range in request.CleartextAuthRanges)
        {
            configuration.CleartextAuthRanges.Add(range);
        }

        if (!string.IsNullOrWhiteSpace(request.CertificatePath) && !string.IsNullOrWhiteSpace(request.CertificateThumbprint))
        {
            throw new OAuthSmtpException(
                ErrorIds.InvalidRelayCertificate,
                ErrorKind.InvalidArgument,
                "Both -CertificatePath and -CertificateThumbprint name the STARTTLS certificate.",
                "Give one: a .pfx with -CertificatePath, or a certificate in Cert:\\LocalMachine\\My with -CertificateThumbprint.",
                request.CertificatePath);
        }

        if (!string.IsNullOrWhiteSpace(request.CertificatePath))
        {
            configuration.Tls = new RelayTlsSettings { CertificateSource = RelayCertificateSource.File, CertificatePath = System.IO.Path.GetFullPath(request.CertificatePath!) };
            if (!System.IO.File.Exists(configuration.Tls.CertificatePath))
            {
                throw new OAuthSmtpException(
                    ErrorIds.InvalidRelayCertificate,
                    ErrorKind.ObjectNotFound,
                    $"The certificate file '{configuration.Tls.CertificatePath}' does not exist.",
                    "Give the full path of the .pfx (PKCS#12 without password) with -CertificatePath.",
                    configuration.Tls.CertificatePath);
            }
        }
        else if (!string.IsNullOrWhiteSpace(request.CertificateThumbprint))
        {
            configuration.Tls = new RelayTlsSettings { CertificateSource = RelayCertificateSource.Store, CertificateThumbprint = request.CertificateThumbprint };
        }

        configuration.Limits.MaxMessageBytes = request.MaxMessageBytes ?? configuration.Limits.MaxMessageBytes;
        configuration.Limits.MaxConnectionsPerSource = request.MaxConnectionsPerSource ?? configuration.Limits.MaxConnectionsPerSource;
        configuration.Limits.AuthFailuresBeforeLockout = request.AuthFailuresBeforeLockout ?? configuration.Limits.AuthFailuresBeforeLockout;
        if (request.LockoutDuration is { } lockout)
        {
            configuration.Limits.LockoutSeconds = (int)Math.Min(int.MaxValue, Math.Ceiling(lockout.TotalSeconds));
        }

        configuration.ProfileStorePath = string.IsNullOrWhiteSpace(request.ProfileStorePath) ? configuration.ProfileStorePath : request.ProfileStorePath!;
        configuration.SpoolPath = string.IsNullOrWhiteSpace(request.SpoolPath) ? configuration.SpoolPath : request.SpoolPath!;
        configuration.LogPath = string.IsNullOrWhiteSpace(request.LogPath) ? configuration.LogPath : request.LogPath!;
        RelayConfigurationValidator.Validate(configuration);

        if (!request.Force && store.Exists)
        {
            throw new OAuthSmtpException(
                ErrorIds.RelayAlreadyInstalled,
                ErrorKind.ResourceExists,
                $"A relay is already configured in '{store.Home}'.",
                "See it with Get-SmtpOAuthRelay; replace its settings with Install-SmtpOAuthRelay -Force (its devices are kept).",
                store.Home);
        }

        if (request.Force && store.Exists)
        {
            // Its devices are kept: a damaged file is reported here, before anything changes.
            configuration.Clients = store.Load().Clients;
            RelayConfigurationValidator.Validate(configuration);
        }

        configuration.Service = request.NoService ? RelayServiceKind.None : RelayServiceManager.RequireAvailable(_detect());
        var steps = configuration.Service == RelayServiceKind.None
            ? RelayServiceManager.InstallSteps(RelayServiceKind.None, RelayProgram.At("OAuthSmtp.Relay"), store, configuration)
            : RelayServiceManager.InstallSteps(configuration.Service, (locateProgram ?? throw new ArgumentNullException(nameof(locateProgram)))(), store, configuration, _services.IsRegistered(configuration.Service));
        return new RelayInstallPlan(store, configuration, steps, request.Force);
    }

    /// <summary>Writes the configuration, then registers the service.</summary>
    public RelayOverview Apply(RelayInstallPlan plan)
    {
        if (plan is null)
        {
            throw new ArgumentNullException(nameof(plan));
        }

        plan.Store.Create(plan.Configuration, plan.Overwrite);
        _services.Apply(plan.ServiceSteps);
        return RelayOverview.Read(plan.Store);
    }
}
