using System;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using System.Threading.Tasks;
using OAuthSmtp.Engine.Errors;
using OAuthSmtp.Engine.Profiles;
using OAuthSmtp.Engine.Tokens;

namespace OAuthSmtp.Engine.Setup.Probes;

/// <summary>
/// The doctor's tokens through the module's <see cref="TokenProvider"/>: the SMTP token exactly as Send-SmtpOAuthMessage
/// gets it (but fresh from Entra ID, so a consent given a minute ago shows), and a Graph token from the same app-only
/// credential for reading Entra ID.
/// </summary>
public sealed class ProfileSetupTokenSource : ISetupTokenSource
{
    private readonly TokenProvider _provider;
    private readonly TokenRequest _template;

    /// <param name="provider">The module's provider (its cache is shared with the other cmdlets).</param>
    /// <param name="template">The profile with its secret or certificate, and how a person may be asked (delegated flows).</param>
    public ProfileSetupTokenSource(TokenProvider provider, TokenRequest template)
    {
        _provider = provider ?? throw new ArgumentNullException(nameof(provider));
        _template = template ?? throw new ArgumentNullException(nameof(template));
    }

    public string? ClientSecretHint =>
        _template.Profile.CredentialKind == CredentialKind.ClientSecret && _template.Secret is { Length: >= 3 } secret ? secret.Substring(0, 3) : null;

    public DateTimeOffset? CertificateNotAfter =>
        ResolveCertificate() is { } certificate ? new DateTimeOffset(certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero) : null;

    public string? CertificateThumbprint => ResolveCertificate()?.Thumbprint;

    private X509Certificate2? ResolveCertificate()
    {
        if (_template.Profile.CredentialKind is not (CredentialKind.CertificateThumbprint or CredentialKind.CertificateFile) && _template.Certificate is null)
        {
            return null;
        }

        try
        {
            return _template.Certificate ?? CertificateResolver.Resolve(_template, DateTimeOffset.UtcNow);
        }
        catch (OAuthSmtpException)
        {
            // The Token step reports an unreadable certificate with its own fix.
            return null;
        }
    }

    public async Task<AccessToken> GetSmtpTokenAsync(CancellationToken cancellationToken)
    {
        var info = await _provider.GetTokenAsync(_template.With(forceRefresh: true), cancellationToken).ConfigureAwait(false);
        return info.Token;
    }

    public async Task<AccessToken?> GetGraphTokenAsync(string scope, CancellationToken cancellationToken)
    {
        // Only an app's own credential reads Graph app-only; a user or a managed identity is not asked for more rights.
        if (_template.Profile.CredentialKind is not (CredentialKind.ClientSecret or CredentialKind.CertificateThumbprint or CredentialKind.CertificateFile))
        {
            return null;
        }

        var profile = _template.Profile.Clone();
        profile.Scope = scope;
        profile.Overrides |= ProfileOverrides.Scope;
        try
        {
            var info = await _provider.GetTokenAsync(_template.With(profile, forceRefresh: false), cancellationToken).ConfigureAwait(false);
            return info.Token;
        }
        catch (OAuthSmtpException ex) when (ex.ErrorId != ErrorIds.OperationStopped)
        {
            return null;
        }
    }
}
