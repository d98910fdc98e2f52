using System;
using System.Management.Automation;
using System.Security;
using System.Threading;
using System.Threading.Tasks;
using OAuthSmtp.Engine.Errors;
using OAuthSmtp.Engine.Profiles;
using OAuthSmtp.Engine.Setup.Entra;
using OAuthSmtp.Engine.Setup.Probes;
using OAuthSmtp.Engine.Setup.Rotation;
using OAuthSmtp.Engine.Tokens;
using OAuthSmtp.PowerShell.Completion;
using OAuthSmtp.PowerShell.Hosting;
using OAuthSmtp.PowerShell.Profiles;
using OAuthSmtp.PowerShell.Setup;
using OAuthSmtp.PowerShell.Tokens;

namespace OAuthSmtp.PowerShell.Commands;

/// <summary>
/// Update-SmtpOAuthCredential: rotates a profile's client secret or certificate through the admin's Graph session
/// (CredentialRotator): add, prove (token + SMTP AUTH, nothing sent), store, and with -RemoveOld remove the old one.
/// </summary>
[Cmdlet(VerbsData.Update, "SmtpOAuthCredential", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, HelpUri = HelpLinks.Base + "Update-SmtpOAuthCredential.md")]
[OutputType(typeof(CredentialRotationResult))]
public sealed class UpdateSmtpOAuthCredentialCommand : OAuthSmtpCmdlet
{
    private const int ProgressId = 17_02;
    private const string Activity = "Rotating the credential";

    #region Parameters

    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Name")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ProfileNameCompleter))]
    public string Profile { get; set; } = string.Empty;

    /// <summary>Remove the profile's old secret or certificate from the app once the new one is proven.</summary>
    [Parameter]
    public SwitchParameter RemoveOld { get; set; }

    /// <summary>How long the new secret or certificate is valid (default 365 days, at most 2 years).</summary>
    [Parameter]
    public TimeSpan CredentialLifetime { get; set; } = TimeSpan.FromDays(365);

    /// <summary>Seconds to keep trying the new credential while Entra ID replicates it (default 300).</summary>
    [Parameter]
    [ValidateRange(0, 3600)]
    public int Timeout { get; set; } = 300;

    /// <summary>A Microsoft Graph token to act with instead of the Connect-MgGraph session (runbooks).</summary>
    [Parameter]
    [ValidateNotNull]
    public object? GraphAccessToken { get; set; }

    /// <summary>Microsoft Graph's address outside the public clouds (tests, proxies); a Graph token goes to no other host.</summary>
    [Parameter]
    public Uri? GraphEndpoint { get; set; }

    #endregion

    #region Method overrides

    protected override void BeginProcessing()
    {
        if (CredentialLifetime < TimeSpan.FromDays(1) || CredentialLifetime > TimeSpan.FromDays(731))
        {
            ThrowEngineError(new OAuthSmtpException(
                ErrorIds.CredentialLifetimeInvalid,
                ErrorKind.InvalidArgument,
                $"-CredentialLifetime {CredentialLifetime} is outside 1 day to 2 years (the longest the Entra portal offers, and what most tenants' policies allow).",
                "Give a lifetime such as -CredentialLifetime (New-TimeSpan -Days 180), or leave it out for 365 days."));
        }
    }

    protected override void ProcessRecord()
    {
        RunEngineCall(() =>
        {
            var resolved = ProfileResolver.Resolve(this, Profile);
            var rotator = new CredentialRotator(Services(resolved.Profile), new CredentialRotationHost
            {
                ShouldProcess = (target, action) => ShouldProcess(target, action),
                Verbose = WriteVerbose,
                Warning = WriteWarning,
                Progress = status => Streams.Progress(new ProgressRecord(ProgressId, Activity, status)),
            });
            var request = new CredentialRotationRequest(resolved.Profile, TokenText.Plain(resolved.Secret), CurrentCertificate(resolved))
            {
                Lifetime = CredentialLifetime,
                RemoveOld = RemoveOld,
                ProofTimeout = TimeSpan.FromSeconds(Timeout),
            };
            if (rotator.Rotate(request, CancellationToken) is { } result)
            {
                WriteObject(result);
            }
        }, Profile, stopOnError: false, ProgressId, Activity);
    }

    #endregion

    private CredentialRotationServices Services(SmtpOAuthProfile profile)
    {
        var graph = SetupGraphAdmin.Connect(this, GraphAccessToken, profile.Cloud, GraphEndpoint, out var whyNot) ?? throw GraphNotConnected.Because(whyNot ?? "no session");

        return new CredentialRotationServices(graph, ProfileResolver.OpenStore(), GetTokenAsync, new ExchangeSmtpProbe())
        {
            Waiter = Streams,
            SaveVaultSecret = SetupGraphAdmin.VaultSecretSaver(this),
        };
    }

    private async Task<AccessToken> GetTokenAsync(TokenRequest request, CancellationToken cancellationToken) =>
        (await TokenProvider.Shared.GetTokenAsync(ForThisSession(request), cancellationToken).ConfigureAwait(false)).Token;

    private static System.Security.Cryptography.X509Certificates.X509Certificate2? CurrentCertificate(ResolvedProfile resolved)
    {
        if (resolved.Profile.CredentialKind is not (CredentialKind.CertificateThumbprint or CredentialKind.CertificateFile))
        {
            return null;
        }

        try
        {
            return CertificateResolver.Resolve(new TokenRequest(resolved.Profile) { Secret = TokenText.Plain(resolved.Secret) }, DateTimeOffset.UtcNow);
        }
        catch (OAuthSmtpException)
        {
            // An expired or unreadable certificate is what rotation replaces; the app's list is matched by the profile's thumbprint.
            return null;
        }
    }
}
