using System;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using OAuthSmtp.Engine.Errors;
using OAuthSmtp.Engine.Profiles;
using OAuthSmtp.Engine.Tests.Retries;
using Xunit;

namespace OAuthSmtp.Engine.Tests.Profiles;

/// <summary>Crashes mid-save, concurrent saves, and damaged or foreign files: no update is lost and no file is clobbered.</summary>
public sealed class ProfileStoreDurabilityTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "oauthsmtp-store-tests", Guid.NewGuid().ToString("N"));

    private string ProfilesPath => Path.Combine(_directory, ProfileStore.FileName);

    private ProfileStore NewStore() => new(_directory);

    [Fact]
    public void A_crash_before_the_rename_leaves_the_old_file_intact()
    {
        var store = NewStore();
        store.SaveProfile(ProfileStoreTests.Profile("Scanner"), null, overwrite: false);
        var before = File.ReadAllBytes(ProfilesPath);

        store.BeforeCommit = temporary =>
        {
            // The new content is complete on disk next to the old file; the process "dies" now.
            Assert.True(new FileInfo(temporary).Length > before.Length / 2);
            throw new IOException("Simulated crash");
        };
        var error = Assert.Throws<OAuthSmtpException>(() => store.SaveProfile(ProfileStoreTests.Profile("Erp"), null, overwrite: false));
        Assert.Equal(ErrorIds.ProfileStoreWriteFailed, error.ErrorId);

        Assert.Equal(before, File.ReadAllBytes(ProfilesPath));
        Assert.Equal(new[] { "Scanner" }, NewStore().FindProfiles().Select(p => p.Name));
        Assert.Empty(Directory.EnumerateFiles(_directory, "*.tmp"));
    }

    [Fact]
    public void A_leftover_temporary_file_from_a_real_crash_does_not_disturb_the_store()
    {
        var store = NewStore();
        store.SaveProfile(ProfileStoreTests.Profile("Scanner"), null, overwrite: false);
        File.WriteAllText(ProfilesPath + ".0123.tmp", "{\"schemaVersion\":1,\"profi");

        store.SaveProfile(ProfileStoreTests.Profile("Erp"), null, overwrite: false);
        Assert.Equal(new[] { "Erp", "Scanner" }, store.FindProfiles().Select(p => p.Name));
    }

    [Fact]
    public void Plaintext_secret_leftovers_of_a_crashed_save_are_removed_by_the_next_save()
    {
        var secrets = Path.Combine(_directory, "secrets");
        Directory.CreateDirectory(secrets);
        var leftover = Path.Combine(secrets, "0a1b2c.0123456789abcdef.tmp");
        File.WriteAllText(leftover, "Xq8~plaintext-secret-of-a-crashed-save");
        File.WriteAllText(ProfilesPath + ".0123.tmp", "{\"schemaVersion\":1,\"profi");

        NewStore().SaveProfile(ProfileStoreTests.Profile("Scanner"), null, overwrite: false);

        Assert.False(File.Exists(leftover), "the plaintext leftover is still there");
        Assert.Empty(Directory.EnumerateFiles(_directory, "*.tmp"));
    }

    [Fact]
    public void The_lock_file_never_follows_a_symbolic_link()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // Creating a symbolic link needs a privilege Windows test accounts rarely have.
        }

        Directory.CreateDirectory(_directory);
        var target = Path.Combine(_directory, "created-by-the-lock");
        File.CreateSymbolicLink(Path.Combine(_directory, "profiles.lock"), target);

        NewStore().SaveProfile(ProfileStoreTests.Profile("Scanner"), null, overwrite: false);

        Assert.False(File.Exists(target), "the lock followed the dangling link and created its target");
        Assert.Null(new FileInfo(Path.Combine(_directory, "profiles.lock")).LinkTarget);
    }

    [Fact]
    public void A_store_another_user_could_write_is_refused_and_a_private_one_is_read()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        NewStore().SaveProfile(ProfileStoreTests.Profile("Scanner"), null, overwrite: false);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(ProfilesPath));

        File.SetUnixFileMode(ProfilesPath, File.GetUnixFileMode(ProfilesPath) | UnixFileMode.GroupWrite);
        var error = Assert.Throws<OAuthSmtpException>(() => NewStore().FindProfiles());
        Assert.Equal(ErrorIds.ProfileStoreInsecure, error.ErrorId);
        Assert.Contains("chmod 600", error.Fix, StringComparison.Ordinal);

        File.SetUnixFileMode(ProfilesPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        Assert.Single(NewStore().FindProfiles());
    }

    [Fact]
    public void A_store_larger_than_the_cap_is_refused_at_once_and_left_untouched()
    {
        Directory.CreateDirectory(_directory);
        using (var file = new FileStream(ProfilesPath, FileMode.CreateNew))
        {
            file.SetLength(ProfileStore.MaxStoreBytes + 1);
        }

        var error = Assert.Throws<OAuthSmtpException>(() => NewStore().FindProfiles());
        Assert.Equal(ErrorIds.ProfileStoreTooLarge, error.ErrorId);
        Assert.Contains("Move-Item", error.Fix, StringComparison.Ordinal);
        Assert.Equal(ProfileStore.MaxStoreBytes + 1, new FileInfo(ProfilesPath).Length);
    }

    [Fact]
    public async Task Concurrent_saves_lose_no_update()
    {
        const int writers = 6;
        const int profilesEach = 5;
        using var start = new Barrier(writers);
        var tasks = Enumerable.Range(0, writers).Select(w => Task.Run(() =>
        {
            // Each writer has its own store object, as each process would.
            var store = NewStore();
            start.SignalAndWait();
            for (var i = 0; i < profilesEach; i++)
            {
                store.SaveProfile(ProfileStoreTests.Profile($"W{w}P{i}"), null, overwrite: false);
            }
        })).ToArray();

        await Task.WhenAll(tasks).WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(writers * profilesEach, NewStore().FindProfiles().Count);
    }

    [Fact]
    public void A_lock_held_by_another_process_makes_a_save_wait_and_then_give_up_clearly()
    {
        var store = NewStore();
        store.SaveProfile(ProfileStoreTests.Profile("Scanner"), null, overwrite: false);
        var clock = new FakeRetryClock();
        store.LockClock = clock.Clock;

        // Another process's lock: the same exclusive open (flock on Linux and macOS, a share-none open on Windows).
        using (new FileStream(Path.Combine(_directory, "profiles.lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None))
        {
            var error = Assert.Throws<OAuthSmtpException>(() => store.SaveProfile(ProfileStoreTests.Profile("Erp"), null, overwrite: false));
            Assert.Equal(ErrorIds.ProfileStoreBusy, error.ErrorId);

            // It waited the whole LockTimeout (10 s) on the store's clock before giving up.
            Assert.True(clock.Waits.Aggregate(TimeSpan.Zero, (a, b) => a + b) >= store.LockTimeout, "The save did not wait for the lock.");
            Assert.Equal(new[] { "Scanner" }, store.FindProfiles().Select(p => p.Name));
        }

        store.SaveProfile(ProfileStoreTests.Profile("Erp"), null, overwrite: false);
        Assert.Equal(2, store.FindProfiles().Count);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json at all")]
    [InlineData("{\"schemaVersion\":1,\"profiles\":[{\"name\":\"Scanner\",")]
    [InlineData("{\"profiles\":[]}")]
    [InlineData("{\"schemaVersion\":1}")]
    [InlineData("[1,2,3]")]
    [InlineData("{\"schemaVersion\":1,\"profiles\":[{\"name\":\"A\",\"credentialKind\":\"Telepathy\"}]}")]
    [InlineData("{\"schemaVersion\":1,\"profiles\":[{\"name\":\"A\"},{\"name\":\"a\"}]}")]
    [InlineData("{\"schemaVersion\":1,\"profiles\":[{\"tenantId\":\"contoso.com\"}]}")]
    public void A_damaged_file_is_reported_with_its_path_and_never_overwritten(string content)
    {
        Directory.CreateDirectory(_directory);
        File.WriteAllText(ProfilesPath, content);
        var store = NewStore();

        foreach (var action in new Action[]
        {
            () => store.FindProfiles(),
            () => store.GetProfile("A"),
            () => store.SaveProfile(ProfileStoreTests.Profile("New"), null, overwrite: true),
            () => store.RemoveProfile("A"),
        })
        {
            var error = Assert.Throws<OAuthSmtpException>(action);
            Assert.Equal(ErrorIds.ProfileStoreCorrupt, error.ErrorId);
            Assert.Equal(ErrorKind.InvalidData, error.Kind);
            Assert.Contains(ProfilesPath, error.Message);
            Assert.Contains("Move-Item", error.Fix);
        }

        Assert.Equal(content, File.ReadAllText(ProfilesPath));
    }

    [Fact]
    public void A_file_from_a_newer_version_is_refused_and_kept()
    {
        Directory.CreateDirectory(_directory);
        const string newer = "{\"schemaVersion\":2,\"profiles\":[],\"somethingNew\":true}";
        File.WriteAllText(ProfilesPath, newer);

        var error = Assert.Throws<OAuthSmtpException>(() => NewStore().SaveProfile(ProfileStoreTests.Profile("New"), null, overwrite: false));
        Assert.Equal(ErrorIds.ProfileStoreVersionUnsupported, error.ErrorId);
        Assert.Equal(newer, File.ReadAllText(ProfilesPath));
    }

    [Fact]
    public void An_unreadable_file_is_reported_as_such()
    {
        // A folder where the file should be: unreadable on every platform, even for root.
        Directory.CreateDirectory(ProfilesPath);
        var error = Assert.Throws<OAuthSmtpException>(() => NewStore().FindProfiles());
        Assert.Equal(ErrorIds.ProfileStoreUnreadable, error.ErrorId);
        Assert.Equal(ErrorKind.ReadError, error.Kind);
        Assert.Contains(ProfilesPath, error.Message);
    }

    [Fact]
    public void A_missing_folder_is_an_empty_store_and_is_created_on_first_save()
    {
        var store = NewStore();
        Assert.Empty(store.FindProfiles());
        Assert.False(Directory.Exists(_directory));
        store.SaveProfile(ProfileStoreTests.Profile("Scanner"), null, overwrite: false);
        Assert.True(File.Exists(ProfilesPath));
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
}
