using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using OAuthSmtp.Engine.Profiles;

namespace OAuthSmtp.PowerShell.Completion;

/// <summary>
/// Completes profile names on Tab for every -Profile and -Name parameter that takes one:
/// [ArgumentCompleter(typeof(ProfileNameCompleter))]. Reads the store at the moment of completion; a store that
/// cannot be read completes nothing rather than failing the user's typing.
/// </summary>
public sealed class ProfileNameCompleter : Completer
{
    protected override IEnumerable<CompletionResult> Complete(string typed, IDictionary? boundParameters)
    {
        return new ProfileStore().FindProfiles(typed + "*").Select(profile => CompletionText.Value(
            profile.Name,
            $"{profile.Name}: {profile.Mailbox} ({profile.CredentialKind}, tenant {profile.TenantId})"));
    }
}
