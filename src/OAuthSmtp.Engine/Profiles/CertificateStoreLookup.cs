using System;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using OAuthSmtp.Engine.Errors;

namespace OAuthSmtp.Engine.Profiles;

/// <summary>
/// A profile refers to a certificate object by its thumbprint in a store (it never copies a private key), so a
/// certificate given as an object must be in the CurrentUser or LocalMachine "My" store.
/// </summary>
public static class CertificateStoreLookup
{
    /// <summary>"CurrentUser" or "LocalMachine": the first personal store that holds the certificate.</summary>
    /// <exception cref="OAuthSmtpException">CertificateNotInStore.</exception>
    public static string FindStoreLocation(X509Certificate2 certificate)
    {
        if (certificate is null)
        {
            throw new ArgumentNullException(nameof(certificate));
        }

        foreach (var location in new[] { StoreLocation.CurrentUser, StoreLocation.LocalMachine })
        {
            if (Contains(location, certificate.Thumbprint))
            {
                return location.ToString();
            }
        }

        throw new OAuthSmtpException(
            ErrorIds.CertificateNotInStore,
            ErrorKind.ObjectNotFound,
            $"The certificate '{certificate.Subject}' (thumbprint {certificate.Thumbprint}) is in neither the CurrentUser nor the LocalMachine personal store, and a profile stores certificates only by thumbprint.",
            "Import it first (Import-PfxCertificate -FilePath <file.pfx> -CertStoreLocation Cert:\\CurrentUser\\My), or give the .pfx file with -CertificatePath and -CertificatePassword.",
            certificate.Thumbprint);
    }

    private static bool Contains(StoreLocation location, string thumbprint)
    {
        try
        {
            using var store = new X509Store(StoreName.My, location);
            store.Open(OpenFlags.ReadOnly | OpenFlags.OpenExistingOnly);
            var found = store.Certificates.Find(X509FindType.FindByThumbprint, thumbprint, validOnly: false);
            return found.Count > 0;
        }
        catch (CryptographicException)
        {
            // The store does not exist on this system (LocalMachine\My on Linux, for a non-root user).
            return false;
        }
        catch (PlatformNotSupportedException)
        {
            return false;
        }
    }
}
