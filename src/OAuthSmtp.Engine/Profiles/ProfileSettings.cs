using System;
using System.Security;
using System.Security.Cryptography.X509Certificates;
using OAuthSmtp.Engine.Errors;
using OAuthSmtp.Engine.Secrets;

namespace OAuthSmtp.Engine.Profiles;

/// <summary>
/// The settings New-SmtpOAuthProfile and Set-SmtpOAuthProfile were given, and the rules by which they land on a
/// profile: which credential parameters combine (<see cref="CredentialRequest"/>), the client id carried by
/// -Credential, the SecretManagement vault reference, the endpoint overrides and -AllowNonMicrosoftHost. A null
/// (or false) property was not given and changes nothing, so Set- changes exactly what was asked.
/// </summary>
public sealed class ProfileSettings
{
    /// <summary>Directory (tenant) id or verified domain.</summary>
    public string? TenantId { get; set; }

    /// <summary>-ClientId as typed (parsed and checked here).</summary>
    public string? ClientId { get; set; }

    /// <summary>-ClientSecret.</summary>
    public SecureString? ClientSecret { get; set; }

    /// <summary>-Credential's user name (the client id); null when -Credential was not given.</summary>
    public string? CredentialUserName { get; set; }

    /// <summary>-Credential's password (the client secret); null when -Credential was not given.</summary>
    public SecureString? CredentialPassword { get; set; }

    public string? CertificateThumbprint { get; set; }

    /// <summary>CurrentUser or LocalMachine.</summary>
    public string? CertificateStoreLocation { get; set; }

    /// <summary>The .pfx path, already resolved to a file-system path by the caller.</summary>
    public string? CertificatePath { get; set; }

    public SecureString? CertificatePassword { get; set; }

    /// <summary>A certificate object: the profile keeps its thumbprint and the store it was found in.</summary>
    public X509Certificate2? Certificate { get; set; }

    /// <summary>-ManagedIdentity.</summary>
    public bool ManagedIdentity { get; set; }

    public string? ManagedIdentityId { get; set; }

    public ManagedIdentityIdKind? ManagedIdentityIdKind { get; set; }

    public bool DeviceCode { get; set; }

    public bool Interactive { get; set; }

    /// <summary>The SecretManagement secret's name.</summary>
    public string? SecretName { get; set; }

    /// <summary>The SecretManagement vault of <see cref="SecretName"/>.</summary>
    public string? Vault { get; set; }

    /// <summary>-AllowNonMicrosoftHost:$true or :$false; null: keep the stored choice.</summary>
    public bool? AllowNonMicrosoftHost { get; set; }

    /// <summary>-AllowUnprotectedSecret: the secret may be kept in a file only the user can read where DPAPI is absent.</summary>
    public bool AllowUnprotectedSecret { get; set; }

    public string? Mailbox { get; set; }

    public CloudName? Cloud { get; set; }

    /// <summary>An SMTP host override; an empty string goes back to the cloud's.</summary>
    public string? SmtpServer { get; set; }

    public int? Port { get; set; }

    /// <summary>A sign-in host override; an empty string goes back to the cloud's.</summary>
    public string? AuthorityHost { get; set; }

    /// <summary>A scope override; an empty string goes back to the derived one.</summary>
    public string? Scope { get; set; }

    public int? TokenGraceSeconds { get; set; }

    private bool SecretGiven => ClientSecret is not null || CredentialPassword is not null || CertificatePassword is not null;

    /// <summary>
    /// Applies these settings to <paramref name="profile"/> (a fresh profile for New-, a copy for Set-), checks the
    /// result, and returns the secret to store (null: keep the stored one, or none). The caller disposes it.
    /// </summary>
    /// <exception cref="OAuthSmtpException">Bad input (conflicting credentials, a malformed value); the stored profile is untouched.</exception>
    public SecretMaterial? ApplyTo(SmtpOAuthProfile profile, bool isNew)
    {
        if (profile is null)
        {
            throw new ArgumentNullException(nameof(profile));
        }

        if (TenantId is not null)
        {
            profile.TenantId = TenantId;
        }

        ApplyClientId(profile);
        var previousKind = profile.CredentialKind;
        var request = new CredentialRequest
        {
            ClientSecret = ClientSecret is not null,
            Credential = CredentialUserName is not null || CredentialPassword is not null,
            CertificateThumbprint = CertificateThumbprint is not null,
            CertificateStoreLocation = CertificateStoreLocation is not null,
            CertificatePath = CertificatePath is not null,
            CertificatePassword = CertificatePassword is not null,
            Certificate = Certificate is not null,
            ManagedIdentity = ManagedIdentity,
            ManagedIdentityId = ManagedIdentityId is not null || ManagedIdentityIdKind is not null,
            DeviceCode = DeviceCode,
            Interactive = Interactive,
            SecretName = SecretName is not null || Vault is not null,
        };
        profile.CredentialKind = request.SelectKind(isNew ? null : profile.CredentialKind);
        ApplyCredentialDetails(profile, previousKind, isNew);

        if (Mailbox is not null)
        {
            profile.Mailbox = Mailbox;
        }

        if (Cloud is { } cloud)
        {
            profile.Cloud = cloud;
        }

        ApplyEndpointOverrides(profile);
        if (AllowNonMicrosoftHost is { } allow)
        {
            profile.AllowNonMicrosoftHost = allow;
        }

        if (TokenGraceSeconds is { } grace)
        {
            profile.TokenGraceSeconds = grace;
        }

        // Check now, on a copy, so bad input fails before -WhatIf/-Confirm and before anything is written.
        ProfileValidator.Normalize(profile.Clone());

        var secret = ClientSecret ?? CredentialPassword ?? CertificatePassword;
        return secret is null ? null : new SecretMaterial(secret, AllowUnprotectedSecret);
    }

    private void ApplyClientId(SmtpOAuthProfile profile)
    {
        Guid? fromCredential = CredentialUserName is null ? null : ProfileValidator.ParseClientId(CredentialUserName);
        if (ClientId is not null)
        {
            var clientId = ProfileValidator.ParseClientId(ClientId);
            if (fromCredential is not null && fromCredential != clientId)
            {
                throw new OAuthSmtpException(
                    ErrorIds.InvalidClientId,
                    ErrorKind.InvalidArgument,
                    $"-Credential names client id {fromCredential}, and -ClientId names {clientId}.",
                    "Give the same client id in both, or leave -ClientId out when -Credential carries it.",
                    ClientId);
            }

            profile.ClientId = clientId;
        }
        else if (fromCredential is not null)
        {
            profile.ClientId = fromCredential.Value;
        }
    }

    private void ApplyCredentialDetails(SmtpOAuthProfile profile, CredentialKind previousKind, bool isNew)
    {
        if (CertificateThumbprint is not null)
        {
            profile.CertificateThumbprint = CertificateThumbprint;
        }

        if (Certificate is not null)
        {
            profile.CertificateThumbprint = Certificate.Thumbprint;
            profile.CertificateStoreLocation = CertificateStoreLocation ?? CertificateStoreLookup.FindStoreLocation(Certificate);
        }

        if (CertificateStoreLocation is not null)
        {
            profile.CertificateStoreLocation = CertificateStoreLocation;
        }

        if (CertificatePath is not null)
        {
            profile.CertificatePath = CertificatePath;
        }

        if (ManagedIdentityId is not null)
        {
            profile.ManagedIdentityId = ManagedIdentityId;
        }

        if (ManagedIdentityIdKind is not null || (ManagedIdentityId is not null && profile.ManagedIdentityIdKind is null))
        {
            profile.ManagedIdentityIdKind = ManagedIdentityIdKind ?? Profiles.ManagedIdentityIdKind.ClientId;
        }

        // A user-assigned identity named by its client id is that client: the profile needs no separate -ClientId.
        if (profile.CredentialKind == CredentialKind.UserManagedIdentity
            && profile.ManagedIdentityIdKind == Profiles.ManagedIdentityIdKind.ClientId
            && profile.ClientId == Guid.Empty
            && Guid.TryParse(profile.ManagedIdentityId, out var identityClientId))
        {
            profile.ClientId = identityClientId;
        }

        if (SecretName is not null)
        {
            profile.SecretName = SecretName;
            profile.Vault = Vault;
        }
        else if (Vault is not null)
        {
            if (profile.SecretName is null)
            {
                throw new OAuthSmtpException(
                    ErrorIds.ConflictingCredentials,
                    ErrorKind.InvalidArgument,
                    "-Vault names the vault of -SecretName, and no secret name was given.",
                    "Give -SecretName together with -Vault.",
                    Vault);
            }

            profile.Vault = Vault;
        }
        else if (SecretGiven || (!isNew && profile.CredentialKind != previousKind))
        {
            // A secret given here replaces the vault reference; a new credential kind never inherits it.
            profile.SecretName = null;
            profile.Vault = null;
        }
    }

    private void ApplyEndpointOverrides(SmtpOAuthProfile profile)
    {
        if (SmtpServer is not null)
        {
            profile.SmtpServer = SmtpServer;
            profile.Overrides = Toggle(profile.Overrides, ProfileOverrides.SmtpServer, SmtpServer.Length > 0);
        }

        if (Port is { } port)
        {
            profile.Port = port;
            profile.Overrides |= ProfileOverrides.Port;
        }

        if (AuthorityHost is not null)
        {
            if (AuthorityHost.Length == 0)
            {
                profile.Overrides &= ~ProfileOverrides.AuthorityHost;
            }
            else
            {
                profile.AuthorityHost = ProfileValidator.ParseAuthorityHost(AuthorityHost);
                profile.Overrides |= ProfileOverrides.AuthorityHost;
            }
        }

        if (Scope is not null)
        {
            profile.Scope = Scope;
            profile.Overrides = Toggle(profile.Overrides, ProfileOverrides.Scope, Scope.Length > 0);
        }
    }

    private static ProfileOverrides Toggle(ProfileOverrides overrides, ProfileOverrides flag, bool on) =>
        on ? overrides | flag : overrides & ~flag;
}
