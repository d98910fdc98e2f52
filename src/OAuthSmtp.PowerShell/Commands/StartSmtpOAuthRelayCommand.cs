using System.Management.Automation;
using OAuthSmtp.Engine.Errors;
using OAuthSmtp.Engine.Relay;
using OAuthSmtp.PowerShell.Hosting;
using OAuthSmtp.PowerShell.Relay;

namespace OAuthSmtp.PowerShell.Commands;

/// <summary>Start-SmtpOAuthRelay: starts the relay service, or the relay as a background process; returns once it reports Running.</summary>
[Cmdlet(VerbsLifecycle.Start, "SmtpOAuthRelay", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low, HelpUri = HelpLinks.Base + "Start-SmtpOAuthRelay.md")]
[OutputType(typeof(RelayOverview))]
public sealed class StartSmtpOAuthRelayCommand : OAuthSmtpCmdlet
{
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? Path { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        try
        {
            var controller = new RelayController(new RelayConfigurationStore(Path is null ? null : SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path)));
            if (!ShouldProcess(controller.Describe(start: true), "Start"))
            {
                return;
            }

            var overview = controller.Start(RelayModule.LocateProgram, CancellationToken);
            WriteVerbose($"The relay is {overview.State} (process {overview.ProcessId}), listening on {string.Join(", ", overview.Listeners)}.");
            if (PassThru)
            {
                WriteObject(overview);
            }
        }
        catch (OAuthSmtpException exception)
        {
            WriteEngineError(exception, Path);
        }
    }
}
