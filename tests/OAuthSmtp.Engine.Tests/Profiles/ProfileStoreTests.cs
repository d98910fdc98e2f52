using System;
using System.IO;
using System.Linq;
using System.Net;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using System.Security;
using OAuthSmtp.Engine.Errors;
using OAuthSmtp.Engine.Profiles;
using OAuthSmtp.Engine.Secrets;
using Xunit;

namespace OAuthSmtp.Engine.Tests.Profiles;

public sealed class ProfileStoreTests : IDisposable
{
    internal const string Secret = "Xq8~Sup3rSecret.ClientValue-2718";

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "oauthsmtp-store-tests", Guid.NewGuid().ToString("N"));

    [SupportedOSPlatformGuard("windows")]
    private static bool IsWindows => OperatingSystem.IsWindows();

    private ProfileStore NewStore() => new(_directory);

    internal static SmtpOAuthProfile Profile(string name, CredentialKind kind = CredentialKind.DeviceCode) => new()
    {
        Name = name,
        TenantId = "contoso.onmicrosoft.com",
        ClientId = Guid.Parse("3f1c2b9a-0d4e-4a51-9c8e-2b7f6a1d0e53"),
        CredentialKind = kind,
        Mailbox = name.ToLowerInvariant() + "@contoso.com",
    };

    internal static SecretMaterial SecretOf(string value, bool allowUnprotected = true) =>
        new(new NetworkCredential(string.Empty, value).SecurePassword, allowUnprotected);

    private static string Plain(SecureString? value) => new NetworkCredential(string.Empty, value).Password;

    [Fact]
    public void A_saved_profile_reads_back_with_derived_settings_and_timestamps()
    {
        var store = NewStore();
        var saved = store.SaveProfile(Profile("Scanner"), secret: null, overwrite: false);

        var read = store.GetProfile("scanner");
        Assert.Equal("Scanner", read.Name);
        Assert.Equal("smtp.office365.com", read.SmtpServer);
        Assert.Equal("https://outlook.office.com/SMTP.Send offline_access", read.Scope);
        Assert.Equal(SecretProtection.None, read.SecretProtection);
        Assert.Equal(saved.CreatedOn, read.CreatedOn);
        Assert.True(read.ModifiedOn >= read.CreatedOn);
        Assert.Contains("\"schemaVersion\": 1", File.ReadAllText(store.ProfilesPath));
    }

    [Fact]
    public void Find_matches_wildcards_case_insensitively_in_name_order()
    {
        var store = NewStore();
        foreach (var name in new[] { "Scanner2", "Erp", "Scanner" })
        {
            store.SaveProfile(Profile(name), null, overwrite: false);
        }

        Assert.Equal(new[] { "Erp", "Scanner", "Scanner2" }, store.FindProfiles().Select(p => p.Name));
        Assert.Equal(new[] { "Scanner", "Scanner2" }, store.FindProfiles("SC*").Select(p => p.Name));
        Assert.Equal(new[] { "Scanner2" }, store.FindProfiles("*[0-9]").Select(p => p.Name));
        Assert.Empty(store.FindProfiles("nothing*"));
        Assert.Null(store.TryGetProfile("Missing"));
        Assert.Equal(ErrorIds.ProfileNotFound, Assert.Throws<OAuthSmtpException>(() => store.GetProfile("Missing")).ErrorId);
    }

    [Fact]
    public void An_existing_name_is_replaced_only_when_asked_and_updates_need_an_existing_profile()
    {
        var store = NewStore();
        var first = store.SaveProfile(Profile("Scanner"), null, overwrite: false);

        var refused = Assert.Throws<OAuthSmtpException>(() => store.SaveProfile(Profile("SCANNER", CredentialKind.Interactive), null, overwrite: false));
        Assert.Equal(ErrorIds.ProfileAlreadyExists, refused.ErrorId);
        Assert.Equal(ErrorKind.ResourceExists, refused.Kind);

        var replaced = store.SaveProfile(Profile("Scanner", CredentialKind.Interactive), null, overwrite: true);
        Assert.Equal(CredentialKind.Interactive, replaced.CredentialKind);
        Assert.Equal(first.CreatedOn, replaced.CreatedOn);
        Assert.Single(store.FindProfiles());

        Assert.Equal(ErrorIds.ProfileNotFound, Assert.Throws<OAuthSmtpException>(() => store.UpdateProfile(Profile("Other"), null)).ErrorId);
        Assert.False(store.TryGetProfile("Other") is not null);
    }

    [Fact]
    public void Remove_deletes_the_profile_and_its_secret_file()
    {
        var store = NewStore();
        store.DpapiOverride = false;
        store.SaveProfile(Profile("App", CredentialKind.ClientSecret), SecretOf(Secret), overwrite: false);
        store.SaveProfile(Profile("Keep"), null, overwrite: false);

        var removed = store.RemoveProfile("app");
        Assert.Equal("App", removed.Name);
        Assert.Equal(new[] { "Keep" }, store.FindProfiles().Select(p => p.Name));
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(_directory, "secrets")));
        Assert.Equal(ErrorIds.ProfileNotFound, Assert.Throws<OAuthSmtpException>(() => store.RemoveProfile("App")).ErrorId);
    }

    [Fact]
    public void An_unprotected_secret_lives_in_a_user_only_file_and_never_in_the_profile_file()
    {
        var store = NewStore();
        store.DpapiOverride = false;
        var saved = store.SaveProfile(Profile("App", CredentialKind.ClientSecret), SecretOf(Secret), overwrite: false);

        Assert.Equal(SecretProtection.Unprotected, saved.SecretProtection);
        Assert.Equal(Secret, Plain(store.ReadSecret(saved)));
        Assert.DoesNotContain(Secret, File.ReadAllText(store.ProfilesPath));
        var file = Assert.Single(Directory.EnumerateFiles(Path.Combine(_directory, "secrets")));
        Assert.Equal(Secret, File.ReadAllText(file));
        if (!IsWindows)
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(file)!));
        }
    }

    [Fact]
    public void Without_DPAPI_a_secret_needs_consent_and_nothing_is_written_without_it()
    {
        var store = NewStore();
        store.DpapiOverride = false;

        var refused = Assert.Throws<OAuthSmtpException>(() => store.SaveProfile(Profile("App", CredentialKind.ClientSecret), SecretOf(Secret, allowUnprotected: false), overwrite: false));
        Assert.Equal(ErrorIds.UnprotectedSecretNotAllowed, refused.ErrorId);
        Assert.Equal(ErrorKind.SecurityError, refused.Kind);
        Assert.DoesNotContain(Secret, refused.Message + refused.Fix);
        Assert.False(File.Exists(store.ProfilesPath));
        Assert.False(Directory.Exists(Path.Combine(_directory, "secrets")));
    }

    [Fact]
    public void A_new_secret_replaces_the_old_file_and_an_update_without_one_keeps_it()
    {
        var store = NewStore();
        store.DpapiOverride = false;
        var app = store.SaveProfile(Profile("App", CredentialKind.ClientSecret), SecretOf(Secret), overwrite: false);

        app.Port = 2525;
        app.Overrides |= ProfileOverrides.Port;
        store.UpdateProfile(app, secret: null);
        Assert.Equal(Secret, Plain(store.ReadSecret(app)));

        store.UpdateProfile(app, SecretOf("rotated"));
        Assert.Equal("rotated", Plain(store.ReadSecret(app)));
        Assert.Single(Directory.EnumerateFiles(Path.Combine(_directory, "secrets")));
        Assert.Equal(2525, store.GetProfile("App").Port);

        app.CredentialKind = CredentialKind.SystemManagedIdentity;
        var changed = store.UpdateProfile(app, null);
        Assert.Equal(SecretProtection.None, changed.SecretProtection);
        Assert.Null(store.ReadSecret(changed));
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(_directory, "secrets")));
    }

    [Fact]
    public void A_client_secret_profile_needs_a_secret_and_a_vault_reference_stores_none()
    {
        var store = NewStore();
        Assert.Equal(ErrorIds.MissingCredential, Assert.Throws<OAuthSmtpException>(() => store.SaveProfile(Profile("App", CredentialKind.ClientSecret), null, overwrite: false)).ErrorId);

        var vaulted = Profile("Vaulted", CredentialKind.ClientSecret);
        vaulted.SecretName = "SmtpApp";
        vaulted.Vault = "CorpVault";
        var saved = store.SaveProfile(vaulted, null, overwrite: false);
        Assert.Equal(SecretProtection.SecretManagement, saved.SecretProtection);
        Assert.Null(store.ReadSecret(saved));
        Assert.False(Directory.Exists(Path.Combine(_directory, "secrets")));

        Assert.Equal(ErrorIds.ConflictingCredentials, Assert.Throws<OAuthSmtpException>(() => store.SaveProfile(vaulted, SecretOf(Secret), overwrite: true)).ErrorId);
    }

    [WindowsFact]
    public void On_Windows_a_secret_is_a_DPAPI_blob_in_the_profile_file()
    {
        var store = NewStore();
        var saved = store.SaveProfile(Profile("App", CredentialKind.ClientSecret), SecretOf(Secret, allowUnprotected: false), overwrite: false);

        Assert.Equal(SecretProtection.Dpapi, saved.SecretProtection);
        Assert.Equal(Secret, Plain(store.ReadSecret(saved)));
        var json = File.ReadAllText(store.ProfilesPath);
        Assert.Contains("\"protectedSecret\"", json);
        Assert.DoesNotContain(Secret, json);
        Assert.False(Directory.Exists(Path.Combine(_directory, "secrets")));
    }

    [Fact]
    public void A_profile_with_a_vanished_secret_file_says_how_to_store_it_again()
    {
        var store = NewStore();
        store.DpapiOverride = false;
        var app = store.SaveProfile(Profile("App", CredentialKind.ClientSecret), SecretOf(Secret), overwrite: false);
        File.Delete(Directory.EnumerateFiles(Path.Combine(_directory, "secrets")).Single());

        var error = Assert.Throws<OAuthSmtpException>(() => store.ReadSecret(app));
        Assert.Equal(ErrorIds.SecretUnreadable, error.ErrorId);
        Assert.Contains("Set-SmtpOAuthProfile -Name 'App'", error.Fix);
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

/// <summary>A fact that runs only on Windows (DPAPI); elsewhere xunit reports it as skipped.</summary>
public sealed class WindowsFactAttribute : FactAttribute
{
    public WindowsFactAttribute()
    {
        if (!RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
        {
            Skip = "DPAPI exists only on Windows.";
        }
    }
}
