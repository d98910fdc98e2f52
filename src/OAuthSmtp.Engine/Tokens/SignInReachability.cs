using System;
using System.Linq;

namespace OAuthSmtp.Engine.Tokens;

/// <summary>
/// Whether a person can take part in a sign-in from a session. A device code or browser sign-in must be refused at
/// once where nobody can see it (a scheduled task, a service, cron or systemd, a job, remoting, -NonInteractive):
/// otherwise it waits the code's whole lifetime (15 minutes) for nobody, once per message.
/// </summary>
public static class SignInReachability
{
    public const string ForceVariable = "OAUTHSMTP_NONINTERACTIVE";

    /// <summary>pwsh's and powershell.exe's own host: it shows output only on its terminal.</summary>
    public const string ConsoleHostName = "ConsoleHost";

    /// <summary>Hosts that have no person behind them: runspaces without a host, jobs and remoting.</summary>
    private static readonly string[] UnattendedHosts = { "Default Host", "ServerRemoteHost" };

    /// <summary>Null when a person can be reached; otherwise why not, in words for the verbose stream and the error.</summary>
    public static string? WhyNobodyCanSignIn(SignInSession session)
    {
        if (session is null)
        {
            throw new ArgumentNullException(nameof(session));
        }

        var forced = session.ForceNonInteractive;
        if (!string.IsNullOrEmpty(forced) && forced != "0" && !forced!.Equals("false", StringComparison.OrdinalIgnoreCase))
        {
            return $"${ForceVariable} is set";
        }

        if (session.StartedNonInteractive)
        {
            return "PowerShell was started with -NonInteractive";
        }

        if (!session.UserInteractive)
        {
            return "the process runs as a service or without a desktop session";
        }

        if (!session.HostHasUserInterface)
        {
            return "the PowerShell host has no user interface";
        }

        if (UnattendedHosts.Contains(session.HostName, StringComparer.OrdinalIgnoreCase))
        {
            return $"the PowerShell host '{session.HostName}' has no user at its console";
        }

        // Other hosts (VS Code, ISE, an application) show output in their own window; the console host only on its terminal.
        if (string.Equals(session.HostName, ConsoleHostName, StringComparison.OrdinalIgnoreCase) && !session.HasTerminal)
        {
            return "PowerShell runs without a terminal (a cron job, a systemd service or another background run), so nobody sees a sign-in code";
        }

        return null;
    }
}
