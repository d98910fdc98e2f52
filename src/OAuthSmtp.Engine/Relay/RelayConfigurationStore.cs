using System;
using System.IO;
using System.Text.Json;
using OAuthSmtp.Engine.Errors;
using OAuthSmtp.Engine.Profiles;
using OAuthSmtp.Engine.Secrets;

namespace OAuthSmtp.Engine.Relay;

/// <summary>
/// relay.json in the relay home: read and checked by <see cref="RelayConfigurationValidator"/> on every load (a file
/// that breaks a rule is reported, never used and never overwritten), written atomically (temporary file, flush,
/// rename) under a cross-process lock, mode 0600 in a 0700 folder on Linux and macOS, and refused, as the profile store
/// refuses profiles.json, when group or others can write it or another user owns it.
/// </summary>
public sealed class RelayConfigurationStore
{
    public const string FileName = "relay.json";

    public const string LockFileName = "relay.lock";

    /// <summary>A device takes about 1 KB; relay.json is never read beyond this.</summary>
    public const long MaxConfigurationBytes = 4 * 1024 * 1024;

    public RelayConfigurationStore(string? home = null)
    {
        Home = RelayHome.Resolve(home);
        ConfigurationPath = Path.Combine(Home, FileName);
    }

    public string Home { get; }

    public string ConfigurationPath { get; }

    public TimeSpan LockTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Test seam: runs after the new file is complete and before it replaces the old one.</summary>
    internal Action<string>? BeforeCommit { get; set; }

    public bool Exists => File.Exists(ConfigurationPath);

    /// <summary>A configured path made absolute (relative paths are under the home).</summary>
    public string Resolve(string path) => RelayConfiguration.ResolvePath(Home, path);

    /// <summary>The configuration, checked.</summary>
    /// <exception cref="OAuthSmtpException">RelayNotInstalled, the file cannot be read or is damaged, or a stored value breaks a rule (the rule's id).</exception>
    public RelayConfiguration Load() => TryLoad() ?? throw NotInstalled();

    /// <summary>The configuration, checked, or null when there is none.</summary>
    public RelayConfiguration? TryLoad()
    {
        var content = ReadBytes();
        if (content is null)
        {
            return null;
        }

        RelayConfiguration? configuration;
        try
        {
            configuration = JsonSerializer.Deserialize<RelayConfiguration>(content, StoredFileJson.Options);
        }
        catch (Exception exception) when (exception is JsonException or NotSupportedException or ArgumentException or InvalidOperationException or FormatException)
        {
            throw Corrupt($"it is not a valid relay configuration ({FirstLine(exception.Message)})", exception);
        }

        if (configuration?.SchemaVersion is null)
        {
            throw Corrupt("it lacks 'schemaVersion'", null);
        }

        if (configuration.SchemaVersion is > RelayConfiguration.CurrentSchemaVersion or < 1)
        {
            throw new OAuthSmtpException(
                ErrorIds.RelayConfigurationVersionUnsupported,
                ErrorKind.InvalidData,
                $"The relay configuration '{ConfigurationPath}' has schema version {configuration.SchemaVersion}; this version of OAuthSmtp reads version {RelayConfiguration.CurrentSchemaVersion}.",
                "Update the OAuthSmtp module (Update-Module OAuthSmtp) on this machine.",
                ConfigurationPath);
        }

        try
        {
            RelayConfigurationValidator.Validate(configuration);
        }
        catch (OAuthSmtpException invalid)
        {
            throw new OAuthSmtpException(
                invalid.ErrorId,
                invalid.Kind == ErrorKind.InvalidArgument ? ErrorKind.InvalidData : invalid.Kind,
                $"The relay configuration '{ConfigurationPath}' cannot be used: {invalid.Message} It was left untouched.",
                $"Correct the value in the file (or remove the device with Remove-SmtpOAuthRelayClient, or reinstall with Install-SmtpOAuthRelay -Force). {invalid.Fix}",
                invalid.TargetObject ?? ConfigurationPath,
                invalid);
        }

        return configuration;
    }

    /// <summary>
    /// Creates or replaces the configuration (Install-SmtpOAuthRelay): checked first, then written with the home's
    /// folders. Without <paramref name="overwrite"/> an existing configuration is an error.
    /// </summary>
    public RelayConfiguration Create(RelayConfiguration configuration, bool overwrite)
    {
        if (configuration is null)
        {
            throw new ArgumentNullException(nameof(configuration));
        }

        RelayConfigurationValidator.Validate(configuration);
        using var storeLock = Lock();
        if (!overwrite && Exists)
        {
            throw new OAuthSmtpException(
                ErrorIds.RelayAlreadyInstalled,
                ErrorKind.ResourceExists,
                $"A relay is already configured in '{Home}'.",
                "See it with Get-SmtpOAuthRelay; replace its settings with Install-SmtpOAuthRelay -Force (its devices are kept).",
                Home);
        }

        var existing = overwrite ? TryLoad() : null;
        if (existing is not null)
        {
            configuration.Clients = existing.Clients;
            RelayConfigurationValidator.Validate(configuration);
        }

        CreatePrivateFolder(Home);
        CreatePrivateFolder(Resolve(configuration.ProfileStorePath));
        Write(configuration);
        return configuration;
    }

    /// <summary>Reads, changes and writes the configuration under the lock; the change is checked before anything is written.</summary>
    /// <exception cref="OAuthSmtpException">RelayNotInstalled, the change breaks a rule, or the file cannot be written.</exception>
    public RelayConfiguration Update(Action<RelayConfiguration> change)
    {
        if (change is null)
        {
            throw new ArgumentNullException(nameof(change));
        }

        using var storeLock = Lock();
        var configuration = Load();
        change(configuration);
        RelayConfigurationValidator.Validate(configuration);
        Write(configuration);
        return configuration;
    }

    /// <summary>A folder only the owner can enter (0700 on Linux and macOS), created when missing.</summary>
    internal static void CreatePrivateFolder(string path)
    {
        try
        {
            Directory.CreateDirectory(path);
            if (UnixPermissions.Applies)
            {
                UnixPermissions.Set(path, UnixPermissions.OwnerAll);
            }
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or System.ComponentModel.Win32Exception)
        {
            throw WriteFailed(path, exception);
        }
    }

    private void Write(RelayConfiguration configuration)
    {
        configuration.SchemaVersion = RelayConfiguration.CurrentSchemaVersion;
        try
        {
            foreach (var leftover in Directory.EnumerateFiles(Home, FileName + ".*.tmp"))
            {
                File.Delete(leftover);
            }

            AtomicFile.Write(ConfigurationPath, JsonSerializer.SerializeToUtf8Bytes(configuration, StoredFileJson.Options), BeforeCommit);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or System.ComponentModel.Win32Exception)
        {
            throw WriteFailed(ConfigurationPath, exception);
        }
    }

    private byte[]? ReadBytes()
    {
        try
        {
            using var stream = new FileStream(ConfigurationPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            RequireSafe();
            if (stream.Length > MaxConfigurationBytes)
            {
                throw Corrupt($"it is {stream.Length / (1024 * 1024)} MB, and a relay configuration is at most {MaxConfigurationBytes / (1024 * 1024)} MB", null);
            }

            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            return buffer.ToArray();
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (DirectoryNotFoundException)
        {
            return null;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new OAuthSmtpException(
                ErrorIds.RelayConfigurationUnreadable,
                ErrorKind.ReadError,
                $"The relay configuration '{ConfigurationPath}' cannot be read: {exception.Message}",
                "Run the command as the account that installed the relay (an administrator, or root for /etc/oauthsmtp-relay), or give -Path of a relay home you own.",
                ConfigurationPath,
                exception);
        }
    }

    private void RequireSafe()
    {
        try
        {
            StoreFileSafety.Require(ConfigurationPath);
        }
        catch (OAuthSmtpException insecure) when (insecure.ErrorId == ErrorIds.ProfileStoreInsecure)
        {
            throw new OAuthSmtpException(
                ErrorIds.RelayConfigurationInsecure,
                ErrorKind.SecurityError,
                $"The relay configuration '{ConfigurationPath}' can be changed by another local user (group- or other-writable, or owned by someone else), who could have added a device of their own. It was not used.",
                $"Check the file's content, then make it private: chown \"$(id -un)\" '{ConfigurationPath}'; chmod 600 '{ConfigurationPath}'.",
                ConfigurationPath);
        }
    }

    private ProfileStoreLock Lock()
    {
        CreatePrivateFolder(Home);
        try
        {
            return ProfileStoreLock.Acquire(Path.Combine(Home, LockFileName), LockTimeout);
        }
        catch (OAuthSmtpException busy) when (busy.ErrorId == ErrorIds.ProfileStoreBusy)
        {
            throw new OAuthSmtpException(
                ErrorIds.RelayConfigurationBusy,
                ErrorKind.ResourceUnavailable,
                $"The relay configuration is locked by another process: '{Path.Combine(Home, LockFileName)}' stayed locked for {LockTimeout.TotalSeconds:0} seconds.",
                "Wait until other OAuthSmtp relay commands have finished, then run the command again.",
                Home,
                busy);
        }
        catch (OAuthSmtpException denied) when (denied.ErrorId == ErrorIds.ProfileStoreWriteFailed)
        {
            throw WriteFailed(Home, denied);
        }
    }

    private OAuthSmtpException NotInstalled() => new(
        ErrorIds.RelayNotInstalled,
        ErrorKind.ObjectNotFound,
        $"No relay is configured in '{Home}' (there is no {FileName}).",
        "Install it with Install-SmtpOAuthRelay, or give -Path of the relay home you installed.",
        Home);

    private OAuthSmtpException Corrupt(string reason, Exception? inner) => new(
        ErrorIds.RelayConfigurationCorrupt,
        ErrorKind.InvalidData,
        $"The relay configuration '{ConfigurationPath}' is damaged: {reason}. It was left untouched.",
        $"Repair the JSON, or move it aside (Move-Item '{ConfigurationPath}' '{ConfigurationPath}.damaged') and install again with Install-SmtpOAuthRelay.",
        ConfigurationPath,
        inner);

    private static OAuthSmtpException WriteFailed(string path, Exception inner) => new(
        ErrorIds.RelayConfigurationWriteFailed,
        ErrorKind.WriteError,
        $"Cannot write '{path}': {inner.Message}",
        "Run the command as an administrator (root for /etc/oauthsmtp-relay), or give -Path of a relay home you own. Nothing was changed.",
        path,
        inner);

    private static string FirstLine(string text)
    {
        var end = text.IndexOfAny(new[] { '\r', '\n' });
        return end < 0 ? text : text.Substring(0, end);
    }
}
