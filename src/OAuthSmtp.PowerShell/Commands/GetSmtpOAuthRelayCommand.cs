using System.Management.Automation;
using OAuthSmtp.Engine.Errors;
using OAuthSmtp.Engine.Relay;
using OAuthSmtp.PowerShell.Hosting;

namespace OAuthSmtp.PowerShell.Commands;

/// <summary>Get-SmtpOAuthRelay: the relay's state, queue depth, dead letters, last errors and credential warnings.</summary>
[Cmdlet(VerbsCommon.Get, "SmtpOAuthRelay", HelpUri = HelpLinks.Base + "Get-SmtpOAuthRelay.md")]
[OutputType(typeof(RelayOverview))]
public sealed class GetSmtpOAuthRelayCommand : OAuthSmtpCmdlet
{
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? Path { get; set; }

    protected override void ProcessRecord()
    {
        try
        {
            var overview = RelayOverview.Read(new RelayConfigurationStore(Path is null ? null : SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path)));
            foreach (var warning in overview.CredentialWarnings)
            {
                WriteWarning($"Relay profile '{warning.Profile}': {warning.Message}");
            }

            WriteObject(overview);
        }
        catch (OAuthSmtpException exception)
        {
            WriteEngineError(exception, Path);
        }
    }
}
