using System;
using System.IO;
using System.Runtime.InteropServices;

namespace OAuthSmtp.Engine.Profiles;

/// <summary>
/// Where the per-user profile store lives: $env:OAUTHSMTP_HOME when set (service accounts, tests), else
/// %LOCALAPPDATA%\OAuthSmtp on Windows, else $XDG_CONFIG_HOME/OAuthSmtp or ~/.config/OAuthSmtp.
/// </summary>
public static class ProfileStoreLocation
{
    public const string HomeVariable = "OAUTHSMTP_HOME";

    public static string DefaultDirectory()
    {
        var home = Environment.GetEnvironmentVariable(HomeVariable);
        if (!string.IsNullOrWhiteSpace(home))
        {
            return Path.GetFullPath(home);
        }

        if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
        {
            return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "OAuthSmtp");
        }

        var xdg = Environment.GetEnvironmentVariable("XDG_CONFIG_HOME");
        if (!string.IsNullOrWhiteSpace(xdg) && Path.IsPathRooted(xdg))
        {
            return Path.Combine(xdg, "OAuthSmtp");
        }

        var userHome = Environment.GetEnvironmentVariable("HOME");
        if (string.IsNullOrWhiteSpace(userHome))
        {
            userHome = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        }

        return Path.Combine(userHome, ".config", "OAuthSmtp");
    }
}
