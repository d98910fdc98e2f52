using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using OAuthSmtp.Engine.Errors;

namespace OAuthSmtp.PowerShell.Completion;

/// <summary>
/// Base of the module's completers: each gets the word typed so far without its quote, and a store or configuration
/// that cannot be read (or a half-typed wildcard such as 'ab[') completes nothing rather than failing the user's typing.
/// </summary>
public abstract class Completer : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(
        string commandName,
        string parameterName,
        string wordToComplete,
        CommandAst commandAst,
        IDictionary fakeBoundParameters)
    {
        try
        {
            return Complete(CompletionText.Typed(wordToComplete), fakeBoundParameters).ToList();
        }
        catch (Exception exception) when (exception is OAuthSmtpException or ArgumentException)
        {
            return Array.Empty<CompletionResult>();
        }
    }

    /// <summary>The completions for <paramref name="typed"/>, given the parameters already on the command line.</summary>
    protected abstract IEnumerable<CompletionResult> Complete(string typed, IDictionary? boundParameters);
}
