using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using OAuthSmtp.Engine.Profiles;

namespace OAuthSmtp.PowerShell.Completion;

/// <summary>
/// Completes mailbox addresses on Tab for parameters that take a sender or mailbox (-From, -Mailbox):
/// [ArgumentCompleter(typeof(MailboxAddressCompleter))]. With -Profile already on the command line it offers that
/// profile's mailbox; otherwise the mailboxes of every profile. A store that cannot be read completes nothing.
/// </summary>
public sealed class MailboxAddressCompleter : Completer
{
    protected override IEnumerable<CompletionResult> Complete(string typed, IDictionary? boundParameters)
    {
        IReadOnlyList<SmtpOAuthProfile> profiles;
        var store = new ProfileStore();
        var profileName = boundParameters?["Profile"] as string;
        if (string.IsNullOrEmpty(profileName) || ProfileNamePattern.ContainsWildcard(profileName!))
        {
            profiles = store.FindProfiles("*");
        }
        else
        {
            var profile = store.TryGetProfile(profileName!);
            profiles = profile is null ? Array.Empty<SmtpOAuthProfile>() : new[] { profile };
        }

        return profiles
            .Where(p => !string.IsNullOrEmpty(p.Mailbox) && p.Mailbox.StartsWith(typed, StringComparison.OrdinalIgnoreCase))
            .GroupBy(p => p.Mailbox, StringComparer.OrdinalIgnoreCase)
            .OrderBy(g => g.Key, StringComparer.OrdinalIgnoreCase)
            .Select(g => CompletionText.Value(g.Key, $"{g.Key}: mailbox of profile {string.Join(", ", g.Select(p => p.Name))}"));
    }
}
