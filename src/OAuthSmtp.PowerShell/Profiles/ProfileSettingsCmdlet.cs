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
/// The parameters New-SmtpOAuthProfile and Set-SmtpOAuthProfile share. Only parameters the user actually gave
/// change anything (BoundParameters), so Set- changes exactly what was asked. The rules (which credentials combine,
/// the vault reference, the endpoint and host overrides, validation) are the engine's <see cref="ProfileSettings"/>.
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
    /// Applies the given parameters to <paramref name="profile"/> (a fresh profile for New-, a copy for Set-) by the
    /// engine's rules (<see cref="ProfileSettings"/>), and returns the secret to store (null: keep the stored one, or none).
    /// </summary>
    /// <exception cref="OAuthSmtpException">Bad input; nothing has been changed.</exception>
    protected SecretMaterial? ApplySettings(SmtpOAuthProfile profile, bool isNew) => GivenSettings().ApplyTo(profile, isNew);

    /// <summary>A short, secret-free description of where a saved profile's secret lives, for -Verbose.</summary>
    protected static string DescribeSecret(SmtpOAuthProfile profile) => ProfileSecretDescription.Describe(profile);

    /// <summary>The bound parameters only: a parameter left out stays null, so it changes nothing.</summary>
    private ProfileSettings GivenSettings() => new()
    {
        TenantId = TenantId,
        ClientId = ClientId,
        ClientSecret = ClientSecret,
        CredentialUserName = Credential?.UserName,
        CredentialPassword = Credential?.Password,
        CertificateThumbprint = CertificateThumbprint,
        CertificateStoreLocation = CertificateStoreLocation,
        CertificatePath = CertificatePath is null ? null : SessionState.Path.GetUnresolvedProviderPathFromPSPath(CertificatePath),
        CertificatePassword = CertificatePassword,
        Certificate = Certificate,
        ManagedIdentity = ManagedIdentity.IsPresent,
        ManagedIdentityId = ManagedIdentityId,
        ManagedIdentityIdKind = Given(nameof(ManagedIdentityIdKind)) ? ManagedIdentityIdKind : null,
        DeviceCode = DeviceCode.IsPresent,
        Interactive = Interactive.IsPresent,
        SecretName = SecretName,
        Vault = Vault,
        AllowNonMicrosoftHost = Given(nameof(AllowNonMicrosoftHost)) ? AllowNonMicrosoftHost.IsPresent : null,
        AllowUnprotectedSecret = AllowUnprotectedSecret.IsPresent,
        Mailbox = Mailbox,
        Cloud = Given(nameof(Cloud)) ? Cloud : null,
        SmtpServer = Given(nameof(SmtpServer)) ? SmtpServer ?? string.Empty : null,
        Port = Given(nameof(Port)) ? Port : null,
        AuthorityHost = Given(nameof(AuthorityHost)) ? AuthorityHost ?? string.Empty : null,
        Scope = Given(nameof(Scope)) ? Scope ?? string.Empty : null,
        TokenGraceSeconds = Given(nameof(TokenGraceSeconds)) ? TokenGraceSeconds : null,
    };
}
