using System.Net.Http;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using OAuthSmtp.Emulator;

namespace OAuthSmtp.Engine.Tests.Sending;

/// <summary>
/// Full certificate validation (chain and host name) against this process's emulator root only. Test processes
/// running side by side each trust a root of the same name in the shared test store, and the emulator's server
/// certificate carries no authority key identifier to tell them apart, so the system chain may pick another
/// process's root. Pinning the root, not the certificate, keeps the chain and name checks real.
/// </summary>
internal static class EmulatorTrust
{
    public static bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (certificate is null || (errors & (SslPolicyErrors.RemoteCertificateNotAvailable | SslPolicyErrors.RemoteCertificateNameMismatch)) != 0)
        {
            return false;
        }

        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.Add(EmulatorCertificateAuthority.Instance.RootCertificate);
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return custom.Build(new X509Certificate2(certificate));
    }

    public static HttpClient CreateHttpClient() => new(new HttpClientHandler
    {
        ServerCertificateCustomValidationCallback = (message, certificate, chain, errors) => Validate(message, certificate, chain, errors),
    });
}
