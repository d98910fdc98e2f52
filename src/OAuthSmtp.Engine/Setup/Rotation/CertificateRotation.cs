using System;
using System.IO;
using System.Linq;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using OAuthSmtp.Engine.Errors;
using OAuthSmtp.Engine.Profiles;
using OAuthSmtp.Engine.Setup.Provisioning;

namespace OAuthSmtp.Engine.Setup.Rotation;

/// <summary>
/// The certificate half of a rotation: a new self-signed certificate made exactly as Initialize-SmtpOAuthSetup
/// -CredentialType Certificate makes it (<see cref="SelfSignedCertificate"/>, subject "OAuthSmtp profile &lt;name&gt;"),
/// its private key kept where the profile keeps the old one (a thumbprint profile: the same certificate store; a file
/// profile: a new owner-only .pfx beside the module's others, its password in the profile's protected secret), its
/// public key added to the app's keyCredentials with the admin's Graph rights (<see cref="AppKeyCredentials"/>).
/// </summary>
internal static class CertificateRotation
{
    public static NewCredential? Add(CredentialRotationServices services, CredentialRotationHost host, CredentialRotationRequest request, AppCredentials app, string target, DateTimeOffset now, DateTimeOffset end, CancellationToken cancellationToken)
    {
        var profile = request.Profile;
        var subject = CredentialStep.CredentialName(profile.Name);
        var inStore = profile.CredentialKind == CredentialKind.CertificateThumbprint;
        var storeLocation = StoreLocationOf(profile);
        var folder = CredentialStep.CertificatesFolder(services.Profiles);
        var keep = inStore ? $"import its private key into Cert:\\{storeLocation}\\My" : $"write its private key to a new .pfx in {folder} (readable only by you, its password kept in the profile)";
        var upload = $"PATCH /v1.0/applications/{app.ObjectId} (keyCredentials: the app's {app.KeyCredentials.Count} key(s) and the new certificate's public key)";
        if (!host.ShouldProcess(target, $"Create a self-signed certificate 'CN={subject}' valid until {end:yyyy-MM-dd}; {keep}; upload its public key ({upload})"))
        {
            return null;
        }

        var certificate = SelfSignedCertificate.Create(subject, now.AddMinutes(-5), end);
        var thumbprint = certificate.Thumbprint.ToUpperInvariant();
        var path = inStore ? null : Path.Combine(folder, $"{profile.Name}-{thumbprint.Substring(0, 8)}.pfx");
        void Forget() => SelfSignedCertificate.ForgetPrivateKey(thumbprint, path, storeLocation);
        try
        {
            certificate.KeepPrivateKey(path, storeLocation);
            var write = AppKeyCredentials.Write(app.ObjectId, app.KeyCredentials, certificate, "CN=" + subject);
            services.Graph.Send(write, cancellationToken).EnsureSuccess(write);
        }
        catch (Exception failure) when (failure is OAuthSmtpException || failure is IOException || failure is UnauthorizedAccessException || failure is System.Security.Cryptography.CryptographicException)
        {
            TryForget(Forget, host);
            certificate.Dispose();
            if (failure is OAuthSmtpException)
            {
                throw;
            }

            throw new OAuthSmtpException(
                ErrorIds.CredentialKeyNotKept,
                ErrorKind.WriteError,
                $"The new certificate's private key could not be kept {(path is null ? $"in Cert:\\{storeLocation}\\My" : "in " + path)}: {failure.Message} Nothing was changed in Entra ID.",
                path is null ? "Run it as the account whose certificate store the profile uses." : $"Make {folder} writable for you, then run Update-SmtpOAuthCredential -Profile {profile.Name} again.",
                profile.Name,
                failure);
        }

        // PATCH answers 204 without the collection: the new key's id is read back by its thumbprint.
        var keyId = AppCredentials.Read(services.Graph, profile.ClientId, cancellationToken)?.Certificates
            .FirstOrDefault(c => string.Equals(c.HintOrThumbprint, thumbprint, StringComparison.OrdinalIgnoreCase))?.KeyId ?? string.Empty;
        host.Verbose($"Uploaded the certificate 'CN={subject}' (thumbprint {thumbprint}, key id {keyId}); its private key is {(path is null ? $"in Cert:\\{storeLocation}\\My" : "in " + path)}.");
        var password = path is null ? null : certificate.Password;
        var endsOn = new DateTimeOffset(certificate.Certificate.NotAfter.ToUniversalTime());
        certificate.Dispose();
        return NewCredential.ForCertificate(keyId, endsOn, thumbprint, path, password, Forget);
    }

    /// <summary>Removes one key from the app's keyCredentials (the collection as Graph has it now, less that key).</summary>
    public static void Remove(CredentialRotationServices services, AppCredentials app, string keyId, CancellationToken cancellationToken)
    {
        var keep = app.KeyCredentials.Where(k => !string.Equals(GraphJson.Text(k, "keyId"), keyId, StringComparison.OrdinalIgnoreCase)).ToList();
        if (keep.Count == app.KeyCredentials.Count)
        {
            return;
        }

        var write = AppKeyCredentials.Write(app.ObjectId, keep, added: null, addedDisplayName: null);
        services.Graph.Send(write, cancellationToken).EnsureSuccess(write);
    }

    /// <summary>
    /// After the old key left the app: its private key goes too, but only where this module made it (a .pfx in its
    /// certificates folder, or a store certificate with its subject); anything else is the admin's and stays.
    /// </summary>
    public static string? ForgetOldPrivateKey(CredentialRotationServices services, SmtpOAuthProfile old, string? oldThumbprint)
    {
        var ours = "CN=" + CredentialStep.CredentialName(old.Name);
        if (old.CredentialKind == CredentialKind.CertificateFile && old.CertificatePath is { } path)
        {
            var folder = Path.GetFullPath(CredentialStep.CertificatesFolder(services.Profiles)) + Path.DirectorySeparatorChar;
            if (!Path.GetFullPath(path).StartsWith(folder, StringComparison.Ordinal) || !File.Exists(path))
            {
                return null;
            }

            File.Delete(path);
            return path;
        }

        if (old.CredentialKind == CredentialKind.CertificateThumbprint && oldThumbprint is not null)
        {
            var location = StoreLocationOf(old);
            using var store = new X509Store(StoreName.My, location);
            store.Open(OpenFlags.ReadWrite);
            foreach (var certificate in store.Certificates.Find(X509FindType.FindByThumbprint, oldThumbprint, validOnly: false))
            {
                using (certificate)
                {
                    if (string.Equals(certificate.Subject, ours, StringComparison.Ordinal))
                    {
                        store.Remove(certificate);
                        return $"Cert:\\{location}\\My\\{oldThumbprint}";
                    }
                }
            }
        }

        return null;
    }

    private static StoreLocation StoreLocationOf(SmtpOAuthProfile profile) =>
        Enum.TryParse<StoreLocation>(profile.CertificateStoreLocation, ignoreCase: true, out var location) ? location : StoreLocation.CurrentUser;

    private static void TryForget(Action forget, CredentialRotationHost host)
    {
        try
        {
            forget();
        }
        catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is System.Security.Cryptography.CryptographicException)
        {
            host.Warning("The new certificate's private key could not be removed again: " + ex.Message);
        }
    }
}
