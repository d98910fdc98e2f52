using System;
using System.IO;
using System.Runtime.InteropServices;

namespace OAuthSmtp.Engine.Relay;

/// <summary>
/// The relay home folder: relay.json, the spool, logs, status and the relay's own profile store. One per machine by
/// default, because the relay is a service: /etc/oauthsmtp-relay on Linux, %ProgramData%\OAuthSmtp\Relay on Windows,
/// /Library/Application Support/OAuthSmtp/Relay on macOS. $env:OAUTHSMTP_RELAY_HOME or -Path points elsewhere
/// (a relay run as a user, containers, tests).
/// </summary>
public static class RelayHome
{
    public const string HomeVariable = "OAUTHSMTP_RELAY_HOME";

    public const string LinuxDefault = "/etc/oauthsmtp-relay";

    public static string DefaultDirectory()
    {
        var configured = Environment.GetEnvironmentVariable(HomeVariable);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return Path.GetFullPath(configured);
        }

        if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
        {
            return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.CommonApplicationData), "OAuthSmtp", "Relay");
        }

        if (RuntimeInformation.IsOSPlatform(OSPlatform.OSX))
        {
            return "/Library/Application Support/OAuthSmtp/Relay";
        }

        return LinuxDefault;
    }

    /// <summary><paramref name="path"/> made absolute, or the default folder when it is null or empty.</summary>
    public static string Resolve(string? path) =>
        string.IsNullOrWhiteSpace(path) ? DefaultDirectory() : Path.GetFullPath(path);
}
