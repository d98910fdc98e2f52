using System.Management.Automation;
using OAuthSmtp.Engine.Errors;
using OAuthSmtp.Engine.Relay;
using OAuthSmtp.PowerShell.Hosting;

namespace OAuthSmtp.PowerShell.Commands;

/// <summary>Stop-SmtpOAuthRelay: stops the relay service or process; what it acknowledged stays in the spool.</summary>
[Cmdlet(VerbsLifecycle.Stop, "SmtpOAuthRelay", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, HelpUri = HelpLinks.Base + "Stop-SmtpOAuthRelay.md")]
[OutputType(typeof(RelayOverview))]
public sealed class StopSmtpOAuthRelayCommand : OAuthSmtpCmdlet
{
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? Path { get; set; }

    /// <summary>End the process at once instead of asking it to stop.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        try
        {
            var controller = new RelayController(new RelayConfigurationStore(Path is null ? null : SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path)));
            if (!ShouldProcess(controller.Describe(start: false), "Stop"))
            {
                return;
            }

            var overview = controller.Stop(Force, CancellationToken);
            WriteVerbose($"The relay is {overview.State}; {overview.QueueDepth} message(s) wait in its spool.");
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
