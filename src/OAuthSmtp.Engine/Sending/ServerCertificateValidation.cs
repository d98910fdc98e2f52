using System.Linq;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace OAuthSmtp.Engine.Sending;

/// <summary>
/// The SMTP server's certificate must chain to a root this computer trusts and match the host name; a revoked
/// certificate is refused. Only "revocation could not be checked" (no CRL or OCSP responder reachable, as in locked-down
/// networks) is tolerated, as browsers do; MailKit's own default would refuse every connection there. There is no
/// switch to turn validation off.
/// </summary>
internal static class ServerCertificateValidation
{
    private const X509ChainStatusFlags RevocationUnknown = X509ChainStatusFlags.RevocationStatusUnknown | X509ChainStatusFlags.OfflineRevocation;

    public static bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (errors == SslPolicyErrors.None)
        {
            return true;
        }

        if (errors != SslPolicyErrors.RemoteCertificateChainErrors || certificate is null || chain is null)
        {
            return false;
        }

        return chain.ChainStatus.All(status => (status.Status & ~RevocationUnknown) == X509ChainStatusFlags.NoError)
            && chain.ChainElements.Cast<X509ChainElement>().All(element =>
                element.ChainElementStatus.All(status => (status.Status & ~RevocationUnknown) == X509ChainStatusFlags.NoError));
    }
    /// <summary>Why a certificate was refused, in words an admin can act on (expired, untrusted, for another host).</summary>
    public static string Describe(X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors, string host)
    {
        if ((errors & SslPolicyErrors.RemoteCertificateNotAvailable) != 0 || certificate is null)
        {
            return "the server presented no certificate.";
        }

        var problems = new System.Collections.Generic.List<string>();
        using var x509 = new X509Certificate2(certificate);
        if ((errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
        {
            problems.Add($"the server's certificate is for {NamesOf(x509)}, not for {host} (check the SMTP server name in the profile, or a TLS-inspecting proxy)");
        }

        var status = chain?.ChainStatus.Aggregate(X509ChainStatusFlags.NoError, (all, s) => all | s.Status) ?? X509ChainStatusFlags.NoError;
        if ((status & X509ChainStatusFlags.NotTimeValid) != 0)
        {
            problems.Add(x509.NotAfter.ToUniversalTime() < System.DateTime.UtcNow
                ? $"the server's certificate expired on {x509.NotAfter.ToUniversalTime():u}"
                : $"the server's certificate is valid only from {x509.NotBefore.ToUniversalTime():u}");
        }

        if ((status & X509ChainStatusFlags.Revoked) != 0)
        {
            problems.Add("the server's certificate was revoked by its issuer");
        }

        if ((status & (X509ChainStatusFlags.UntrustedRoot | X509ChainStatusFlags.PartialChain)) != 0)
        {
            problems.Add(x509.Subject == x509.Issuer
                ? $"the server's certificate ({x509.Subject}) is self-signed, and this computer does not trust it"
                : $"the server's certificate was issued by '{x509.Issuer}', which this computer does not trust");
        }

        if (problems.Count == 0)
        {
            problems.Add("the server's certificate did not pass validation (" + (status == X509ChainStatusFlags.NoError ? errors.ToString() : status.ToString()) + ")");
        }

        return string.Join("; ", problems) + ".";
    }

    private static string NamesOf(X509Certificate2 certificate)
    {
        var names = certificate.GetNameInfo(X509NameType.DnsName, forIssuer: false);
        return string.IsNullOrEmpty(names) ? certificate.Subject : names;
    }
}
