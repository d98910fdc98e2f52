namespace OAuthSmtp.Engine.Errors;

/// <summary>Error ids of connection profiles, their store and their secrets.</summary>
public static partial class ErrorIds
{
    /// <summary>No profile has that name.</summary>
    public const string ProfileNotFound = nameof(ProfileNotFound);

    /// <summary>A profile of that name exists and -Force was not given.</summary>
    public const string ProfileAlreadyExists = nameof(ProfileAlreadyExists);

    /// <summary>The profile name is empty, too long, or has wildcard or control characters.</summary>
    public const string InvalidProfileName = nameof(InvalidProfileName);

    /// <summary>The tenant is neither a GUID nor a domain name (in a profile, a parameter, or AADSTS900023). Was TokenTenantInvalid for Get-SmtpOAuthToken.</summary>
    public const string InvalidTenantId = nameof(InvalidTenantId);

    /// <summary>The client (application) id is missing or not a GUID.</summary>
    public const string InvalidClientId = nameof(InvalidClientId);

    /// <summary>The mailbox is not an SMTP address.</summary>
    public const string InvalidMailbox = nameof(InvalidMailbox);

    /// <summary>The port is outside 1-65535.</summary>
    public const string InvalidPort = nameof(InvalidPort);

    /// <summary>The SMTP server is not a host name.</summary>
    public const string InvalidSmtpServer = nameof(InvalidSmtpServer);

    /// <summary>The authority host is not an absolute https URI, or Entra ID refused the authority. Was TokenAuthorityInvalid for Get-SmtpOAuthToken.</summary>
    public const string InvalidAuthorityHost = nameof(InvalidAuthorityHost);

    /// <summary>The scope does not fit the credential kind (app-only needs resource/.default).</summary>
    public const string InvalidScope = nameof(InvalidScope);

    /// <summary>TokenGraceSeconds is outside 0-3600.</summary>
    public const string InvalidTokenGraceSeconds = nameof(InvalidTokenGraceSeconds);

    /// <summary>The certificate thumbprint is not 40 hexadecimal characters.</summary>
    public const string InvalidCertificateThumbprint = nameof(InvalidCertificateThumbprint);

    /// <summary>The .pfx file given with -CertificatePath does not exist.</summary>
    public const string CertificateFileNotFound = nameof(CertificateFileNotFound);

    /// <summary>An X509Certificate2 was given that is in neither the CurrentUser nor the LocalMachine store.</summary>
    public const string CertificateNotInStore = nameof(CertificateNotInStore);

    /// <summary>A user-assigned managed identity id that does not fit its kind.</summary>
    public const string InvalidManagedIdentityId = nameof(InvalidManagedIdentityId);

    /// <summary>More than one credential kind was given.</summary>
    public const string ConflictingCredentials = nameof(ConflictingCredentials);

    /// <summary>No credential was given, or a credential lacks its secret.</summary>
    public const string MissingCredential = nameof(MissingCredential);

    /// <summary>A secret would have to be stored unencrypted and -AllowUnprotectedSecret was not given.</summary>
    public const string UnprotectedSecretNotAllowed = nameof(UnprotectedSecretNotAllowed);

    /// <summary>The profile file is not valid JSON or not a profile document; it is left untouched.</summary>
    public const string ProfileStoreCorrupt = nameof(ProfileStoreCorrupt);

    /// <summary>The profile file is larger than a profile store can be (ProfileStore.MaxStoreBytes); it is left untouched.</summary>
    public const string ProfileStoreTooLarge = nameof(ProfileStoreTooLarge);

    /// <summary>The profile or secret file is writable by group/others or owned by another user (Unix); it is not used.</summary>
    public const string ProfileStoreInsecure = nameof(ProfileStoreInsecure);

    /// <summary>The profile file or folder cannot be read (permissions, I/O).</summary>
    public const string ProfileStoreUnreadable = nameof(ProfileStoreUnreadable);

    /// <summary>The profile file was written by a newer version of the module.</summary>
    public const string ProfileStoreVersionUnsupported = nameof(ProfileStoreVersionUnsupported);

    /// <summary>Another process held the profile store's lock for too long.</summary>
    public const string ProfileStoreBusy = nameof(ProfileStoreBusy);

    /// <summary>The profile file or a secret file could not be written.</summary>
    public const string ProfileStoreWriteFailed = nameof(ProfileStoreWriteFailed);

    /// <summary>The stored secret cannot be read or decrypted (another user or machine, or a deleted file).</summary>
    public const string SecretUnreadable = nameof(SecretUnreadable);

    /// <summary>The profile refers to a SecretManagement vault, and the SecretManagement module is not available.</summary>
    public const string SecretManagementNotAvailable = nameof(SecretManagementNotAvailable);

    /// <summary>Get-Secret did not return the profile's secret.</summary>
    public const string SecretNotFound = nameof(SecretNotFound);
}
