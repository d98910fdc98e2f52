using System;
using System.Globalization;
using System.Management.Automation;
using System.Security;
using System.Security.Cryptography.X509Certificates;
using System.Threading.Tasks;
using OAuthSmtp.Engine.Errors;
using OAuthSmtp.Engine.Profiles;
using OAuthSmtp.Engine.Tokens;
using OAuthSmtp.PowerShell.Completion;
using OAuthSmtp.PowerShell.Hosting;
using OAuthSmtp.PowerShell.Profiles;
using OAuthSmtp.PowerShell.Tokens;

namespace OAuthSmtp.PowerShell.Commands;

/// <summary>
/// Get-SmtpOAuthToken: an access token for Exchange Online SMTP from a profile or from direct parameters,
/// through the module's cache; or, with -Decode, what a token you already have says and whether it can work
/// for SMTP. The token itself is output only with -AsPlainText or -AsSecureString.
/// </summary>
[Cmdlet(VerbsCommon.Get, "SmtpOAuthToken", DefaultParameterSetName = ProfileSet, HelpUri = HelpLinks.Base + "Get-SmtpOAuthToken.md")]
[OutputType(typeof(SmtpOAuthTokenInfo), typeof(string), typeof(SecureString))]
public sealed class GetSmtpOAuthTokenCommand : OAuthSmtpCmdlet
{
    private const string ProfileSet = "Profile";
    private const string ClientSecretSet = "ClientSecret";
    private const string CredentialSet = "Credential";
    private const string ThumbprintSet = "CertificateThumbprint";
    private const string CertificateFileSet = "CertificateFile";
    private const string CertificateSet = "Certificate";
    private const string ManagedIdentitySet = "ManagedIdentity";
    private const string DeviceCodeSet = "DeviceCode";
    private const string InteractiveSet = "Interactive";
    private const string DecodeSet = "Decode";
    private const int ProgressId = 5;

    #region Parameters

    /// <summary>The profile to get a token for; binds the Name of profile objects from the pipeline.</summary>
    [Parameter(ParameterSetName = ProfileSet, Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Name")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ProfileNameCompleter))]
    public string Profile { get; set; } = string.Empty;

    [Parameter(ParameterSetName = ClientSecretSet, Mandatory = true)]
    [Parameter(ParameterSetName = CredentialSet, Mandatory = true)]
    [Parameter(ParameterSetName = ThumbprintSet, Mandatory = true)]
    [Parameter(ParameterSetName = CertificateFileSet, Mandatory = true)]
    [Parameter(ParameterSetName = CertificateSet, Mandatory = true)]
    [Parameter(ParameterSetName = ManagedIdentitySet)]
    [Parameter(ParameterSetName = DeviceCodeSet, Mandatory = true)]
    [Parameter(ParameterSetName = InteractiveSet, Mandatory = true)]
    [ValidateNotNullOrEmpty]
    public string? TenantId { get; set; }

    [Parameter(ParameterSetName = ClientSecretSet, Mandatory = true)]
    [Parameter(ParameterSetName = ThumbprintSet, Mandatory = true)]
    [Parameter(ParameterSetName = CertificateFileSet, Mandatory = true)]
    [Parameter(ParameterSetName = CertificateSet, Mandatory = true)]
    [Parameter(ParameterSetName = DeviceCodeSet, Mandatory = true)]
    [Parameter(ParameterSetName = InteractiveSet, Mandatory = true)]
    [ValidateNotNullOrEmpty]
    public string? ClientId { get; set; }

    [Parameter(ParameterSetName = ClientSecretSet, Mandatory = true)]
    [ValidateNotNull]
    public SecureString? ClientSecret { get; set; }

    /// <summary>User name = client id, password = client secret.</summary>
    [Parameter(ParameterSetName = CredentialSet, Mandatory = true)]
    [ValidateNotNull]
    [Credential]
    public PSCredential? Credential { get; set; }

    [Parameter(ParameterSetName = ThumbprintSet, Mandatory = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(CertificateThumbprintCompleter))]
    public string? CertificateThumbprint { get; set; }

    [Parameter(ParameterSetName = ThumbprintSet)]
    [ValidateSet("CurrentUser", "LocalMachine")]
    public string? CertificateStoreLocation { get; set; }

    [Parameter(ParameterSetName = CertificateFileSet, Mandatory = true)]
    [ValidateNotNullOrEmpty]
    public string? CertificatePath { get; set; }

    [Parameter(ParameterSetName = CertificateFileSet)]
    public SecureString? CertificatePassword { get; set; }

    [Parameter(ParameterSetName = CertificateSet, Mandatory = true)]
    [ValidateNotNull]
    public X509Certificate2? Certificate { get; set; }

    [Parameter(ParameterSetName = ManagedIdentitySet, Mandatory = true)]
    public SwitchParameter ManagedIdentity { get; set; }

    /// <summary>A user-assigned identity's client id, resource id or object id; none means system-assigned.</summary>
    [Parameter(ParameterSetName = ManagedIdentitySet)]
    [ValidateNotNullOrEmpty]
    public string? ManagedIdentityId { get; set; }

    [Parameter(ParameterSetName = ManagedIdentitySet)]
    public ManagedIdentityIdKind ManagedIdentityIdKind { get; set; } = ManagedIdentityIdKind.ClientId;

    [Parameter(ParameterSetName = DeviceCodeSet, Mandatory = true)]
    public SwitchParameter DeviceCode { get; set; }

    [Parameter(ParameterSetName = InteractiveSet, Mandatory = true)]
    public SwitchParameter Interactive { get; set; }

    /// <summary>The mailbox (delegated: picks the saved sign-in of this user).</summary>
    [Parameter(ParameterSetName = DeviceCodeSet)]
    [Parameter(ParameterSetName = InteractiveSet)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(MailboxAddressCompleter))]
    public string? Mailbox { get; set; }

    [Parameter(ParameterSetName = ClientSecretSet)]
    [Parameter(ParameterSetName = CredentialSet)]
    [Parameter(ParameterSetName = ThumbprintSet)]
    [Parameter(ParameterSetName = CertificateFileSet)]
    [Parameter(ParameterSetName = CertificateSet)]
    [Parameter(ParameterSetName = ManagedIdentitySet)]
    [Parameter(ParameterSetName = DeviceCodeSet)]
    [Parameter(ParameterSetName = InteractiveSet)]
    [Parameter(ParameterSetName = DecodeSet)]
    public CloudName Cloud { get; set; } = CloudName.Global;

    [Parameter(ParameterSetName = ClientSecretSet)]
    [Parameter(ParameterSetName = CredentialSet)]
    [Parameter(ParameterSetName = ThumbprintSet)]
    [Parameter(ParameterSetName = CertificateFileSet)]
    [Parameter(ParameterSetName = CertificateSet)]
    [Parameter(ParameterSetName = DeviceCodeSet)]
    [Parameter(ParameterSetName = InteractiveSet)]
    [ValidateNotNullOrEmpty]
    public string? AuthorityHost { get; set; }

    [Parameter(ParameterSetName = ClientSecretSet)]
    [Parameter(ParameterSetName = CredentialSet)]
    [Parameter(ParameterSetName = ThumbprintSet)]
    [Parameter(ParameterSetName = CertificateFileSet)]
    [Parameter(ParameterSetName = CertificateSet)]
    [Parameter(ParameterSetName = ManagedIdentitySet)]
    [Parameter(ParameterSetName = DeviceCodeSet)]
    [Parameter(ParameterSetName = InteractiveSet)]
    [ValidateNotNullOrEmpty]
    public string? Scope { get; set; }

    /// <summary>Ignore the cache and ask the token service.</summary>
    [Parameter(ParameterSetName = ProfileSet)]
    [Parameter(ParameterSetName = ClientSecretSet)]
    [Parameter(ParameterSetName = CredentialSet)]
    [Parameter(ParameterSetName = ThumbprintSet)]
    [Parameter(ParameterSetName = CertificateFileSet)]
    [Parameter(ParameterSetName = CertificateSet)]
    [Parameter(ParameterSetName = ManagedIdentitySet)]
    [Parameter(ParameterSetName = DeviceCodeSet)]
    [Parameter(ParameterSetName = InteractiveSet)]
    public SwitchParameter ForceRefresh { get; set; }

    /// <summary>Explain a token you already have instead of getting one.</summary>
    [Parameter(ParameterSetName = DecodeSet, Mandatory = true)]
    public SwitchParameter Decode { get; set; }

    /// <summary>The token to decode: a string, a SecureString, or Get-SmtpOAuthToken's output.</summary>
    [Parameter(ParameterSetName = DecodeSet, Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [ValidateNotNull]
    public object? Token { get; set; }

    /// <summary>Output the token itself as a string (it then shows wherever the string goes).</summary>
    [Parameter]
    public SwitchParameter AsPlainText { get; set; }

    /// <summary>Output the token itself as a SecureString.</summary>
    [Parameter]
    public SwitchParameter AsSecureString { get; set; }

    #endregion

    #region Method overrides

    protected override void BeginProcessing()
    {
        if (AsPlainText && AsSecureString)
        {
            ThrowEngineError(new OAuthSmtpException(
                ErrorIds.TokenOutputConflict,
                ErrorKind.InvalidArgument,
                "-AsPlainText and -AsSecureString both choose how to output the token.",
                "Give only one of them; without either, the token stays hidden and its claims are output."));
        }
    }

    protected override void ProcessRecord()
    {
        if (ParameterSetName == DecodeSet)
        {
            ProcessDecode();
            return;
        }

        TokenRequest request;
        try
        {
            request = ParameterSetName == ProfileSet ? RequestFromProfile() : RequestFromParameters();
        }
        catch (OAuthSmtpException exception)
        {
            WriteEngineError(exception);
            return;
        }

        ForThisSession(request);
        request.ForceRefresh = ForceRefresh.IsPresent;

        var target = TargetOf(request.Profile);
        WriteProgress(new ProgressRecord(ProgressId, "Get-SmtpOAuthToken", $"Getting a token for {target}") { PercentComplete = -1 });
        try
        {
            var info = Streams.Run(TokenProvider.Shared.GetTokenAsync(request, CancellationToken));
            WarnAboutFindings(info);
            Emit(info);
        }
        catch (OAuthSmtpException exception)
        {
            WriteEngineError(exception);
        }
        catch (OperationCanceledException) when (CancellationToken.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
        catch (Exception exception) when (exception is not PipelineStoppedException)
        {
            WriteError(ErrorRecordFactory.CreateUnexpected(exception, "Getting a token", target));
        }
        finally
        {
            WriteProgress(new ProgressRecord(ProgressId, "Get-SmtpOAuthToken", "Done") { RecordType = ProgressRecordType.Completed });
        }
    }

    #endregion

    private void ProcessDecode()
    {
        try
        {
            var text = TokenText.From(Token);
            var info = SmtpOAuthTokenInfo.FromSuppliedToken(
                text,
                DateTimeOffset.UtcNow,
                MyInvocation.BoundParameters.ContainsKey(nameof(Cloud)) ? Cloud : null);
            WriteVerbose($"Decoded a {info.IdentityType} token for {info.Audience ?? "(no audience)"} issued to client {info.ClientId ?? "?"}; it expires at {info.ExpiresOn:u}. The signature was not checked.");
            WarnAboutFindings(info);
            Emit(info);
        }
        catch (OAuthSmtpException exception)
        {
            WriteEngineError(exception);
        }
    }

    private TokenRequest RequestFromProfile()
    {
        var resolved = ProfileResolver.Resolve(this, Profile);
        var profile = resolved.Profile;
        WriteVerbose($"Profile '{profile.Name}': {profile.CredentialKind} for client {profile.ClientId} in tenant {profile.TenantId}, {profile.Cloud} cloud, authority {profile.AuthorityHost}, scope {profile.Scope}.");
        return new TokenRequest(profile) { Secret = TokenText.Plain(resolved.Secret) };
    }

    private TokenRequest RequestFromParameters()
    {
        var parameters = new AdHocTokenParameters(ParameterSetName switch
        {
            ClientSecretSet or CredentialSet => CredentialKind.ClientSecret,
            ThumbprintSet or CertificateSet => CredentialKind.CertificateThumbprint,
            CertificateFileSet => CredentialKind.CertificateFile,
            ManagedIdentitySet => CredentialKind.SystemManagedIdentity,
            DeviceCodeSet => CredentialKind.DeviceCode,
            _ => CredentialKind.Interactive,
        })
        {
            Cloud = Cloud,
            TenantId = TenantId,
            ClientId = Credential?.UserName ?? ClientId,
            Secret = TokenText.Plain(ClientSecret ?? Credential?.Password ?? CertificatePassword),
            CertificateThumbprint = CertificateThumbprint,
            CertificateStoreLocation = CertificateStoreLocation,
            CertificatePath = CertificatePath is null ? null : SessionState.Path.GetUnresolvedProviderPathFromPSPath(CertificatePath),
            Certificate = Certificate,
            ManagedIdentityId = ManagedIdentityId,
            ManagedIdentityIdKind = MyInvocation.BoundParameters.ContainsKey(nameof(ManagedIdentityIdKind)) ? ManagedIdentityIdKind : null,
            Mailbox = Mailbox,
            AuthorityHost = AuthorityHost,
            Scope = Scope,
        };
        var request = parameters.ToTokenRequest();
        var profile = request.Profile;
        WriteVerbose($"Direct parameters: {profile.CredentialKind} for client {(profile.ClientId == Guid.Empty ? "(managed identity)" : profile.ClientId.ToString())} in tenant {(profile.TenantId.Length == 0 ? "(managed identity's own)" : profile.TenantId)}, {Cloud} cloud, scope {profile.Scope}.");
        return request;
    }

    private void WarnAboutFindings(SmtpOAuthTokenInfo info)
    {
        foreach (var finding in info.Findings)
        {
            if (finding.Severity == SmtpTokenFindingSeverity.Information)
            {
                continue;
            }

            WriteWarning(finding.Fix is null ? finding.Message : finding.Message + " Fix: " + finding.Fix);
        }
    }

    private void Emit(SmtpOAuthTokenInfo info)
    {
        if (AsPlainText)
        {
            WriteObject(info.Token.Value);
        }
        else if (AsSecureString)
        {
            WriteObject(TokenText.ToSecureString(info.Token.Value));
        }
        else
        {
            WriteObject(info);
        }
    }

    private static string TargetOf(SmtpOAuthProfile profile) =>
        profile.Name.Length > 0 ? $"profile '{profile.Name}'"
        : profile.ClientId != Guid.Empty ? $"client {profile.ClientId.ToString("D", CultureInfo.InvariantCulture)}"
        : "the managed identity";
}
