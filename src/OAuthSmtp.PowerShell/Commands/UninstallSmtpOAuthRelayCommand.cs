using System.Management.Automation;
using OAuthSmtp.Engine.Errors;
using OAuthSmtp.Engine.Relay;
using OAuthSmtp.PowerShell.Hosting;

namespace OAuthSmtp.PowerShell.Commands;

/// <summary>
/// Uninstall-SmtpOAuthRelay: stops the relay, removes its service registration and its configuration. A spool that
/// still holds undelivered messages is kept (a warning says where and how many) unless -RemoveSpool is given and
/// confirmed on its own.
/// </summary>
[Cmdlet(VerbsLifecycle.Uninstall, "SmtpOAuthRelay", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, HelpUri = HelpLinks.Base + "Uninstall-SmtpOAuthRelay.md")]
[OutputType(typeof(RelayUninstallResult))]
public sealed class UninstallSmtpOAuthRelayCommand : OAuthSmtpCmdlet
{
    /// <summary>The relay home folder; the machine's default when left out.</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? Path { get; set; }

    /// <summary>Delete the spool even when it holds undelivered messages (asked again, with the counts).</summary>
    [Parameter]
    public SwitchParameter RemoveSpool { get; set; }

    protected override void ProcessRecord()
    {
        try
        {
            var store = new RelayConfigurationStore(Path is null ? null : SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path));
            var uninstaller = new RelayUninstaller();
            var plan = uninstaller.Plan(store, RemoveSpool);
            if (!ShouldProcess(
                    $"Uninstall the relay for devices in '{store.Home}':{System.Environment.NewLine}{plan.Description}",
                    $"Uninstall the relay for devices in '{store.Home}' ({plan.Configuration.Clients.Count} device(s) will no longer be able to send)?",
                    "Uninstall-SmtpOAuthRelay"))
            {
                return;
            }

            var result = uninstaller.Apply(
                plan,
                spool => ShouldProcess(
                    $"Delete the relay's spool '{spool.Path}' with {spool.Undelivered} undelivered message(s): {spool.Describe()}.",
                    $"The spool '{spool.Path}' holds {spool.Undelivered} message(s) devices were told were accepted ({spool.Describe()}). Deleted, they are lost for good. Delete them?",
                    "Delete undelivered relay messages"),
                CancellationToken);
            if (result.SpoolWarning is { } warning)
            {
                WriteWarning(warning);
            }

            foreach (var kept in result.Kept)
            {
                WriteVerbose("Kept " + kept);
            }

            WriteObject(result);
        }
        catch (OAuthSmtpException exception)
        {
            WriteEngineError(exception, Path);
        }
    }
}
