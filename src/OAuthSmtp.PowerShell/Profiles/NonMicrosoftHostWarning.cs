using System;
using System.Collections.Concurrent;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using OAuthSmtp.Engine.Profiles;
using OAuthSmtp.Engine.Trust;

namespace OAuthSmtp.PowerShell.Profiles;

/// <summary>
/// A profile saved with -AllowNonMicrosoftHost sends its token or secret outside Microsoft's cloud: say so once per
/// session (runspace) and profile, when it is first used, so a switch someone slipped into the store does not go unseen.
/// </summary>
internal static class NonMicrosoftHostWarning
{
    private static readonly ConcurrentDictionary<string, bool> Shown = new(StringComparer.OrdinalIgnoreCase);

    public static void WarnOnce(PSCmdlet cmdlet, SmtpOAuthProfile profile)
    {
        if (!profile.AllowNonMicrosoftHost)
        {
            return;
        }

        var text = HostTrustPolicy.DescribeNonMicrosoftHosts(profile);
        if (text is null)
        {
            return;
        }

        var session = Runspace.DefaultRunspace?.InstanceId ?? Guid.Empty;
        if (Shown.TryAdd($"{session}|{text}", true))
        {
            cmdlet.WriteWarning(text);
        }
    }
}
