using System;
using System.Management.Automation;
using OAuthSmtp.PowerShell.Completion;
using System.Security;
using System.Security.Cryptography.X509Certificates;
using OAuthSmtp.Engine.Errors;
using OAuthSmtp.Engine.Profiles;
using OAuthSmtp.Engine.Secrets;
using OAuthSmtp.PowerShell.Hosting;

namespace OAuthSmtp.PowerShell.Profiles;

/// <summary>
/// The settings New-SmtpOAuthProfile and Set-SmtpOAuthProfile share, and how they land on a profile. Only
/// parameters the user actually gave change anything (BoundParameters), so Set- changes exactly what was asked.
/// The rules themselves (one credential kind, derived endpoints, validation) are the engine's.
/// </summary>
public abstract class ProfileSettingsCmdlet : OAuthSmtpCmdlet
{
    #region Parameters

    /// <summary>Directory (tenant) id, or a verified domain such as contoso.onmicrosoft.com.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? TenantId { get; set; }

    /// <summary>Application (client) id of the app registration. Taken from -Credential's user name when left out.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ClientId { get; set; }

    [Parameter]
    [ValidateNotNull]
    public SecureString? ClientSecret { get; set; }

    /// <summary>User name: the client id; password: the client secret.</summary>
    [Parameter]
    [ValidateNotNull]
    [Credential]
    public PSCredential? Credential { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(CertificateThumbprintCompleter))]
    public string? CertificateThumbprint { get; set; }

    [Parameter]
    [ValidateSet("CurrentUser", "LocalMachine")]
    public string? CertificateStoreLocation { get; set; }

    /// <summary>A .pfx file with the certificate and its private key.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? CertificatePath { get; set; }

    [Parameter]
    [ValidateNotNull]
    public SecureString? CertificatePassword { get; set; }

    /// <summary>A certificate from the CurrentUser or LocalMachine personal store; the profile keeps its thumbprint.</summary>
    [Parameter]
    [ValidateNotNull]
    public X509Certificate2? Certificate { get; set; }

    /// <summary>The system-assigned managed identity, or a user-assigned one with -ManagedIdentityId.</summary>
    [Parameter]
    public SwitchParameter ManagedIdentity { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ManagedIdentityId { get; set; }

    /// <summary>What -ManagedIdentityId is: ClientId (default), ResourceId or ObjectId.</summary>
    [Parameter]
    public ManagedIdentityIdKind ManagedIdentityIdKind { get; set; } = ManagedIdentityIdKind.ClientId;

    /// <summary>Delegated (SMTP.Send) sign-in with a device code.</summary>
    [Parameter]
    public SwitchParameter DeviceCode { get; set; }

    /// <summary>Delegated (SMTP.Send) sign-in in a browser.</summary>
    [Parameter]
    public SwitchParameter Interactive { get; set; }

    /// <summary>The client secret or .pfx password is the SecretManagement secret of this name; nothing is stored.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? SecretName { get; set; }

    /// <summary>SecretManagement vault of -SecretName (default: the default vault).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Vault { get; set; }

    /// <summary>
    /// The admin names a host outside Microsoft's cloud on purpose (-SmtpServer, -AuthorityHost): without it the token
    /// and secret go only to the cloud's own hosts. Stored in the profile; each session warns once when it is used.
    /// </summary>
    [Parameter]
    public SwitchParameter AllowNonMicrosoftHost { get; set; }

    /// <summary>Where DPAPI is not available: store the secret in a file only this user can read.</summary>
    [Parameter]
    public SwitchParameter AllowUnprotectedSecret { get; set; }

    /// <summary>The sending mailbox (SMTP address).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(MailboxAddressCompleter))]
    public string? Mailbox { get; set; }

    /// <summary>Global (default), USGov, USGovDoD or China: sets the derived SMTP server, sign-in address and scope.</summary>
    [Parameter]
    public CloudName Cloud { get; set; } = CloudName.Global;

    /// <summary>Overrides the cloud's SMTP host; an empty string goes back to the cloud's.</summary>
    [Parameter]
    [AllowEmptyString]
    public string? SmtpServer { get; set; }

    [Parameter]
    public int Port { get; set; }

    /// <summary>Overrides the cloud's sign-in address; an empty string goes back to the cloud's.</summary>
    [Parameter]
    [AllowEmptyString]
    public string? AuthorityHost { get; set; }

    /// <summary>Overrides the derived scope; an empty string goes back to the derived one.</summary>
    [Parameter]
    [AllowEmptyString]
    public string? Scope { get; set; }

    [Parameter]
    public int TokenGraceSeconds { get; set; }

    #endregion

    private bool Given(string parameter) => MyInvocation.BoundParameters.ContainsKey(parameter);

    /// <summary>
    /// Applies the given parameters to <paramref name="profile"/> (a fresh profile for New-, a copy for Set-),
    /// checks the result, and returns the secret to store (null: keep the stored one, or none).
    /// </summary>
    /// <exception cref="OAuthSmtpException">Bad input; nothing has been changed.</exception>
    protected SecretMaterial? ApplySettings(SmtpOAuthProfile profile, bool isNew)
    {
        if (Given(nameof(TenantId)))
        {
            profile.TenantId = TenantId!;
        }

        ApplyClientId(profile);
        var previousKind = profile.CredentialKind;
        var request = new CredentialRequest
        {
            ClientSecret = Given(nameof(ClientSecret)),
            Credential = Given(nameof(Credential)),
            CertificateThumbprint = Given(nameof(CertificateThumbprint)),
            CertificateStoreLocation = Given(nameof(CertificateStoreLocation)),
            CertificatePath = Given(nameof(CertificatePath)),
            CertificatePassword = Given(nameof(CertificatePassword)),
            Certificate = Given(nameof(Certificate)),
            ManagedIdentity = ManagedIdentity.IsPresent,
            ManagedIdentityId = Given(nameof(ManagedIdentityId)) || Given(nameof(ManagedIdentityIdKind)),
            DeviceCode = DeviceCode.IsPresent,
            Interactive = Interactive.IsPresent,
            SecretName = Given(nameof(SecretName)) || Given(nameof(Vault)),
        };
        profile.CredentialKind = request.SelectKind(isNew ? null : profile.CredentialKind);
        ApplyCredentialDetails(profile, previousKind, isNew);

        if (Given(nameof(Mailbox)))
        {
            profile.Mailbox = Mailbox!;
        }

        if (Given(nameof(Cloud)))
        {
            profile.Cloud = Cloud;
        }

        ApplyEndpointOverrides(profile);
        if (Given(nameof(AllowNonMicrosoftHost)))
        {
            profile.AllowNonMicrosoftHost = AllowNonMicrosoftHost.IsPresent;
        }

        if (Given(nameof(TokenGraceSeconds)))
        {
            profile.TokenGraceSeconds = TokenGraceSeconds;
        }

        // Check now, on a copy, so bad input fails before -WhatIf/-Confirm and before anything is written.
        ProfileValidator.Normalize(profile.Clone());

        var secret = ClientSecret ?? Credential?.Password ?? CertificatePassword;
        return secret is null ? null : new SecretMaterial(secret, AllowUnprotectedSecret.IsPresent);
    }

    /// <summary>A short, secret-free description of where a saved profile's secret lives, for -Verbose.</summary>
    protected static string DescribeSecret(SmtpOAuthProfile profile) => profile.SecretProtection switch
    {
        SecretProtection.Dpapi => "secret encrypted with DPAPI for the current user",
        SecretProtection.SecretManagement => $"secret '{profile.SecretName}' resolved from SecretManagement " + (profile.Vault is null ? "(default vault)" : $"vault '{profile.Vault}'"),
        SecretProtection.Unprotected => "secret stored unencrypted in a file only the current user can read (-AllowUnprotectedSecret)",
        _ => "no stored secret",
    };

    private void ApplyClientId(SmtpOAuthProfile profile)
    {
        Guid? fromCredential = Credential is null ? null : ProfileValidator.ParseClientId(Credential.UserName);
        if (Given(nameof(ClientId)))
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
        if (Given(nameof(CertificateThumbprint)))
        {
            profile.CertificateThumbprint = CertificateThumbprint;
        }

        if (Given(nameof(Certificate)))
        {
            profile.CertificateThumbprint = Certificate!.Thumbprint;
            profile.CertificateStoreLocation = Given(nameof(CertificateStoreLocation))
                ? CertificateStoreLocation
                : CertificateStoreLookup.FindStoreLocation(Certificate);
        }

        if (Given(nameof(CertificateStoreLocation)))
        {
            profile.CertificateStoreLocation = CertificateStoreLocation;
        }

        if (Given(nameof(CertificatePath)))
        {
            profile.CertificatePath = SessionState.Path.GetUnresolvedProviderPathFromPSPath(CertificatePath);
        }

        if (Given(nameof(ManagedIdentityId)))
        {
            profile.ManagedIdentityId = ManagedIdentityId;
        }

        if (Given(nameof(ManagedIdentityIdKind)) || (Given(nameof(ManagedIdentityId)) && profile.ManagedIdentityIdKind is null))
        {
            profile.ManagedIdentityIdKind = ManagedIdentityIdKind;
        }

        // A user-assigned identity named by its client id is that client: the profile needs no separate -ClientId.
        if (profile.CredentialKind == CredentialKind.UserManagedIdentity
            && profile.ManagedIdentityIdKind == Engine.Profiles.ManagedIdentityIdKind.ClientId
            && profile.ClientId == Guid.Empty
            && Guid.TryParse(profile.ManagedIdentityId, out var identityClientId))
        {
            profile.ClientId = identityClientId;
        }

        var secretGiven = ClientSecret is not null || Credential is not null || CertificatePassword is not null;
        if (Given(nameof(SecretName)))
        {
            profile.SecretName = SecretName;
            profile.Vault = Given(nameof(Vault)) ? Vault : null;
        }
        else if (Given(nameof(Vault)))
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
        else if (secretGiven || (!isNew && profile.CredentialKind != previousKind))
        {
            // A secret given here replaces the vault reference; a new credential kind never inherits it.
            profile.SecretName = null;
            profile.Vault = null;
        }
    }

    private void ApplyEndpointOverrides(SmtpOAuthProfile profile)
    {
        if (Given(nameof(SmtpServer)))
        {
            profile.SmtpServer = SmtpServer ?? string.Empty;
            profile.Overrides = Toggle(profile.Overrides, ProfileOverrides.SmtpServer, !string.IsNullOrEmpty(SmtpServer));
        }

        if (Given(nameof(Port)))
        {
            profile.Port = Port;
            profile.Overrides |= ProfileOverrides.Port;
        }

        if (Given(nameof(AuthorityHost)))
        {
            if (string.IsNullOrEmpty(AuthorityHost))
            {
                profile.Overrides &= ~ProfileOverrides.AuthorityHost;
            }
            else
            {
                profile.AuthorityHost = ProfileValidator.ParseAuthorityHost(AuthorityHost);
                profile.Overrides |= ProfileOverrides.AuthorityHost;
            }
        }

        if (Given(nameof(Scope)))
        {
            profile.Scope = Scope ?? string.Empty;
            profile.Overrides = Toggle(profile.Overrides, ProfileOverrides.Scope, !string.IsNullOrEmpty(Scope));
        }
    }

    private static ProfileOverrides Toggle(ProfileOverrides overrides, ProfileOverrides flag, bool on) =>
        on ? overrides | flag : overrides & ~flag;
}
