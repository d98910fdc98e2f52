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
}
