using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using OAuthSmtp.Engine.Errors;
using OAuthSmtp.Engine.Profiles;
using Xunit;

namespace OAuthSmtp.Engine.Tests.Profiles;

/// <summary>
/// Issue 13 item 6 with a real second user: a process running as "nobody" (setpriv, as root may start one) plays the
/// local attacker of the issue, who can write the store's folder but not read secrets/. What that user can really do
/// to the files is exactly what the store refuses: a file the attacker wrote (owned by them), and a file the attacker
/// can write (mode 0666); a private file of ours, which the attacker cannot write, is read. Needs root to start the
/// other user's process (the CI container runs as root); elsewhere the tests return at once.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class StoreOwnershipTests : IDisposable
{
    private const int Nobody = 65534;

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "oauthsmtp-owner-tests", Guid.NewGuid().ToString("N"));

    private string ProfilesPath => Path.Combine(_directory, ProfileStore.FileName);

    private static bool CanActAsAnotherUser =>
        !OperatingSystem.IsWindows() && Environment.UserName == "root" && File.Exists("/usr/bin/setpriv");

    [Fact]
    public void A_profile_file_another_user_replaced_is_refused_and_read_again_once_it_is_ours()
    {
        if (!CanActAsAnotherUser)
        {
            return;
        }

        var store = new ProfileStore(_directory);
        store.SaveProfile(ProfileStoreTests.Profile("Scanner"), null, overwrite: false);
        OpenFolderToEveryone();

        // The attack of the issue: replace profiles.json through the writable folder with a file of the attacker's
        // (private, 0600, so only its owner gives it away; the content would point the authority host elsewhere).
        // They cannot read ours (0600), so they write a forged one of the same shape.
        var forged = Path.Combine(_directory, "forged.json");
        File.WriteAllText(forged, File.ReadAllText(ProfilesPath));
        File.SetUnixFileMode(forged, (UnixFileMode)Convert.ToInt32("644", 8));
        var attack = AsNobody($"cp '{forged}' '{ProfilesPath}.new' && chmod 600 '{ProfilesPath}.new' && mv -f '{ProfilesPath}.new' '{ProfilesPath}'");
        Assert.True(attack.ExitCode == 0, attack.Output);
        Assert.Equal((uint)Nobody, OwnerOf(ProfilesPath));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(ProfilesPath));

        var error = Assert.Throws<OAuthSmtpException>(() => new ProfileStore(_directory).FindProfiles());
        Assert.Equal(ErrorIds.ProfileStoreInsecure, error.ErrorId);
        Assert.Equal(ErrorKind.SecurityError, error.Kind);
        Assert.Contains("owned by another user", error.Message, StringComparison.Ordinal);
        Assert.Contains("chown", error.Fix, StringComparison.Ordinal);

        // Made ours again (the fix the error names), it is read.
        File.SetUnixFileMode(ProfilesPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        Chown(ProfilesPath, 0);
        Assert.Single(new ProfileStore(_directory).FindProfiles());
    }

    [Fact]
    public void Another_user_can_write_exactly_the_profile_files_the_store_refuses()
    {
        if (!CanActAsAnotherUser)
        {
            return;
        }

        new ProfileStore(_directory).SaveProfile(ProfileStoreTests.Profile("Scanner"), null, overwrite: false);
        OpenFolderToEveryone(folderWritable: false);
        var append = $"printf ' ' >> '{ProfilesPath}'";

        // 0600 and ours: the other user cannot write it, and the store reads it.
        Assert.NotEqual(0, AsNobody(append).ExitCode);
        Assert.Single(new ProfileStore(_directory).FindProfiles());

        // 0666: the other user can write it, and the store refuses it.
        File.SetUnixFileMode(ProfilesPath, File.GetUnixFileMode(ProfilesPath) | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        var written = AsNobody(append);
        Assert.True(written.ExitCode == 0, written.Output);
        var error = Assert.Throws<OAuthSmtpException>(() => new ProfileStore(_directory).FindProfiles());
        Assert.Equal(ErrorIds.ProfileStoreInsecure, error.ErrorId);
        Assert.Contains("writable by group or others", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_secret_file_owned_by_another_user_is_refused_before_it_is_read()
    {
        if (!CanActAsAnotherUser)
        {
            return;
        }

        var store = new ProfileStore(_directory) { DpapiOverride = false };
        var saved = store.SaveProfile(ProfileStoreTests.Profile("App", CredentialKind.ClientSecret), ProfileStoreTests.SecretOf("Xq8~owner-test-secret"), overwrite: false);
        var secretFile = Directory.EnumerateFiles(Path.Combine(_directory, "secrets")).Single();
        Chown(secretFile, Nobody);

        var error = Assert.Throws<OAuthSmtpException>(() => store.ReadSecret(saved));
        Assert.Equal(ErrorIds.ProfileStoreInsecure, error.ErrorId);
        Assert.Contains(secretFile, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("owner-test-secret", error.Message + error.Fix, StringComparison.Ordinal);

        Chown(secretFile, 0);
        Assert.NotNull(store.ReadSecret(saved));
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }

    /// <summary>The folder (and its parent) reachable by the other user; writable by them only when the scenario says so.</summary>
    private void OpenFolderToEveryone(bool folderWritable = true)
    {
        var parent = Path.GetDirectoryName(_directory)!;
        File.SetUnixFileMode(parent, (UnixFileMode)Convert.ToInt32("755", 8));
        File.SetUnixFileMode(_directory, (UnixFileMode)Convert.ToInt32(folderWritable ? "777" : "755", 8));
    }

    private static uint OwnerOf(string path) => uint.Parse(Run("stat", "-c", "%u", path).Output.Trim(), System.Globalization.CultureInfo.InvariantCulture);

    private static void Chown(string path, int uid)
    {
        var result = Run("chown", uid.ToString(System.Globalization.CultureInfo.InvariantCulture), path);
        Assert.True(result.ExitCode == 0, result.Output);
    }

    private static (int ExitCode, string Output) AsNobody(string script) =>
        Run("/usr/bin/setpriv", $"--reuid={Nobody}", $"--regid={Nobody}", "--clear-groups", "--", "/bin/sh", "-c", script);

    private static (int ExitCode, string Output) Run(string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output);
    }
}
