using System;
using System.Threading;
using System.Threading.Tasks;
using OAuthSmtp.Engine.Tokens;

namespace OAuthSmtp.Engine.Setup.Probes;

/// <summary>
/// The tokens the doctor needs for a profile: the SMTP token (as Send-SmtpOAuthMessage gets it), and a Microsoft
/// Graph token from the same credential to read Entra ID where the app may. Failures are thrown as
/// OAuthSmtpExceptions already translated (AADSTS codes named, with the fix).
/// </summary>
public interface ISetupTokenSource
{
    /// <summary>A fresh SMTP token (never from the cache: the doctor checks what Entra ID issues now).</summary>
    Task<AccessToken> GetSmtpTokenAsync(CancellationToken cancellationToken);

    /// <summary>A Graph token for <paramref name="scope"/> (Graph resource + /.default), or null when this credential cannot get one (delegated, managed identity, refused).</summary>
    Task<AccessToken?> GetGraphTokenAsync(string scope, CancellationToken cancellationToken);

    /// <summary>The first three characters of the client secret (Graph shows them as the secret's hint), to find its end date; null for other credentials.</summary>
    string? ClientSecretHint { get; }

    /// <summary>When the profile's certificate expires (read from the certificate itself); null for other credentials.</summary>
    DateTimeOffset? CertificateNotAfter { get; }

    /// <summary>The profile's certificate's thumbprint (the rotation steps name the old certificate by it); null for other credentials.</summary>
    string? CertificateThumbprint { get; }
}
