using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security;
using System.Security.Cryptography;
using System.Text.Json;
using OAuthSmtp.Engine.Errors;
using OAuthSmtp.Engine.Retries;
using OAuthSmtp.Engine.Secrets;

namespace OAuthSmtp.Engine.Profiles;

/// <summary>
/// The per-user profile store: profiles.json (schema version 1) in <see cref="Directory"/>, written atomically
/// under a cross-process lock, with secrets protected by DPAPI (Windows), kept in a 0600 file when the user
/// allowed it, or only referenced in a SecretManagement vault. A file that cannot be read or parsed is reported
/// and never overwritten. Every method throws <see cref="OAuthSmtpException"/> for what a user can fix.
/// </summary>
public sealed class ProfileStore
{
    public const string FileName = "profiles.json";

    private const string LockFileName = "profiles.lock";

    /// <summary>
    /// profiles.json is never read beyond this size: a profile takes about 1 KB, so 4 MB holds thousands, and a
    /// planted 900 MB file fails at once instead of costing seconds and gigabytes before "damaged" (issue 13 item 14).
    /// </summary>
    public const long MaxStoreBytes = 4 * 1024 * 1024;

    private readonly UnprotectedSecretFiles _secretFiles;

    /// <summary>The store of the current user (honours OAUTHSMTP_HOME at the time of the call).</summary>
    public ProfileStore()
        : this(ProfileStoreLocation.DefaultDirectory())
    {
    }

    public ProfileStore(string directory)
    {
        if (string.IsNullOrWhiteSpace(directory))
        {
            throw new ArgumentException("The store needs a folder.", nameof(directory));
        }

        Directory = Path.GetFullPath(directory);
        ProfilesPath = Path.Combine(Directory, FileName);
        _secretFiles = new UnprotectedSecretFiles(Directory);
    }

    public string Directory { get; }

    public string ProfilesPath { get; }

    /// <summary>How long a save waits for another process's save to finish.</summary>
    public TimeSpan LockTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>What the wait for the lock reads the time from and waits with; tests pass one that does not sleep.</summary>
    internal RetryClock LockClock { get; set; } = RetryClock.System;

    /// <summary>Whether this platform protects secrets itself (DPAPI); elsewhere a secret needs SecretManagement or consent.</summary>
    public static bool CanProtectSecrets => DpapiSecretCodec.IsAvailable;

    /// <summary>Test seam: runs after the new file is complete and before it replaces the old one.</summary>
    internal Action<string>? BeforeCommit { get; set; }

    /// <summary>Test seam: pretends DPAPI is missing (Windows) to exercise the unprotected path.</summary>
    internal bool? DpapiOverride { get; set; }

    private bool UseDpapi => DpapiOverride ?? DpapiSecretCodec.IsAvailable;

    /// <summary>
    /// A profile for use (a token, a send, a setup check): checked as strictly as on save, host trust rule included,
    /// because the file may have been edited by hand or by someone else since (issue 13 item 6).
    /// </summary>
    /// <exception cref="OAuthSmtpException">ProfileNotFound, the store cannot be read, or the stored profile breaks a rule (the rule's id).</exception>
    public SmtpOAuthProfile GetProfile(string name)
    {
        var profile = TryGetProfile(name) ?? throw NotFound(name);
        try
        {
            ProfileValidator.NormalizeStored(profile);
        }
        catch (OAuthSmtpException invalid)
        {
            throw new OAuthSmtpException(
                invalid.ErrorId,
                invalid.Kind,
                $"Profile '{profile.Name}' in '{ProfilesPath}' cannot be used: {invalid.Message}",
                $"Correct it with Set-SmtpOAuthProfile -Name '{profile.Name}' (see Get-SmtpOAuthProfile '{profile.Name}' | Format-List), or remove it with Remove-SmtpOAuthProfile. {invalid.Fix}",
                profile.Name,
                invalid);
        }

        return profile;
    }

    /// <summary>The profile as written, unchecked: Set- and Remove-SmtpOAuthProfile must reach a profile that breaks a rule, to repair or remove it.</summary>
    /// <exception cref="OAuthSmtpException">ProfileNotFound, or the store cannot be read.</exception>
    public SmtpOAuthProfile GetStoredProfile(string name) => TryGetProfile(name) ?? throw NotFound(name);

    /// <summary>The profile as written, unchecked (to show, change or remove it), or null when there is none of that name.</summary>
    public SmtpOAuthProfile? TryGetProfile(string name)
    {
        var record = Find(ReadDocument(), name);
        return record?.ToProfile();
    }

    /// <summary>Profiles whose names match a PowerShell wildcard pattern (case-insensitive), sorted by name.</summary>
    public IReadOnlyList<SmtpOAuthProfile> FindProfiles(string wildcardPattern = "*")
    {
        var pattern = new ProfileNamePattern(string.IsNullOrEmpty(wildcardPattern) ? "*" : wildcardPattern);
        return ReadDocument().Profiles!
            .Where(r => pattern.IsMatch(r.Name!))
            .OrderBy(r => r.Name, StringComparer.OrdinalIgnoreCase)
            .Select(r => r.ToProfile())
            .ToList();
    }

    /// <summary>
    /// Checks and saves a profile and returns it as stored (derived settings filled in, SecretProtection set).
    /// <paramref name="secret"/> is the client secret or .pfx password; null keeps the stored one when the
    /// credential kind did not change. Without <paramref name="overwrite"/> an existing name is an error.
    /// </summary>
    public SmtpOAuthProfile SaveProfile(SmtpOAuthProfile profile, SecretMaterial? secret, bool overwrite) =>
        Save(profile, secret, overwrite ? ExistingProfile.Replace : ExistingProfile.Refuse);

    /// <summary>Like <see cref="SaveProfile"/> for a profile that must already exist (Set-SmtpOAuthProfile).</summary>
    public SmtpOAuthProfile UpdateProfile(SmtpOAuthProfile profile, SecretMaterial? secret) =>
        Save(profile, secret, ExistingProfile.Require);

    /// <summary>Removes a profile and its stored secret; returns what was removed.</summary>
    public SmtpOAuthProfile RemoveProfile(string name)
    {
        using var storeLock = Lock();
        var document = ReadDocument();
        var record = Find(document, name) ?? throw NotFound(name);
        document.Profiles!.Remove(record);
        WriteDocument(document);
        DeleteSecretFile(record.SecretFileId);
        return record.ToProfile();
    }

    /// <summary>
    /// The stored client secret or .pfx password. Null when the profile has none, and for SecretManagement:
    /// the cmdlet layer resolves that with Get-Secret.
    /// </summary>
    public SecureString? ReadSecret(SmtpOAuthProfile profile)
    {
        if (profile is null)
        {
            throw new ArgumentNullException(nameof(profile));
        }

        var record = Find(ReadDocument(), profile.Name) ?? throw NotFound(profile.Name);
        switch (record.SecretProtection)
        {
            case SecretProtection.Dpapi:
                if (!DpapiSecretCodec.IsAvailable)
                {
                    throw SecretUnreadable(record.Name!, "it is encrypted with Windows DPAPI, which only Windows can decrypt", null);
                }

                try
                {
                    return DpapiSecretCodec.Unprotect(record.ProtectedSecret ?? string.Empty);
                }
                catch (Exception exception) when (exception is CryptographicException or FormatException)
                {
                    throw SecretUnreadable(record.Name!, "DPAPI cannot decrypt it: it was saved by another user or on another computer", exception);
                }

            case SecretProtection.Unprotected:
                try
                {
                    return _secretFiles.Read(record.SecretFileId ?? string.Empty);
                }
                catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
                {
                    throw SecretUnreadable(record.Name!, $"its file '{_secretFiles.PathFor(record.SecretFileId ?? "?")}' cannot be read ({exception.Message})", exception);
                }

            default:
                return null;
        }
    }

    private enum ExistingProfile
    {
        Refuse,
        Replace,
        Require,
    }

    private SmtpOAuthProfile Save(SmtpOAuthProfile profile, SecretMaterial? secret, ExistingProfile existingRule)
    {
        if (profile is null)
        {
            throw new ArgumentNullException(nameof(profile));
        }

        var candidate = profile.Clone();
        ProfileValidator.Normalize(candidate);

        using var storeLock = Lock();
        RemoveCrashLeftovers();
        var document = ReadDocument();
        var existing = Find(document, candidate.Name);
        if (existing is not null && existingRule == ExistingProfile.Refuse)
        {
            throw new OAuthSmtpException(
                ErrorIds.ProfileAlreadyExists,
                ErrorKind.ResourceExists,
                $"A profile named '{existing.Name}' already exists.",
                $"Change it with Set-SmtpOAuthProfile -Name '{existing.Name}', replace it with New-SmtpOAuthProfile -Force, or choose another name.",
                candidate.Name);
        }

        if (existing is null && existingRule == ExistingProfile.Require)
        {
            throw NotFound(candidate.Name);
        }

        var record = ProfileRecord.From(candidate);
        ForgetCredentialFactsOfAReplacedCredential(record, existing, secret);
        var now = DateTimeOffset.Now;
        record.CreatedOn = existing?.CreatedOn ?? now;
        record.ModifiedOn = now;
        var newSecretFile = PlaceSecret(record, existing, secret);
        try
        {
            if (existing is not null)
            {
                document.Profiles!.Remove(existing);
            }

            document.Profiles!.Add(record);
            WriteDocument(document);
        }
        catch
        {
            DeleteSecretFile(newSecretFile);
            throw;
        }

        if (existing?.SecretFileId is not null && existing.SecretFileId != record.SecretFileId)
        {
            DeleteSecretFile(existing.SecretFileId);
        }

        return record.ToProfile();
    }

    /// <summary>
    /// A new secret or certificate given without its key id (Set-SmtpOAuthProfile -ClientSecret) makes the recorded
    /// key id and end date wrong: forget them rather than show another credential's. Update-SmtpOAuthCredential
    /// saves the new key id with the new secret, so it differs from the stored one and is kept.
    /// </summary>
    private static void ForgetCredentialFactsOfAReplacedCredential(ProfileRecord record, ProfileRecord? existing, SecretMaterial? secret)
    {
        if (existing is null || record.CredentialKeyId is null || !string.Equals(record.CredentialKeyId, existing.CredentialKeyId, StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        var credentialChanged = secret is not null
            || record.CredentialKind != existing.CredentialKind
            || !string.Equals(record.CertificateThumbprint, existing.CertificateThumbprint, StringComparison.OrdinalIgnoreCase)
            || !string.Equals(record.CertificatePath, existing.CertificatePath, StringComparison.Ordinal)
            || !string.Equals(record.SecretName, existing.SecretName, StringComparison.Ordinal)
            || !string.Equals(record.Vault, existing.Vault, StringComparison.Ordinal);
        if (credentialChanged)
        {
            record.CredentialKeyId = null;
            record.CredentialEndsOn = null;
        }
    }

    /// <summary>
    /// Decides where the record's secret lives and writes a new secret file when one is needed (under a fresh id,
    /// so the profile file keeps pointing at the old secret until the new profile file is in place).
    /// Returns the new secret file's id, or null.
    /// </summary>
    private string? PlaceSecret(ProfileRecord record, ProfileRecord? existing, SecretMaterial? secret)
    {
        record.ProtectedSecret = null;
        record.SecretFileId = null;
        var hasSecret = record.CredentialKind is CredentialKind.ClientSecret or CredentialKind.CertificateFile;

        if (record.SecretName is not null)
        {
            if (secret is not null)
            {
                throw new OAuthSmtpException(
                    ErrorIds.ConflictingCredentials,
                    ErrorKind.InvalidArgument,
                    $"Profile '{record.Name}' got both a secret and a SecretManagement reference (-SecretName '{record.SecretName}').",
                    "Give either the secret or -SecretName, not both.",
                    record.Name);
            }

            record.SecretProtection = SecretProtection.SecretManagement;
            return null;
        }

        if (!hasSecret)
        {
            record.SecretProtection = SecretProtection.None;
            return null;
        }

        if (secret is null)
        {
            var keep = existing is not null
                && existing.CredentialKind == record.CredentialKind
                && existing.SecretProtection is SecretProtection.Dpapi or SecretProtection.Unprotected;
            if (keep)
            {
                record.SecretProtection = existing!.SecretProtection;
                record.ProtectedSecret = existing.ProtectedSecret;
                record.SecretFileId = existing.SecretFileId;
                return null;
            }

            if (record.CredentialKind == CredentialKind.ClientSecret)
            {
                throw new OAuthSmtpException(
                    ErrorIds.MissingCredential,
                    ErrorKind.InvalidArgument,
                    $"Profile '{record.Name}' uses a client secret, and none was given.",
                    "Give the secret with -ClientSecret or -Credential, or a SecretManagement secret with -SecretName.",
                    record.Name);
            }

            // A .pfx file without a password.
            record.SecretProtection = SecretProtection.None;
            return null;
        }

        if (UseDpapi)
        {
            record.SecretProtection = SecretProtection.Dpapi;
            record.ProtectedSecret = DpapiSecretCodec.Protect(secret.Value);
            return null;
        }

        if (!secret.AllowUnprotectedStorage)
        {
            throw new OAuthSmtpException(
                ErrorIds.UnprotectedSecretNotAllowed,
                ErrorKind.SecurityError,
                $"Profile '{record.Name}' was not saved: this system has no DPAPI to encrypt its secret, and storing it unencrypted needs your consent.",
                "Keep the secret in a SecretManagement vault (Set-Secret -Name <name>; then -SecretName <name> [-Vault <vault>]), or add -AllowUnprotectedSecret to store it in a file only your account can read.",
                record.Name);
        }

        var fileId = Guid.NewGuid().ToString("N");
        try
        {
            _secretFiles.Write(fileId, secret.Value);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or System.ComponentModel.Win32Exception)
        {
            throw WriteFailed(_secretFiles.Directory, exception);
        }

        record.SecretProtection = SecretProtection.Unprotected;
        record.SecretFileId = fileId;
        return fileId;
    }

    private ProfileStoreLock Lock()
    {
        try
        {
            System.IO.Directory.CreateDirectory(Directory);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw WriteFailed(Directory, exception);
        }

        return ProfileStoreLock.Acquire(Path.Combine(Directory, LockFileName), ProfileStoreLock.RetryFor(LockTimeout, LockClock));
    }

    private ProfileDocument ReadDocument()
    {
        byte[] content;
        try
        {
            using var stream = new FileStream(ProfilesPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            StoreFileSafety.Require(ProfilesPath);
            if (stream.Length > MaxStoreBytes)
            {
                throw new OAuthSmtpException(
                    ErrorIds.ProfileStoreTooLarge,
                    ErrorKind.InvalidData,
                    $"The profile file '{ProfilesPath}' is {stream.Length / (1024 * 1024)} MB; a profile store is at most {MaxStoreBytes / (1024 * 1024)} MB, so it was not read and left untouched.",
                    $"Move it aside (Move-Item '{ProfilesPath}' '{ProfilesPath}.too-large'), then create the profiles again with New-SmtpOAuthProfile.",
                    ProfilesPath);
            }

            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            content = buffer.ToArray();
        }
        catch (FileNotFoundException)
        {
            return ProfileDocument.Empty();
        }
        catch (DirectoryNotFoundException)
        {
            return ProfileDocument.Empty();
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new OAuthSmtpException(
                ErrorIds.ProfileStoreUnreadable,
                ErrorKind.ReadError,
                $"The profile file '{ProfilesPath}' cannot be read: {exception.Message}",
                "Give your account read and write access to the file and its folder, or point the environment variable OAUTHSMTP_HOME at a folder you own.",
                ProfilesPath,
                exception);
        }

        ProfileDocument document;
        try
        {
            document = ProfileDocument.Parse(content);
        }
        catch (Exception exception) when (exception is JsonException or NotSupportedException or ArgumentException or InvalidOperationException)
        {
            throw Corrupt($"it is not a valid profile document ({FirstLine(exception.Message)})", exception);
        }

        if (document.SchemaVersion is null || document.Profiles is null)
        {
            throw Corrupt("it lacks 'schemaVersion' or 'profiles'", null);
        }

        if (document.SchemaVersion > ProfileDocument.CurrentSchemaVersion || document.SchemaVersion < 1)
        {
            throw new OAuthSmtpException(
                ErrorIds.ProfileStoreVersionUnsupported,
                ErrorKind.InvalidData,
                $"The profile file '{ProfilesPath}' has schema version {document.SchemaVersion}; this version of OAuthSmtp reads version {ProfileDocument.CurrentSchemaVersion}.",
                "Update the OAuthSmtp module (Update-Module OAuthSmtp), or point OAUTHSMTP_HOME at another folder for this version.",
                ProfilesPath);
        }

        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var record in document.Profiles)
        {
            if (record is null || string.IsNullOrWhiteSpace(record.Name) || !names.Add(record.Name!))
            {
                throw Corrupt(record?.Name is null ? "a profile has no name" : $"the name '{record.Name}' appears twice", null);
            }
        }

        return document;
    }

    /// <summary>
    /// Temporary files a crashed save left behind (a plaintext secret among them): removed under the lock, where no
    /// other save can be writing one (issue 13 item 13).
    /// </summary>
    private void RemoveCrashLeftovers()
    {
        try
        {
            _secretFiles.RemoveLeftovers();
            foreach (var leftover in System.IO.Directory.EnumerateFiles(Directory, FileName + ".*.tmp"))
            {
                File.Delete(leftover);
            }
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw WriteFailed(Directory, exception);
        }
    }

    private void WriteDocument(ProfileDocument document)
    {
        document.SchemaVersion = ProfileDocument.CurrentSchemaVersion;
        document.Profiles = document.Profiles!.OrderBy(r => r.Name, StringComparer.OrdinalIgnoreCase).ToList();
        try
        {
            AtomicFile.Write(ProfilesPath, document.ToUtf8(), BeforeCommit);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw WriteFailed(ProfilesPath, exception);
        }
    }

    private void DeleteSecretFile(string? secretFileId)
    {
        if (secretFileId is null)
        {
            return;
        }

        try
        {
            _secretFiles.Delete(secretFileId);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw WriteFailed(_secretFiles.PathFor(secretFileId), exception);
        }
    }

    private static ProfileRecord? Find(ProfileDocument document, string? name) =>
        name is null ? null : document.Profiles!.FirstOrDefault(r => string.Equals(r.Name, name, StringComparison.OrdinalIgnoreCase));

    private static OAuthSmtpException NotFound(string? name) => new(
        ErrorIds.ProfileNotFound,
        ErrorKind.ObjectNotFound,
        $"There is no profile named '{name}'.",
        "List the profiles with Get-SmtpOAuthProfile, or create this one with New-SmtpOAuthProfile.",
        name);

    private OAuthSmtpException Corrupt(string reason, Exception? inner) => new(
        ErrorIds.ProfileStoreCorrupt,
        ErrorKind.InvalidData,
        $"The profile file '{ProfilesPath}' is damaged: {reason}. It was left untouched.",
        $"Move it aside (Move-Item '{ProfilesPath}' '{ProfilesPath}.damaged'), then create the profiles again with New-SmtpOAuthProfile; or repair the JSON by hand.",
        ProfilesPath,
        inner);

    private static OAuthSmtpException WriteFailed(string path, Exception inner) => new(
        ErrorIds.ProfileStoreWriteFailed,
        ErrorKind.WriteError,
        $"Cannot write '{path}': {inner.Message}",
        "Give your account write access to the folder, free disk space, or point the environment variable OAUTHSMTP_HOME at a folder you own. Nothing was changed.",
        path,
        inner);

    private static OAuthSmtpException SecretUnreadable(string name, string reason, Exception? inner) => new(
        ErrorIds.SecretUnreadable,
        ErrorKind.ReadError,
        $"The secret of profile '{name}' cannot be read: {reason}.",
        $"Store the secret again as this user on this computer: Set-SmtpOAuthProfile -Name '{name}' -ClientSecret (Read-Host -AsSecureString) (or -CertificatePassword for a .pfx).",
        name,
        inner);

    private static string FirstLine(string text)
    {
        var end = text.IndexOfAny(new[] { '\r', '\n' });
        return end < 0 ? text : text.Substring(0, end);
    }
}
