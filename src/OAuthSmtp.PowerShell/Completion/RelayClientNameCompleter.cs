using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using OAuthSmtp.Engine.Relay;

namespace OAuthSmtp.PowerShell.Completion;

/// <summary>
/// Completes device names of the relay in -Path (or the default relay home) on Tab. A configuration that cannot be
/// read completes nothing rather than failing the user's typing.
/// </summary>
public sealed class RelayClientNameCompleter : Completer
{
    protected override IEnumerable<CompletionResult> Complete(string typed, IDictionary? boundParameters)
    {
        var store = new RelayConfigurationStore(boundParameters?["Path"] as string);
        return new RelayClientRegistry(store).Find(typed + "*")
            .Select(c => CompletionText.Value(c.Name!, $"{c.Name}: sends as {c.Mailbox} ({c.Profile})"));
    }
}
