using System;
using System.IO;
using System.Linq;
using System.Management.Automation.Host;
using System.Runtime.InteropServices;
using OAuthSmtp.Engine.Tokens;

namespace OAuthSmtp.PowerShell.Tokens;

/// <summary>
/// Gathers the facts about this session that <see cref="SignInReachability"/> decides on (whether a person can
/// answer a device code or a browser sign-in); $env:OAUTHSMTP_NONINTERACTIVE=1 forces "nobody" for hosts we cannot recognise.
/// </summary>
internal static class SessionInteractivity
{
    /// <summary>Null when a person can be reached; otherwise why not (for the verbose stream).</summary>
    public static string? WhyNotInteractive(PSHost? host) => SignInReachability.WhyNobodyCanSignIn(new SignInSession
    {
        ForceNonInteractive = Environment.GetEnvironmentVariable(SignInReachability.ForceVariable),
        StartedNonInteractive = Environment.GetCommandLineArgs().Skip(1).Any(IsNonInteractiveSwitch),
        UserInteractive = Environment.UserInteractive,
        HostHasUserInterface = host?.UI is not null,
        HostName = host?.Name ?? string.Empty,
        HasTerminal = HasTerminal(),
    });

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

    /// <summary>
    /// Linux and macOS: whether the process has a controlling terminal (/dev/tty opens; cron, systemd, at and
    /// detached jobs have none, whatever their stdin). Windows: services and non-interactive tasks are already told
    /// apart by Environment.UserInteractive.
    /// </summary>
    private static bool HasTerminal()
    {
        if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
        {
            return true;
        }

        try
        {
            using var terminal = new FileStream("/dev/tty", FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            return false;
        }
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
