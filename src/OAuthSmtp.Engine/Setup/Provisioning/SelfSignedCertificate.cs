using System;
using System.IO;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using OAuthSmtp.Engine.Profiles;
using OAuthSmtp.Engine.Secrets;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Operators;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Pkcs;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.Utilities;
using Org.BouncyCastle.X509;

namespace OAuthSmtp.Engine.Setup.Provisioning;

/// <summary>
/// A new self-signed certificate for an app's client assertion (RSA 2048, SHA-256, key usage digital signature), as
/// Entra ID accepts in keyCredentials. Built with BouncyCastle (already shipped for MimeKit) because the engine targets
/// netstandard2.0, which has no CertificateRequest. The .pfx bytes are protected by a random password.
/// </summary>
public sealed class SelfSignedCertificate : IDisposable
{
    private SelfSignedCertificate(byte[] pfx, string password, X509Certificate2 certificate)
    {
        Pfx = pfx;
        Password = password;
        Certificate = certificate;
    }

    /// <summary>The .pfx (PKCS#12) with the private key, protected by <see cref="Password"/>.</summary>
    public byte[] Pfx { get; }

    /// <summary>The .pfx password (random; kept only in the protected profile secret).</summary>
    public string Password { get; }

    /// <summary>The certificate's public part (the private key is only in <see cref="Pfx"/>).</summary>
    public X509Certificate2 Certificate { get; }

    public string Thumbprint => Certificate.Thumbprint;

    /// <summary>The public part (DER) that goes to Entra ID as keyCredentials' key.</summary>
    public byte[] PublicCertificate => Certificate.RawData;

    public static SelfSignedCertificate Create(string subject, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        var random = new SecureRandom();
        var generator = new RsaKeyPairGenerator();
        generator.Init(new KeyGenerationParameters(random, 2048));
        var keys = generator.GenerateKeyPair();

        var name = new X509Name("CN=" + subject.Replace(",", " ").Replace("=", " "));
        var builder = new X509V3CertificateGenerator();
        builder.SetSerialNumber(BigIntegers.CreateRandomInRange(BigInteger.One, BigInteger.ValueOf(long.MaxValue), random));
        builder.SetIssuerDN(name);
        builder.SetSubjectDN(name);
        builder.SetNotBefore(notBefore.UtcDateTime);
        builder.SetNotAfter(notAfter.UtcDateTime);
        builder.SetPublicKey(keys.Public);
        builder.AddExtension(X509Extensions.KeyUsage, true, new KeyUsage(KeyUsage.DigitalSignature));
        var certificate = builder.Generate(new Asn1SignatureFactory("SHA256WITHRSA", keys.Private, random));

        var password = NewPassword();
        var store = new Pkcs12StoreBuilder().Build();
        store.SetKeyEntry("key", new AsymmetricKeyEntry(keys.Private), new[] { new X509CertificateEntry(certificate) });
        using var buffer = new MemoryStream();
        store.Save(buffer, password.ToCharArray(), random);
        var pfx = buffer.ToArray();

        // The public part only: the private key stays in the .pfx bytes until the caller stores them.
        var loaded = new X509Certificate2(certificate.GetEncoded());
        return new SelfSignedCertificate(pfx, password, loaded);
    }

    /// <summary>
    /// Keeps the private key where the profile will load it: <paramref name="pfxPath"/> written atomically and readable
    /// only by the owner, or, when it is null, imported into the user's (or machine's) personal certificate store.
    /// </summary>
    public void KeepPrivateKey(string? pfxPath, StoreLocation storeLocation = StoreLocation.CurrentUser)
    {
        if (pfxPath is null)
        {
#pragma warning disable SYSLIB0057 // netstandard2.0 has no X509CertificateLoader
            using var withKey = new X509Certificate2(Pfx, Password, (storeLocation == StoreLocation.LocalMachine ? X509KeyStorageFlags.MachineKeySet : X509KeyStorageFlags.UserKeySet) | X509KeyStorageFlags.PersistKeySet);
#pragma warning restore SYSLIB0057
            using var store = new X509Store(StoreName.My, storeLocation);
            store.Open(OpenFlags.ReadWrite);
            store.Add(withKey);
            return;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(pfxPath)!);
        AtomicFile.Write(pfxPath, Pfx, temporary =>
        {
            if (UnixPermissions.Applies)
            {
                UnixPermissions.Set(temporary, UnixPermissions.OwnerReadWrite);
            }
        });
    }

    /// <summary>
    /// Takes a private key this module kept away again: the .pfx file, or the store entry with this thumbprint. Used
    /// for a key that was never proven (rotation failed) and for the old key a rotation replaced.
    /// </summary>
    public static void ForgetPrivateKey(string thumbprint, string? pfxPath, StoreLocation storeLocation = StoreLocation.CurrentUser)
    {
        if (pfxPath is not null)
        {
            if (File.Exists(pfxPath))
            {
                File.Delete(pfxPath);
            }

            return;
        }

        using var store = new X509Store(StoreName.My, storeLocation);
        store.Open(OpenFlags.ReadWrite);
        foreach (var certificate in store.Certificates.Find(X509FindType.FindByThumbprint, thumbprint, validOnly: false))
        {
            using (certificate)
            {
                store.Remove(certificate);
            }
        }
    }

    public void Dispose() => Certificate.Dispose();

    private static string NewPassword()
    {
        var bytes = new byte[24];
        using (var rng = RandomNumberGenerator.Create())
        {
            rng.GetBytes(bytes);
        }

        return Convert.ToBase64String(bytes);
    }
}
