using System;
using System.Collections.Generic;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace OAuthSmtp.Engine.Profiles;

/// <summary>
/// The profile file on disk: {"schemaVersion":1,"profiles":[...]}. Each entry is a profile plus where its
/// secret is: a DPAPI blob (base64) or the id of a permission-restricted secret file. Never a plain secret.
/// </summary>
internal sealed class ProfileDocument
{
    public const int CurrentSchemaVersion = 1;


    [JsonPropertyName("schemaVersion")]
    public int? SchemaVersion { get; set; }

    [JsonPropertyName("profiles")]
    public List<ProfileRecord>? Profiles { get; set; }

    public static ProfileDocument Empty() => new() { SchemaVersion = CurrentSchemaVersion, Profiles = new List<ProfileRecord>() };

    /// <exception cref="JsonException">Not JSON, or not of this shape.</exception>
    public static ProfileDocument Parse(byte[] utf8) =>
        JsonSerializer.Deserialize<ProfileDocument>(utf8, StoredFileJson.Options) ?? throw new JsonException("The file holds 'null'.");

    public byte[] ToUtf8() => JsonSerializer.SerializeToUtf8Bytes(this, StoredFileJson.Options);

}

/// <summary>One profile as stored.</summary>
internal sealed class ProfileRecord
{
    public string? Name { get; set; }

    public string? TenantId { get; set; }

    public Guid ClientId { get; set; }

    public CredentialKind CredentialKind { get; set; }

    public string? Mailbox { get; set; }

    public CloudName Cloud { get; set; }

    public string? SmtpServer { get; set; }

    public int Port { get; set; }

    public Uri? AuthorityHost { get; set; }

    public string? Scope { get; set; }

    public ProfileOverrides Overrides { get; set; }

    public bool AllowNonMicrosoftHost { get; set; }

    public int TokenGraceSeconds { get; set; }

    public string? CertificateThumbprint { get; set; }

    public string? CertificateStoreLocation { get; set; }

    public string? CertificatePath { get; set; }

    public ManagedIdentityIdKind? ManagedIdentityIdKind { get; set; }

    public string? ManagedIdentityId { get; set; }

    public SecretProtection SecretProtection { get; set; }

    public string? SecretName { get; set; }

    public string? Vault { get; set; }

    /// <summary>DPAPI (CurrentUser) blob, base64, when SecretProtection is Dpapi.</summary>
    public string? ProtectedSecret { get; set; }

    /// <summary>Name of the 0600 file under secrets/, when SecretProtection is Unprotected.</summary>
    public string? SecretFileId { get; set; }

    public string? EnterpriseAppObjectId { get; set; }

    public string? CredentialKeyId { get; set; }

    public DateTimeOffset? CredentialEndsOn { get; set; }

    public DateTimeOffset CreatedOn { get; set; }

    public DateTimeOffset ModifiedOn { get; set; }

    public static ProfileRecord From(SmtpOAuthProfile profile) => new()
    {
        Name = profile.Name,
        TenantId = profile.TenantId,
        ClientId = profile.ClientId,
        CredentialKind = profile.CredentialKind,
        Mailbox = profile.Mailbox,
        Cloud = profile.Cloud,
        SmtpServer = profile.SmtpServer,
        Port = profile.Port,
        AuthorityHost = profile.AuthorityHost,
        Scope = profile.Scope,
        Overrides = profile.Overrides,
        AllowNonMicrosoftHost = profile.AllowNonMicrosoftHost,
        TokenGraceSeconds = profile.TokenGraceSeconds,
        CertificateThumbprint = profile.CertificateThumbprint,
        CertificateStoreLocation = profile.CertificateStoreLocation,
        CertificatePath = profile.CertificatePath,
        ManagedIdentityIdKind = profile.ManagedIdentityIdKind,
        ManagedIdentityId = profile.ManagedIdentityId,
        SecretProtection = profile.SecretProtection,
        SecretName = profile.SecretName,
        Vault = profile.Vault,
        EnterpriseAppObjectId = profile.EnterpriseAppObjectId,
        CredentialKeyId = profile.CredentialKeyId,
        CredentialEndsOn = profile.CredentialEndsOn,
        CreatedOn = profile.CreatedOn,
        ModifiedOn = profile.ModifiedOn,
    };

    public SmtpOAuthProfile ToProfile() => new()
    {
        Name = Name ?? string.Empty,
        TenantId = TenantId ?? string.Empty,
        ClientId = ClientId,
        CredentialKind = CredentialKind,
        Mailbox = Mailbox ?? string.Empty,
        Cloud = Cloud,
        SmtpServer = SmtpServer ?? CloudEndpoints.For(Cloud).SmtpServer,
        Port = Port == 0 ? CloudEndpoints.SmtpPort : Port,
        AuthorityHost = AuthorityHost ?? CloudEndpoints.For(Cloud).AuthorityHost,
        Scope = Scope ?? ProfileValidator.DefaultScope(Cloud, CredentialKind is CredentialKind.DeviceCode or CredentialKind.Interactive),
        Overrides = Overrides,
        AllowNonMicrosoftHost = AllowNonMicrosoftHost,
        TokenGraceSeconds = TokenGraceSeconds,
        CertificateThumbprint = CertificateThumbprint,
        CertificateStoreLocation = CertificateStoreLocation,
        CertificatePath = CertificatePath,
        ManagedIdentityIdKind = ManagedIdentityIdKind,
        ManagedIdentityId = ManagedIdentityId,
        SecretProtection = SecretProtection,
        SecretName = SecretName,
        Vault = Vault,
        EnterpriseAppObjectId = EnterpriseAppObjectId,
        CredentialKeyId = CredentialKeyId,
        CredentialEndsOn = CredentialEndsOn,
        CreatedOn = CreatedOn,
        ModifiedOn = ModifiedOn,
    };
}
