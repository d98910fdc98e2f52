using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using OAuthSmtp.Engine.Errors;
using OAuthSmtp.Engine.Profiles;
using OAuthSmtp.Engine.Relay;

namespace OAuthSmtp.PowerShell.Completion;

/// <summary>
/// Completes Add-SmtpOAuthRelayClient -Profile from the relay's own profile store (the one the relay sends with),
/// not the current user's.
/// </summary>
public sealed class RelayProfileNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(
        string commandName,
        string parameterName,
        string wordToComplete,
        CommandAst commandAst,
        IDictionary fakeBoundParameters)
    {
        var typed = CompletionText.Typed(wordToComplete);
        try
        {
            var store = new RelayConfigurationStore(fakeBoundParameters?["Path"] as string);
            var profiles = new ProfileStore(store.Resolve(store.Load().ProfileStorePath)).FindProfiles(typed + "*");
            return profiles.Select(p => CompletionText.Value(p.Name, $"{p.Name}: {p.Mailbox} ({p.CredentialKind})")).ToList();
        }
        catch (Exception exception) when (exception is OAuthSmtpException or ArgumentException)
        {
            return Array.Empty<CompletionResult>();
        }
    }
}
