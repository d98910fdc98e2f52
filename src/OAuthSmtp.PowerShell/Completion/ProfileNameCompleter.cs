using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using OAuthSmtp.Engine.Errors;
using OAuthSmtp.Engine.Profiles;

namespace OAuthSmtp.PowerShell.Completion;

/// <summary>
/// Completes profile names on Tab for every -Profile and -Name parameter that takes one:
/// [ArgumentCompleter(typeof(ProfileNameCompleter))]. Reads the store at the moment of completion; a store that
/// cannot be read completes nothing rather than failing the user's typing.
/// </summary>
public sealed class ProfileNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(
        string commandName,
        string parameterName,
        string wordToComplete,
        CommandAst commandAst,
        IDictionary fakeBoundParameters)
    {
        var typed = CompletionText.Typed(wordToComplete);
        IReadOnlyList<SmtpOAuthProfile> profiles;
        try
        {
            profiles = new ProfileStore().FindProfiles(typed + "*");
        }
        catch (OAuthSmtpException)
        {
            return Array.Empty<CompletionResult>();
        }
        catch (ArgumentException)
        {
            // A half-typed wildcard such as 'ab[': nothing to complete.
            return Array.Empty<CompletionResult>();
        }

        return profiles.Select(profile => CompletionText.Value(
            profile.Name,
            $"{profile.Name}: {profile.Mailbox} ({profile.CredentialKind}, tenant {profile.TenantId})")).ToList();
    }
}
