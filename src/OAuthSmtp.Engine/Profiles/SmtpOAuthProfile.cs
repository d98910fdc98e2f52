using System;

namespace OAuthSmtp.Engine.Profiles;

/// <summary>
/// A named connection profile: everything needed to get a token and send through Exchange Online.
/// Holds no secret: the secret lives in the store's protected form or in a SecretManagement vault.
/// SmtpServer, Port, AuthorityHost and Scope are derived from <see cref="Cloud"/> unless overridden.
/// </summary>
public sealed class SmtpOAuthProfile
{
    public string Name { get; set; } = "";

    /// <summary>Tenant GUID or verified domain (contoso.onmicrosoft.com).</summary>
    public string TenantId { get; set; } = "";

    public Guid ClientId { get; set; }

    public CredentialKind CredentialKind { get; set; }

    /// <summary>The sending mailbox (SMTP address): the XOAUTH2 user and the default From.</summary>
    public string Mailbox { get; set; } = "";

    public CloudName Cloud { get; set; } = CloudName.Global;

    public string SmtpServer { get; set; } = CloudEndpoints.Global.SmtpServer;

    public int Port { get; set; } = CloudEndpoints.SmtpPort;

    public Uri AuthorityHost { get; set; } = CloudEndpoints.Global.AuthorityHost;

    public string Scope { get; set; } = CloudEndpoints.Global.AppOnlyScope;

    /// <summary>A cached token is renewed this many seconds before it expires.</summary>
    public int TokenGraceSeconds { get; set; } = 30;

    public string? CertificateThumbprint { get; set; }

    /// <summary>CurrentUser or LocalMachine, for <see cref="CredentialKind.CertificateThumbprint"/>.</summary>
    public string? CertificateStoreLocation { get; set; }

    public string? CertificatePath { get; set; }

    public ManagedIdentityIdKind? ManagedIdentityIdKind { get; set; }

    public string? ManagedIdentityId { get; set; }

    public SecretProtection SecretProtection { get; set; } = SecretProtection.None;

    /// <summary>SecretManagement secret name, when <see cref="SecretProtection"/> is SecretManagement.</summary>
    public string? SecretName { get; set; }

    /// <summary>SecretManagement vault name (null: the default vault).</summary>
    public string? Vault { get; set; }

    /// <summary>
    /// The admin named a host outside Microsoft's cloud on purpose (-AllowNonMicrosoftHost): only then may
    /// <see cref="SmtpServer"/> or <see cref="AuthorityHost"/> be another host than the cloud's (HostTrustPolicy).
    /// </summary>
    public bool AllowNonMicrosoftHost { get; set; }

    /// <summary>Which of SmtpServer, Port, AuthorityHost and Scope the user set; the rest follow <see cref="Cloud"/>.</summary>
    public ProfileOverrides Overrides { get; set; } = ProfileOverrides.None;

    /// <summary>
    /// The enterprise application's object id (the token's oid), when known: Update-SmtpOAuthCredential records it.
    /// Settings cards show it; nothing depends on it.
    /// </summary>
    public string? EnterpriseAppObjectId { get; set; }

    /// <summary>
    /// The key id of the profile's client secret or certificate in the app registration, when known
    /// (Update-SmtpOAuthCredential records it). The store forgets it when the credential changes without it.
    /// </summary>
    public string? CredentialKeyId { get; set; }

    /// <summary>When the credential named by <see cref="CredentialKeyId"/> ends, when known.</summary>
    public DateTimeOffset? CredentialEndsOn { get; set; }

    public DateTimeOffset CreatedOn { get; set; }

    public DateTimeOffset ModifiedOn { get; set; }

    public bool IsManagedIdentity => CredentialKind is CredentialKind.SystemManagedIdentity or CredentialKind.UserManagedIdentity;

    public bool IsDelegated => CredentialKind is CredentialKind.DeviceCode or CredentialKind.Interactive;

    /// <summary>A copy to change without touching this one (Set-SmtpOAuthProfile changes a copy, then saves it).</summary>
    public SmtpOAuthProfile Clone() => (SmtpOAuthProfile)MemberwiseClone();

    public override string ToString() => Name;
}
