using System;
using System.Linq;
using System.Management.Automation.Host;
using System.Runtime.InteropServices;

namespace OAuthSmtp.PowerShell.Tokens;

/// <summary>
/// Whether a person can take part in a sign-in from this session. A flow that needs one (device code,
/// browser) must fail at once where nobody can see it: a scheduled task, a service, a job, remoting, or
/// pwsh -NonInteractive. $env:OAUTHSMTP_NONINTERACTIVE=1 forces the answer for hosts we cannot recognise.
/// </summary>
internal static class SessionInteractivity
{
    public const string ForceVariable = "OAUTHSMTP_NONINTERACTIVE";

    /// <summary>Hosts that have no person behind them: runspaces without a host, jobs and remoting.</summary>
    private static readonly string[] UnattendedHosts = { "Default Host", "ServerRemoteHost" };

    /// <summary>Null when a person can be reached; otherwise why not (for the verbose stream).</summary>
    public static string? WhyNotInteractive(PSHost? host)
    {
        var forced = Environment.GetEnvironmentVariable(ForceVariable);
        if (!string.IsNullOrEmpty(forced) && forced != "0" && !forced.Equals("false", StringComparison.OrdinalIgnoreCase))
        {
            return $"${ForceVariable} is set";
        }

        if (Environment.GetCommandLineArgs().Skip(1).Any(IsNonInteractiveSwitch))
        {
            return "PowerShell was started with -NonInteractive";
        }

        if (!Environment.UserInteractive)
        {
            return "the process runs as a service or without a desktop session";
        }

        if (host is null || host.UI is null)
        {
            return "the PowerShell host has no user interface";
        }

        if (UnattendedHosts.Contains(host.Name, StringComparer.OrdinalIgnoreCase))
        {
            return $"the PowerShell host '{host.Name}' has no user at its console";
        }

        return null;
    }

    /// <summary>Whether a web browser can be opened for the interactive sign-in.</summary>
    public static bool BrowserAvailable()
    {
        if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows) || RuntimeInformation.IsOSPlatform(OSPlatform.OSX))
        {
            return Environment.UserInteractive;
        }

        return !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("DISPLAY"))
               || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("WAYLAND_DISPLAY"));
    }

    // pwsh and powershell.exe accept any unambiguous prefix of -NonInteractive down to -noni.
    private static bool IsNonInteractiveSwitch(string argument)
    {
        var text = argument.TrimStart('-', '/');
        if (argument.Length == text.Length || text.Length < 4)
        {
            return false;
        }

        return "noninteractive".StartsWith(text, StringComparison.OrdinalIgnoreCase);
    }
}
