using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using OAuthSmtp.Engine.Errors;
using OAuthSmtp.Engine.Relay;

namespace OAuthSmtp.PowerShell.Completion;

/// <summary>
/// Completes device names of the relay in -Path (or the default relay home) on Tab. A configuration that cannot be
/// read completes nothing rather than failing the user's typing.
/// </summary>
public sealed class RelayClientNameCompleter : IArgumentCompleter
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
            return new RelayClientRegistry(store).Find(typed + "*")
                .Select(c => CompletionText.Value(c.Name!, $"{c.Name}: sends as {c.Mailbox} ({c.Profile})"))
                .ToList();
        }
        catch (Exception exception) when (exception is OAuthSmtpException or ArgumentException)
        {
            return Array.Empty<CompletionResult>();
        }
    }
}
