using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using OAuthSmtp.Engine.Profiles;
using OAuthSmtp.Engine.Relay;

namespace OAuthSmtp.PowerShell.Completion;

/// <summary>
/// Completes Add-SmtpOAuthRelayClient -Profile from the relay's own profile store (the one the relay sends with),
/// not the current user's.
/// </summary>
public sealed class RelayProfileNameCompleter : Completer
{
    protected override IEnumerable<CompletionResult> Complete(string typed, IDictionary? boundParameters)
    {
        var store = new RelayConfigurationStore(boundParameters?["Path"] as string);
        return new ProfileStore(store.Resolve(store.Load().ProfileStorePath)).FindProfiles(typed + "*")
            .Select(p => CompletionText.Value(p.Name, $"{p.Name}: {p.Mailbox} ({p.CredentialKind})"));
    }
}
