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
/// Completes mailbox addresses on Tab for parameters that take a sender or mailbox (-From, -Mailbox):
/// [ArgumentCompleter(typeof(MailboxAddressCompleter))]. With -Profile already on the command line it offers that
/// profile's mailbox; otherwise the mailboxes of every profile. A store that cannot be read completes nothing.
/// </summary>
public sealed class MailboxAddressCompleter : IArgumentCompleter
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
            var store = new ProfileStore();
            var profileName = fakeBoundParameters?["Profile"] as string;
            if (string.IsNullOrEmpty(profileName) || ProfileNamePattern.ContainsWildcard(profileName!))
            {
                profiles = store.FindProfiles("*");
            }
            else
            {
                var profile = store.TryGetProfile(profileName!);
                profiles = profile is null ? Array.Empty<SmtpOAuthProfile>() : new[] { profile };
            }
        }
        catch (OAuthSmtpException)
        {
            return Array.Empty<CompletionResult>();
        }
        catch (ArgumentException)
        {
            return Array.Empty<CompletionResult>();
        }

        return profiles
            .Where(p => !string.IsNullOrEmpty(p.Mailbox) && p.Mailbox.StartsWith(typed, StringComparison.OrdinalIgnoreCase))
            .GroupBy(p => p.Mailbox, StringComparer.OrdinalIgnoreCase)
            .OrderBy(g => g.Key, StringComparer.OrdinalIgnoreCase)
            .Select(g => CompletionText.Value(g.Key, $"{g.Key}: mailbox of profile {string.Join(", ", g.Select(p => p.Name))}"))
            .ToList();
    }
}
