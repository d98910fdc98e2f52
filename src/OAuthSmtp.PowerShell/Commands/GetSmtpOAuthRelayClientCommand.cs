using System.Management.Automation;
using OAuthSmtp.Engine.Errors;
using OAuthSmtp.Engine.Profiles;
using OAuthSmtp.Engine.Relay;
using OAuthSmtp.PowerShell.Completion;
using OAuthSmtp.PowerShell.Hosting;

namespace OAuthSmtp.PowerShell.Commands;

/// <summary>Get-SmtpOAuthRelayClient: the relay's devices, by name or wildcard; never a password or verifier.</summary>
[Cmdlet(VerbsCommon.Get, "SmtpOAuthRelayClient", HelpUri = HelpLinks.Base + "Get-SmtpOAuthRelayClient.md")]
[OutputType(typeof(RelayClientInfo))]
public sealed class GetSmtpOAuthRelayClientCommand : OAuthSmtpCmdlet
{
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(RelayClientNameCompleter))]
    public string[] Name { get; set; } = { "*" };

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
                if (ProfileNamePattern.ContainsWildcard(name))
                {
                    foreach (var client in registry.Find(name))
                    {
                        WriteObject(RelayClientInfo.From(client, store.Home));
                    }
                }
                else
                {
                    WriteObject(RelayClientInfo.From(registry.Get(name), store.Home));
                }
            }
            catch (OAuthSmtpException exception) when (exception.ErrorId == ErrorIds.RelayClientNotFound)
            {
                WriteEngineError(exception, name);
            }
            catch (OAuthSmtpException exception)
            {
                ThrowEngineError(exception, name);
            }
        }
    }
}
