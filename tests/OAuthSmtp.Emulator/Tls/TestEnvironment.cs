using System;
using System.IO;

namespace OAuthSmtp.Emulator;

/// <summary>
/// Keeps the emulator's CA away from the real user: the CurrentUser certificate stores of .NET on Linux and macOS
/// live under $HOME, so pointing HOME at a test-only folder before any X509Store is opened makes the trust
/// visible to this process (and its children) only.
/// </summary>
public static class TestEnvironment
{
    private static readonly object Gate = new();
    private static string? _isolatedHome;

    /// <summary>The isolated home in use, or null before <see cref="UseIsolatedHome"/>.</summary>
    public static string? IsolatedHome
    {
        get
        {
            lock (Gate)
            {
                return _isolatedHome;
            }
        }
    }

    /// <summary>
    /// Points HOME at /tmp/oauthsmtp-test-home-&lt;user&gt; (created on first use). Call once per process before any
    /// X509Store use; later calls return the same folder. Windows keeps its stores in the registry, where HOME has no
    /// effect, so there the folder is created but the CA is never trusted (<see cref="EmulatorCertificateAuthority"/>).
    /// </summary>
    public static string UseIsolatedHome()
    {
        lock (Gate)
        {
            if (_isolatedHome is not null)
            {
                return _isolatedHome;
            }

            var user = Environment.UserName;
            foreach (var invalid in Path.GetInvalidFileNameChars())
            {
                user = user.Replace(invalid, '_');
            }

            var home = Path.Combine(Path.GetTempPath(), "oauthsmtp-test-home-" + user);
            Directory.CreateDirectory(home);
            if (!OperatingSystem.IsWindows())
            {
                // Private to this user: other local users must not be able to plant a root here.
                File.SetUnixFileMode(home, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }

            Environment.SetEnvironmentVariable("HOME", home);
            _isolatedHome = home;
            return home;
        }
    }
}
