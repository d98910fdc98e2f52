using System;
using System.Security.Cryptography.X509Certificates;
using OAuthSmtp.Engine.Profiles;

namespace OAuthSmtp.Engine.Tokens;

/// <summary>
/// Get-SmtpOAuthToken's parameters without -Profile, as plain values. <see cref="ToTokenRequest"/> builds the
/// one-off profile they describe and checks it with the one profile validator, so a bad tenant, client id,
/// authority, scope or credential gets the same error id as from New-SmtpOAuthProfile.
/// </summary>
public sealed class AdHocTokenParameters
{
    public AdHocTokenParameters(CredentialKind credentialKind)
    {
        CredentialKind = credentialKind;
    }

    public CredentialKind CredentialKind { get; }

    public CloudName Cloud { get; set; } = CloudName.Global;

    public string? TenantId { get; set; }

    public string? ClientId { get; set; }

    /// <summary>The client secret or the .pfx password; kept in memory only.</summary>
    public string? Secret { get; set; }

    public string? CertificateThumbprint { get; set; }

    public string? CertificateStoreLocation { get; set; }

    /// <summary>The .pfx file, already resolved to a file-system path by the caller.</summary>
    public string? CertificatePath { get; set; }

    /// <summary>A certificate object (-Certificate): used as it is, never disposed here.</summary>
    public X509Certificate2? Certificate { get; set; }

    public string? ManagedIdentityId { get; set; }

    /// <summary>How <see cref="ManagedIdentityId"/> identifies the identity; null: a resource id (/subscriptions/...) or else a client id.</summary>
    public ManagedIdentityIdKind? ManagedIdentityIdKind { get; set; }

    /// <summary>Delegated: the user whose saved sign-in to use.</summary>
    public string? Mailbox { get; set; }

    public string? AuthorityHost { get; set; }

    public string? Scope { get; set; }

    /// <summary>The request for the profile these parameters describe.</summary>
    /// <exception cref="Errors.OAuthSmtpException">The profile validator's error for the first bad value.</exception>
    public TokenRequest ToTokenRequest()
    {
        var kind = CredentialKind;
        if (kind == CredentialKind.SystemManagedIdentity && !string.IsNullOrWhiteSpace(ManagedIdentityId))
        {
            kind = CredentialKind.UserManagedIdentity;
        }

        var profile = new SmtpOAuthProfile
        {
            Name = string.Empty,
            TenantId = TenantId ?? string.Empty,
            Cloud = Cloud,
            CredentialKind = kind,
            Mailbox = Mailbox ?? string.Empty,
            CertificateThumbprint = CertificateThumbprint ?? Certificate?.Thumbprint,
            CertificateStoreLocation = CertificateStoreLocation,
            CertificatePath = CertificatePath,
            ManagedIdentityId = ManagedIdentityId,
            ManagedIdentityIdKind = ManagedIdentityId is null ? null : ManagedIdentityIdKind ?? GuessIdKind(ManagedIdentityId),
        };

        if (AuthorityHost is not null)
        {
            profile.AuthorityHost = ProfileValidator.ParseAuthorityHost(AuthorityHost);
            profile.Overrides |= ProfileOverrides.AuthorityHost;
        }

        if (Scope is not null)
        {
            profile.Scope = Scope;
            profile.Overrides |= ProfileOverrides.Scope;
        }

        if (ClientId is not null)
        {
            profile.ClientId = ProfileValidator.ParseClientId(ClientId);
        }

        ProfileValidator.NormalizeAdHoc(profile);
        return new TokenRequest(profile) { Secret = Secret, Certificate = Certificate };
    }

    private static ManagedIdentityIdKind GuessIdKind(string id) =>
        id.Trim().StartsWith("/subscriptions/", StringComparison.OrdinalIgnoreCase) ? Profiles.ManagedIdentityIdKind.ResourceId : Profiles.ManagedIdentityIdKind.ClientId;
}
