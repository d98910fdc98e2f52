using System;
using System.IO;
using System.Linq;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace OAuthSmtp.Emulator;

/// <summary>
/// The emulator's own certificate authority: an RSA root created in memory once per process, and the server
/// certificate it issues for localhost and 127.0.0.1 (token service, Graph, SMTP STARTTLS). Nothing disables
/// certificate validation anywhere: clients trust the emulator because the test process trusts this root.
/// </summary>
public sealed class EmulatorCertificateAuthority
{
    /// <summary>Every emulator root's common name starts so; each process adds its own suffix.</summary>
    public const string RootNamePrefix = "OAuthSmtp Emulator Test Root CA";

    private static readonly Lazy<EmulatorCertificateAuthority> Shared = new(() => new EmulatorCertificateAuthority());
    private readonly object _trustGate = new();
    private bool _trusted;

    private EmulatorCertificateAuthority()
    {
        var now = DateTimeOffset.UtcNow;
        using (var rootKey = RSA.Create(2048))
        {
            // A name of its own per process: roots of earlier runs stay in the test store until they expire, and a
            // chain builder that matched by name alone could pick one of them and fail the signature check.
            var subject = $"CN={RootNamePrefix} {Convert.ToHexString(RandomNumberGenerator.GetBytes(4))}, O=OAuthSmtp tests";
            var request = new CertificateRequest(subject, rootKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
            request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
            request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
            // Short-lived on purpose: a root left behind in the test home expires within days.
            RootCertificate = request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(3));
        }

        using var serverKey = RSA.Create(2048);
        var serverRequest = new CertificateRequest("CN=localhost", serverKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        serverRequest.CertificateExtensions.Add(names.Build());
        serverRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        serverRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        serverRequest.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(RootCertificate, true, false));
        serverRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(new OidCollection { new Oid("1.3.6.1.5.5.7.3.1") }, false));
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        using var issued = serverRequest.Create(RootCertificate, now.AddMinutes(-5), now.AddDays(2), serial);
        ServerCertificate = issued.CopyWithPrivateKey(serverKey);
    }

    /// <summary>The per-process authority.</summary>
    public static EmulatorCertificateAuthority Instance => Shared.Value;

    /// <summary>The root (with its private key, which never leaves the process).</summary>
    public X509Certificate2 RootCertificate { get; }

    /// <summary>The server certificate for localhost / 127.0.0.1, with its private key.</summary>
    public X509Certificate2 ServerCertificate { get; }

    /// <summary>
    /// Adds the root (public part only) to the CurrentUser Root store so default certificate validation accepts the
    /// emulator. Refuses unless <see cref="TestEnvironment.UseIsolatedHome"/> is in force and the store really lives
    /// under it: the real user's trust store must never see this CA. Removes expired emulator roots left by earlier runs.
    /// </summary>
    public void TrustInCurrentUserRootStore()
    {
        lock (_trustGate)
        {
            if (_trusted)
            {
                return;
            }

            var home = TestEnvironment.IsolatedHome
                ?? throw new InvalidOperationException("Call TestEnvironment.UseIsolatedHome() before trusting the emulator CA, so the real user's root store never sees it.");
            if (OperatingSystem.IsWindows())
            {
                throw new PlatformNotSupportedException("The CurrentUser Root store on Windows is the real user's; the emulator CA is trusted only on Linux and macOS.");
            }

            using var publicRoot = X509CertificateLoader.LoadCertificate(RootCertificate.RawData);
            using var store = new X509Store(StoreName.Root, StoreLocation.CurrentUser);
            store.Open(OpenFlags.ReadWrite);
            foreach (var stale in store.Certificates.Where(c => c.Subject.StartsWith("CN=" + RootNamePrefix, StringComparison.Ordinal) && c.NotAfter < DateTime.Now).ToList())
            {
                store.Remove(stale);
                stale.Dispose();
            }

            store.Add(publicRoot);

            var expectedFile = Path.Combine(home, ".dotnet", "corefx", "cryptography", "x509stores", "root", publicRoot.Thumbprint + ".pfx");
            if (OperatingSystem.IsLinux() && !File.Exists(expectedFile))
            {
                // The store was resolved before HOME moved: undo, and refuse rather than trust in the real home.
                store.Remove(publicRoot);
                throw new InvalidOperationException("The CurrentUser Root store is not under the isolated test home; call TestEnvironment.UseIsolatedHome() before any X509Store use in this process.");
            }

            _trusted = true;
        }
    }
}
