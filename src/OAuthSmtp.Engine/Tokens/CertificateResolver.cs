using System;
using System.IO;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using OAuthSmtp.Engine.Errors;
using OAuthSmtp.Engine.Profiles;

namespace OAuthSmtp.Engine.Tokens;

/// <summary>
/// Finds the certificate a profile signs its client assertion with: the object given, the thumbprint in the
/// CurrentUser/LocalMachine personal store, or the .pfx file with its password. A certificate that cannot sign
/// (no private key, expired, wrong password) is reported here, before Entra would refuse it with AADSTS700027.
/// </summary>
internal static class CertificateResolver
{
    public static X509Certificate2 Resolve(TokenRequest request, DateTimeOffset now)
    {
        var profile = request.Profile;
        var certificate = profile.CredentialKind switch
        {
            CredentialKind.CertificateFile => request.Certificate ?? LoadFile(profile, request.Secret),
            _ => request.Certificate ?? FindInStore(profile),
        };

        try
        {
            EnsureUsable(certificate, profile, now);
        }
        catch when (!ReferenceEquals(certificate, request.Certificate))
        {
            certificate.Dispose();
            throw;
        }

        return certificate;
    }

    /// <summary>A certificate that cannot sign (no private key) or has expired is refused before Entra would refuse it.</summary>
    public static void EnsureUsable(X509Certificate2 certificate, SmtpOAuthProfile profile, DateTimeOffset now)
    {
        if (!certificate.HasPrivateKey)
        {
            throw Unusable(
                profile,
                $"The certificate '{certificate.Subject}' (thumbprint {certificate.Thumbprint}) has no private key here, so it cannot sign the client assertion.",
                "Import the .pfx (with its private key), not the .cer: Import-PfxCertificate -FilePath <file.pfx> -CertStoreLocation Cert:\\CurrentUser\\My; or give the .pfx with -CertificatePath and -CertificatePassword.");
        }

        if (certificate.NotAfter.ToUniversalTime() <= now.UtcDateTime)
        {
            throw Unusable(
                profile,
                $"The certificate '{certificate.Subject}' (thumbprint {certificate.Thumbprint}) expired on {certificate.NotAfter.ToUniversalTime():yyyy-MM-dd}; Entra ID refuses assertions signed with it.",
                "Create a new certificate, upload its .cer to the app registration (Certificates & secrets) and point the profile at it with Set-SmtpOAuthProfile -CertificateThumbprint <thumbprint>.");
        }
    }

    private static X509Certificate2 FindInStore(SmtpOAuthProfile profile)
    {
        var thumbprint = (profile.CertificateThumbprint ?? string.Empty).Replace(" ", string.Empty).Replace(":", string.Empty).ToUpperInvariant();
        if (thumbprint.Length == 0)
        {
            throw new OAuthSmtpException(
                ErrorIds.TokenCredentialMissing,
                ErrorKind.InvalidArgument,
                $"Profile '{profile.Name}' uses a certificate by thumbprint but names no thumbprint.",
                "Set-SmtpOAuthProfile -Name <name> -CertificateThumbprint <thumbprint>.",
                Target(profile));
        }

        var locations = Enum.TryParse<StoreLocation>(profile.CertificateStoreLocation, ignoreCase: true, out var only)
            ? new[] { only }
            : new[] { StoreLocation.CurrentUser, StoreLocation.LocalMachine };
        foreach (var location in locations)
        {
            try
            {
                using var store = new X509Store(StoreName.My, location);
                store.Open(OpenFlags.ReadOnly | OpenFlags.OpenExistingOnly);
                var all = store.Certificates;
                var found = all.Find(X509FindType.FindByThumbprint, thumbprint, validOnly: false);
                var match = found.Count > 0 ? found[0] : null;

                // Each collection holds its own copies: keep the one returned, dispose the rest.
                foreach (var other in all)
                {
                    other.Dispose();
                }

                foreach (var other in found)
                {
                    if (!ReferenceEquals(other, match))
                    {
                        other.Dispose();
                    }
                }

                if (match is not null)
                {
                    return match;
                }
            }
            catch (CryptographicException)
            {
                // The store does not exist here (LocalMachine\My on Linux for a normal user): look in the next one.
            }
        }

        throw new OAuthSmtpException(
            ErrorIds.TokenCertificateNotFound,
            ErrorKind.ObjectNotFound,
            $"No certificate with thumbprint {thumbprint} is in the {string.Join(" or ", locations)} personal (My) store of the account running this ({Environment.UserName}).",
            RuntimeInformation.IsOSPlatform(OSPlatform.Windows)
                ? "Import the .pfx for this account: Import-PfxCertificate -FilePath <file.pfx> -CertStoreLocation Cert:\\CurrentUser\\My (a scheduled task's account needs its own import, or use LocalMachine and grant it the private key)."
                : "On Linux and macOS the CurrentUser store is ~/.dotnet/corefx/cryptography/x509stores/my; add the .pfx there with [System.Security.Cryptography.X509Certificates.X509Store], or use -CertificatePath with the .pfx file.",
            Target(profile));
    }

    private static X509Certificate2 LoadFile(SmtpOAuthProfile profile, string? password)
    {
        var path = profile.CertificatePath;
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new OAuthSmtpException(
                ErrorIds.TokenCredentialMissing,
                ErrorKind.InvalidArgument,
                $"Profile '{profile.Name}' uses a certificate file but names no file.",
                "Set-SmtpOAuthProfile -Name <name> -CertificatePath <file.pfx> -CertificatePassword (Read-Host -AsSecureString).",
                Target(profile));
        }

        if (!File.Exists(path))
        {
            throw new OAuthSmtpException(
                ErrorIds.TokenCertificateNotFound,
                ErrorKind.ObjectNotFound,
                $"The certificate file '{path}' does not exist or this account cannot see it.",
                "Check the path and the account's read permission, or point the profile at the file: Set-SmtpOAuthProfile -Name <name> -CertificatePath <file.pfx>.",
                Target(profile));
        }

        try
        {
            return LoadPfx(path!, password);
        }
        catch (CryptographicException ex)
        {
            throw new OAuthSmtpException(
                ErrorIds.TokenCertificateUnusable,
                ErrorKind.InvalidData,
                $"The certificate file '{path}' cannot be opened: the password is wrong, or it is not a PKCS#12 (.pfx) file with a private key.",
                "Give the .pfx password: Set-SmtpOAuthProfile -Name <name> -CertificatePassword (Read-Host -AsSecureString); export the certificate with its private key if the file is a .cer.",
                Target(profile),
                ex);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new OAuthSmtpException(
                ErrorIds.TokenCertificateUnusable,
                ErrorKind.PermissionDenied,
                $"The account {Environment.UserName} may not read the certificate file '{path}'.",
                "Grant this account read access to the file.",
                Target(profile),
                ex);
        }
    }

    /// <summary>
    /// The private key is kept in this process's memory only (EphemeralKeySet): nothing is written to the user's key
    /// store or a temporary key file, so nothing is left behind. macOS does not support ephemeral keys; there the key
    /// goes to the user's key set as before (and is released when the certificate is disposed).
    /// </summary>
    private static X509Certificate2 LoadPfx(string path, string? password)
    {
        // X509KeyStorageFlags.EphemeralKeySet (32): not named in netstandard2.0, present in .NET Core 2.0+ and .NET Framework 4.7.2+.
        const X509KeyStorageFlags ephemeralKeySet = (X509KeyStorageFlags)32;
        if (!RuntimeInformation.IsOSPlatform(OSPlatform.OSX))
        {
            try
            {
                return new X509Certificate2(path, password, ephemeralKeySet);
            }
            catch (PlatformNotSupportedException)
            {
                // An older runtime: fall through to the user's key set.
            }
        }

        return new X509Certificate2(path, password, X509KeyStorageFlags.UserKeySet);
    }

    private static OAuthSmtpException Unusable(SmtpOAuthProfile profile, string message, string fix) =>
        new(ErrorIds.TokenCertificateUnusable, ErrorKind.InvalidData, message, fix, Target(profile));

    private static object Target(SmtpOAuthProfile profile) =>
        string.IsNullOrEmpty(profile.Name) ? profile.ClientId.ToString() : profile.Name;
}
