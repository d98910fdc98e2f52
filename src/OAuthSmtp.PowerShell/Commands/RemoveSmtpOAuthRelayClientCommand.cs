using System.Management.Automation;
using OAuthSmtp.Engine.Errors;
using OAuthSmtp.Engine.Profiles;
using OAuthSmtp.Engine.Relay;
using OAuthSmtp.PowerShell.Completion;
using OAuthSmtp.PowerShell.Hosting;

namespace OAuthSmtp.PowerShell.Commands;

/// <summary>Remove-SmtpOAuthRelayClient: the device can no longer send through the relay (a running relay reads the change).</summary>
[Cmdlet(VerbsCommon.Remove, "SmtpOAuthRelayClient", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, HelpUri = HelpLinks.Base + "Remove-SmtpOAuthRelayClient.md")]
[OutputType(typeof(void))]
public sealed class RemoveSmtpOAuthRelayClientCommand : OAuthSmtpCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(RelayClientNameCompleter))]
    public string[] Name { get; set; } = System.Array.Empty<string>();

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? Path { get; set; }

    protected override void ProcessRecord()
    {
        var store = new RelayConfigurationStore(Path is null ? null : SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path));
        var registry = new RelayClientRegistry(store);
        foreach (var name in Name)
        {
            try
            {
                var matches = ProfileNamePattern.ContainsWildcard(name) ? registry.Find(name) : new[] { registry.Get(name) };
                foreach (var client in matches)
                {
                    if (!ShouldProcess($"{client.Name} (sends as {client.Mailbox})", "Remove relay device"))
                    {
                        continue;
                    }

                    registry.Remove(client.Name!);
                    WriteVerbose($"Removed device '{client.Name}' from {store.ConfigurationPath}.");
                }
            }
            catch (OAuthSmtpException exception)
            {
                WriteEngineError(exception, name);
            }
        }
    }
}
