using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;

namespace OAuthSmtp.Emulator;

/// <summary>
/// Keeps the emulator's CA away from the real user: the CurrentUser certificate stores of .NET on Linux and macOS
/// live under $HOME, so pointing HOME at a test-only folder before any X509Store is opened makes the trust
/// visible to this process (and its children) only. Each run gets a folder of its own, removed when the process that
/// made it exits: runs of several engineers at once never share a store, and stale trusted roots never pile up.
/// </summary>
public static class TestEnvironment
{
    /// <summary>
    /// Names the isolated home a test process made, so the processes it starts (sandbox, probes, pwsh) inherit the
    /// folder and the CA trust in it instead of making their own.
    /// </summary>
    public const string InheritedHomeVariable = "OAUTHSMTP_TEST_HOME";

    /// <summary>Every per-run folder is named so, followed by the owning process id and a random part.</summary>
    public const string FolderPrefix = "oauthsmtp-test-home-";

    /// <summary>Carries <see cref="OriginalHome"/> to child processes.</summary>
    private const string OriginalHomeVariable = "OAUTHSMTP_TEST_ORIGINAL_HOME";

    private static readonly object Gate = new();
    private static string? _isolatedHome;
    private static string? _originalHome;

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
    /// HOME as it was before <see cref="UseIsolatedHome"/> (the real user's, or the one the parent test process
    /// inherited from it): tools that look for their own files under HOME (dotnet tool restore) need it.
    /// </summary>
    public static string? OriginalHome
    {
        get
        {
            lock (Gate)
            {
                return _originalHome ?? Environment.GetEnvironmentVariable("HOME");
            }
        }
    }

    /// <summary>True when this process made the folder (and removes it at exit); false when it inherited it.</summary>
    public static bool OwnsIsolatedHome { get; private set; }

    /// <summary>
    /// Points HOME at a folder of this run (created on first use, private to the user, removed when this process
    /// exits), or at the parent's when a test process started this one (<see cref="InheritedHomeVariable"/>). Call once
    /// per process before any X509Store use; later calls return the same folder. Windows keeps its stores in the
    /// registry, where HOME has no effect, so there the folder is created but the CA is never trusted
    /// (<see cref="EmulatorCertificateAuthority"/>).
    /// </summary>
    public static string UseIsolatedHome()
    {
        lock (Gate)
        {
            if (_isolatedHome is not null)
            {
                return _isolatedHome;
            }

            _originalHome = Environment.GetEnvironmentVariable("HOME");
            var inherited = Environment.GetEnvironmentVariable(InheritedHomeVariable);
            string home;
            if (!string.IsNullOrEmpty(inherited) && Directory.Exists(inherited) && IsPerRunFolder(inherited))
            {
                home = inherited;
                // The parent moved HOME already; what it saved as the real home travels on for tools that need it.
                _originalHome = Environment.GetEnvironmentVariable(OriginalHomeVariable) ?? _originalHome;
            }
            else
            {
                RemoveFoldersOfEndedRuns();
                // CreateTempSubdirectory makes the folder with mode 0700 on Unix: other local users cannot plant a root.
                home = Directory.CreateTempSubdirectory(FolderPrefix + Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "-").FullName;
                OwnsIsolatedHome = true;
                Environment.SetEnvironmentVariable(InheritedHomeVariable, home);
                Environment.SetEnvironmentVariable(OriginalHomeVariable, _originalHome);
                AppDomain.CurrentDomain.ProcessExit += (_, _) => TryDelete(home);
            }

            Environment.SetEnvironmentVariable("HOME", home);
            _isolatedHome = home;
            return home;
        }
    }

    private static bool IsPerRunFolder(string path) =>
        Path.GetFileName(Path.TrimEndingDirectorySeparator(path)).StartsWith(FolderPrefix, StringComparison.Ordinal)
        && Path.GetFullPath(path).StartsWith(Path.GetFullPath(Path.GetTempPath()), StringComparison.Ordinal);

    /// <summary>
    /// A run that was killed could not remove its folder: remove the folders whose owning process is gone.
    /// Folders of other users (no permission) and of live runs stay.
    /// </summary>
    private static void RemoveFoldersOfEndedRuns()
    {
        string[] candidates;
        try
        {
            candidates = Directory.GetDirectories(Path.GetTempPath(), FolderPrefix + "*-*");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return;
        }

        foreach (var folder in candidates)
        {
            var rest = Path.GetFileName(folder)[FolderPrefix.Length..];
            var dash = rest.IndexOf('-', StringComparison.Ordinal);
            if (dash <= 0 || !int.TryParse(rest[..dash], NumberStyles.None, CultureInfo.InvariantCulture, out var owner) || IsRunning(owner))
            {
                continue;
            }

            TryDelete(folder);
        }
    }

    private static bool IsRunning(int processId)
    {
        try
        {
            using var process = Process.GetProcessById(processId);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static void TryDelete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Best effort: a later run removes it once this process is gone.
        }
    }
}
