using System;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace OAuthSmtp.Emulator.Hostile;

/// <summary>
/// Certificates a client must refuse, for <see cref="EmulatorFaults.SmtpServerCertificate"/>: one that expired
/// (issued by the trusted emulator root), one for localhost that no trusted root issued, and one issued by the
/// trusted root for another host name.
/// </summary>
public static class HostileCertificates
{
    /// <summary>The host name <see cref="WrongHost"/> is issued for.</summary>
    public const string OtherHostName = "smtp.other-host.example";

    private static readonly Lazy<X509Certificate2> ExpiredCertificate = new(() =>
        // Inside the root's own validity (it was made minutes ago) and over a minute ago.
        Issue("CN=localhost", "localhost", EmulatorCertificateAuthority.Instance.RootCertificate.NotBefore.ToUniversalTime(), DateTimeOffset.UtcNow.AddMinutes(-1)));

    private static readonly Lazy<X509Certificate2> WrongHostCertificate = new(() =>
        Issue("CN=" + OtherHostName, OtherHostName, EmulatorCertificateAuthority.Instance.RootCertificate.NotBefore.ToUniversalTime(), DateTimeOffset.UtcNow.AddDays(2)));

    private static readonly Lazy<X509Certificate2> SelfSignedCertificate = new(CreateSelfSigned);

    /// <summary>For localhost, from the trusted root, expired a minute ago.</summary>
    public static X509Certificate2 Expired => ExpiredCertificate.Value;

    /// <summary>For localhost and 127.0.0.1, signed by itself: no trusted root vouches for it.</summary>
    public static X509Certificate2 SelfSigned => SelfSignedCertificate.Value;

    /// <summary>From the trusted root, valid now, for <see cref="OtherHostName"/> only.</summary>
    public static X509Certificate2 WrongHost => WrongHostCertificate.Value;

    private static X509Certificate2 Issue(string subject, string dnsName, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        var root = EmulatorCertificateAuthority.Instance.RootCertificate;
        using var key = RSA.Create(2048);
        var request = ServerRequest(subject, dnsName, key);
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(root, true, false));
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        using var issued = request.Create(root, notBefore, notAfter, serial);
        return Exportable(issued.CopyWithPrivateKey(key));
    }

    private static X509Certificate2 CreateSelfSigned()
    {
        using var key = RSA.Create(2048);
        var request = ServerRequest("CN=localhost", "localhost", key);
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(2));
        return Exportable(created);
    }

    private static CertificateRequest ServerRequest(string subject, string dnsName, RSA key)
    {
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(dnsName);
        if (dnsName == "localhost")
        {
            names.AddIpAddress(IPAddress.Loopback);
        }

        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(new OidCollection { new Oid("1.3.6.1.5.5.7.3.1") }, false));
        return request;
    }

    // SslStream on Linux needs a key it can use for the handshake; a PKCS#12 round trip gives one.
    private static X509Certificate2 Exportable(X509Certificate2 certificate)
    {
        using (certificate)
        {
            return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
        }
    }
}
