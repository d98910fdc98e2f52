using System;
using System.Management.Automation;
using OAuthSmtp.Engine.Errors;
using OAuthSmtp.Engine.Relay;
using OAuthSmtp.PowerShell.Hosting;
using OAuthSmtp.PowerShell.Relay;

namespace OAuthSmtp.PowerShell.Commands;

/// <summary>
/// Install-SmtpOAuthRelay: writes the relay's configuration (relay.json) and registers the relay as a systemd unit or
/// Windows service (or, with -NoService, for Start-SmtpOAuthRelay to run as a process). Everything is checked before
/// anything changes; -WhatIf shows the configuration, the unit text and every command.
/// </summary>
[Cmdlet(VerbsLifecycle.Install, "SmtpOAuthRelay", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, HelpUri = HelpLinks.Base + "Install-SmtpOAuthRelay.md")]
[OutputType(typeof(RelayOverview))]
public sealed class InstallSmtpOAuthRelayCommand : OAuthSmtpCmdlet
{
    #region Parameters

    /// <summary>The relay home folder; the machine's default when left out.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Path { get; set; }

    [Parameter]
    [ValidateRange(1, 65535)]
    public int Port { get; set; } = RelayConfiguration.DefaultPort;

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[] ListenAddress { get; set; } = Array.Empty<string>();

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[] AllowedSource { get; set; } = Array.Empty<string>();

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[] CleartextAuthRange { get; set; } = Array.Empty<string>();

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? CertificatePath { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? CertificateThumbprint { get; set; }

    [Parameter]
    public long MaxMessageSize { get; set; }

    [Parameter]
    public int MaxConnectionsPerSource { get; set; }

    [Parameter]
    public int AuthFailuresBeforeLockout { get; set; }

    [Parameter]
    public TimeSpan LockoutDuration { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ProfileStorePath { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? SpoolPath { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? LogPath { get; set; }

    [Parameter]
    public SwitchParameter NoService { get; set; }

    [Parameter]
    public SwitchParameter Force { get; set; }

    #endregion

    protected override void EndProcessing()
    {
        var request = new RelayInstallRequest
        {
            Path = Path is null ? null : SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path),
            Port = Port,
            ListenAddresses = ListenAddress,
            AllowedSources = AllowedSource,
            CleartextAuthRanges = CleartextAuthRange,
            CertificatePath = CertificatePath is null ? null : SessionState.Path.GetUnresolvedProviderPathFromPSPath(CertificatePath),
            CertificateThumbprint = CertificateThumbprint,
            MaxMessageBytes = MyInvocation.BoundParameters.ContainsKey(nameof(MaxMessageSize)) ? MaxMessageSize : null,
            MaxConnectionsPerSource = MyInvocation.BoundParameters.ContainsKey(nameof(MaxConnectionsPerSource)) ? MaxConnectionsPerSource : null,
            AuthFailuresBeforeLockout = MyInvocation.BoundParameters.ContainsKey(nameof(AuthFailuresBeforeLockout)) ? AuthFailuresBeforeLockout : null,
            LockoutDuration = MyInvocation.BoundParameters.ContainsKey(nameof(LockoutDuration)) ? LockoutDuration : null,
            ProfileStorePath = ProfileStorePath,
            SpoolPath = SpoolPath,
            LogPath = LogPath,
            NoService = NoService,
            Force = Force,
        };

        try
        {
            var installer = new RelayInstaller();
            var plan = installer.Plan(request, RelayModule.LocateProgram);
            var what = $"Install the relay for devices in '{plan.Store.Home}' ({(plan.Configuration.Service == RelayServiceKind.None ? "no service" : plan.Configuration.Service.ToString())}):{Environment.NewLine}{plan.Description}";
            if (!ShouldProcess(what, $"Install the relay for devices in '{plan.Store.Home}'?", "Install-SmtpOAuthRelay"))
            {
                return;
            }

            var overview = installer.Apply(plan);
            WriteVerbose($"Wrote {plan.Store.ConfigurationPath}. Add devices with Add-SmtpOAuthRelayClient{(Path is null ? string.Empty : " -Path '" + Path + "'")}, then Start-SmtpOAuthRelay.");
            WriteObject(overview);
        }
        catch (OAuthSmtpException exception)
        {
            ThrowEngineError(exception);
        }
    }
}
