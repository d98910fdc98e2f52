namespace OAuthSmtp.Engine.Tokens;

/// <summary>
/// What the PowerShell layer knows about the session a sign-in would happen in; <see cref="SignInReachability"/>
/// decides from it whether a person can answer a device code or a browser.
/// </summary>
public sealed class SignInSession
{
    /// <summary>The value of $env:OAUTHSMTP_NONINTERACTIVE (anything but empty, 0 or false forces "nobody").</summary>
    public string? ForceNonInteractive { get; set; }

    /// <summary>PowerShell was started with -NonInteractive (or a prefix of it).</summary>
    public bool StartedNonInteractive { get; set; }

    /// <summary>Environment.UserInteractive: false for Windows services and tasks that run whether the user is logged on or not.</summary>
    public bool UserInteractive { get; set; } = true;

    /// <summary>The PowerShell host has a user interface at all.</summary>
    public bool HostHasUserInterface { get; set; } = true;

    /// <summary>$Host.Name ("ConsoleHost" for pwsh and powershell.exe, "Default Host" without a host, "ServerRemoteHost" for remoting and jobs).</summary>
    public string HostName { get; set; } = string.Empty;

    /// <summary>
    /// The process has a terminal someone could be reading (Linux and macOS: a controlling terminal, /dev/tty opens).
    /// cron, systemd services, at, nohup'ed and container jobs without -t have none.
    /// </summary>
    public bool HasTerminal { get; set; } = true;
}
