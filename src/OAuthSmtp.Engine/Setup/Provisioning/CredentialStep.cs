using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using OAuthSmtp.Engine.Errors;
using OAuthSmtp.Engine.Profiles;
using OAuthSmtp.Engine.Secrets;
using OAuthSmtp.Engine.Setup.Entra;

namespace OAuthSmtp.Engine.Setup.Provisioning;

/// <summary>
/// The app's credential: a client secret (addPassword, lifetime -CredentialLifetime, value kept only in the profile's
/// protected secret), or a new self-signed certificate (private key in the CurrentUser store on Windows, else an
/// owner-only .pfx whose password is the profile's protected secret; the public key is uploaded in keyCredentials).
/// A credential this command made earlier for the same profile, still valid for 30 days, is kept.
/// </summary>
internal static class CredentialStep
{
    private static readonly TimeSpan KeepIfValidFor = TimeSpan.FromDays(30);

    /// <summary>The credential's display name in Entra ID, which tells a later run (and an admin) whose it is.</summary>
    public static string CredentialName(ProvisioningRequest request) => CredentialName(request.ProfileName);

    /// <summary>The same for a profile name (Update-SmtpOAuthCredential makes its certificates exactly as this step does).</summary>
    public static string CredentialName(string profileName) => $"OAuthSmtp profile {profileName}";

    /// <summary>Where this module writes the .pfx files it makes (next to the profiles), unless told otherwise.</summary>
    public static string CertificatesFolder(ProfileStore store) => Path.Combine(store.Directory, "certificates");

    public static void Run(ProvisioningRun run, SmtpOAuthProfile? existing)
    {
        const string step = ProvisioningStepNames.Credential;
        var request = run.Request;
        if (request.IsManagedIdentity)
        {
            run.Skipped(step, "A managed identity needs no secret or certificate: Azure gives it tokens.");
            return;
        }

        var app = EntraAppSteps.IsNew(run.ApplicationObjectId)
            ? default
            : Read(run, step, $"applications/{run.ApplicationObjectId}?$select=id,passwordCredentials,keyCredentials");
        if (request.CredentialType == ProvisioningCredentialType.Certificate)
        {
            Certificate(run, step, app, existing);
        }
        else
        {
            Secret(run, step, app, existing);
        }
    }

    private static void Secret(ProvisioningRun run, string step, JsonElement app, SmtpOAuthProfile? existing)
    {
        var request = run.Request;
        var name = CredentialName(request);
        var kept = GraphJson.Array(app, "passwordCredentials")
            .Where(c => string.Equals(GraphJson.Text(c, "displayName"), name, StringComparison.Ordinal) && GraphJson.Date(c, "endDateTime") > run.UtcNow + KeepIfValidFor)
            .OrderByDescending(c => GraphJson.Date(c, "endDateTime"))
            .FirstOrDefault();
        var profileHoldsIt = request.Delegated
            || (existing is not null && existing.CredentialKind == CredentialKind.ClientSecret && string.Equals(existing.ClientId.ToString(), run.AppId, StringComparison.OrdinalIgnoreCase) && HasStoredSecret(run, existing));
        if (kept.ValueKind == JsonValueKind.Object && profileHoldsIt)
        {
            run.SecretId = GraphJson.Text(kept, "keyId");
            run.CredentialEndDate = GraphJson.Date(kept, "endDateTime");
            run.Unchanged(step, $"The client secret '{name}' (id {run.SecretId}) is valid until {run.CredentialEndDate:yyyy-MM-dd}" + (request.Delegated ? "." : " and kept in the profile."));
            return;
        }

        var end = run.UtcNow + request.CredentialLifetime;
        var add = GraphRequest.Post(
            $"applications/{run.ApplicationObjectId}/addPassword",
            new Dictionary<string, object> { ["passwordCredential"] = new Dictionary<string, string> { ["displayName"] = name, ["endDateTime"] = end.UtcDateTime.ToString("o", System.Globalization.CultureInfo.InvariantCulture) } });
        run.CredentialEndDate = end;
        run.Change(step, $"app {run.AppId}", $"Add the client secret '{name}', valid until {end:yyyy-MM-dd}", new[] { add.ToString() }, () =>
        {
            using var created = run.Write(add).Json();
            var value = GraphJson.Text(created.RootElement, "secretText");
            if (string.IsNullOrEmpty(value))
            {
                throw new OAuthSmtpException(ErrorIds.GraphRequestFailed, ErrorKind.InvalidData, "Graph created the secret but returned no value (secretText).", "Remove the secret under Certificates & secrets and run the command again.");
            }

            run.SecretValue = Secure(value!);
            run.SecretId = GraphJson.Text(created.RootElement, "keyId");
            run.CredentialEndDate = GraphJson.Date(created.RootElement, "endDateTime") ?? end;
        });
    }

    private static void Certificate(ProvisioningRun run, string step, JsonElement app, SmtpOAuthProfile? existing)
    {
        var request = run.Request;
        var keys = GraphJson.Array(app, "keyCredentials");
        var current = existing is not null && string.Equals(existing.ClientId.ToString(), run.AppId, StringComparison.OrdinalIgnoreCase) ? ProfileThumbprint(run, existing) : null;
        var kept = current is null ? default : keys.FirstOrDefault(k => string.Equals(GraphJson.KeyCredentialThumbprint(k), current, StringComparison.OrdinalIgnoreCase) && StillValid(run, GraphJson.Date(k, "endDateTime")));
        if (current is not null && kept.ValueKind == JsonValueKind.Object)
        {
            run.CertificateThumbprint = current;
            run.CertificatePath = existing!.CertificatePath;
            run.CredentialEndDate = GraphJson.Date(kept, "endDateTime");
            run.Unchanged(step, $"The certificate {current} is uploaded to the app and kept by the profile" + (run.CredentialEndDate is { } until ? $", valid until {until:yyyy-MM-dd}." : "."));
            return;
        }

        var notAfter = run.UtcNow + request.CredentialLifetime;
        var path = request.UseCertificateStore ? null : Path.Combine(request.CertificateDirectory ?? CertificatesFolder(run.Services.Profiles), request.ProfileName + ".pfx");
        var patch = $"PATCH /v1.0/applications/{run.ApplicationObjectId} (keyCredentials: the new certificate's public key)";
        var keep = path is null ? "Import the private key into Cert:\\CurrentUser\\My" : $"Write the private key to {path} (readable only by you, password kept in the profile)";
        run.CredentialEndDate = notAfter;
        run.Change(step, $"app {run.AppId}", $"Create a self-signed certificate 'CN={CredentialName(request)}' valid until {notAfter:yyyy-MM-dd}; {keep}; upload its public key", new[] { keep, patch }, () =>
        {
            using var certificate = SelfSignedCertificate.Create(CredentialName(request), run.UtcNow.AddMinutes(-5), notAfter);
            certificate.KeepPrivateKey(path);
            run.Write(AppKeyCredentials.Write(run.ApplicationObjectId!, keys, certificate, "CN=" + CredentialName(request)));
            run.CertificateThumbprint = certificate.Thumbprint;
            run.CertificatePath = path;
            run.CertificatePassword = path is null ? null : Secure(certificate.Password);
        });
    }

    private static bool StillValid(ProvisioningRun run, DateTimeOffset? end) => end is null || end > run.UtcNow + KeepIfValidFor;

    /// <summary>The thumbprint of the certificate the profile signs with, when the profile can still load it.</summary>
    private static string? ProfileThumbprint(ProvisioningRun run, SmtpOAuthProfile profile)
    {
        try
        {
            if (profile.CredentialKind == CredentialKind.CertificateThumbprint && profile.CertificateThumbprint is { } thumbprint)
            {
                using var store = new X509Store(StoreName.My, StoreLocation.CurrentUser);
                store.Open(OpenFlags.ReadOnly);
                return store.Certificates.Find(X509FindType.FindByThumbprint, thumbprint, false).Count > 0 ? thumbprint.ToUpperInvariant() : null;
            }

            if (profile.CredentialKind == CredentialKind.CertificateFile && profile.CertificatePath is { } path && File.Exists(path))
            {
                using var password = run.Services.Profiles.ReadSecret(profile);
#pragma warning disable SYSLIB0057 // netstandard2.0 has no X509CertificateLoader
                using var certificate = password is null ? new X509Certificate2(path) : new X509Certificate2(path, password);
#pragma warning restore SYSLIB0057
                return certificate.Thumbprint.ToUpperInvariant();
            }
        }
        catch (Exception ex) when (ex is System.Security.Cryptography.CryptographicException || ex is OAuthSmtpException || ex is IOException)
        {
            run.Host.Verbose("The profile's certificate could not be loaded; a new one will be made: " + ex.Message);
        }

        return null;
    }

    private static bool HasStoredSecret(ProvisioningRun run, SmtpOAuthProfile profile)
    {
        try
        {
            using var secret = run.Services.Profiles.ReadSecret(profile);
            return secret is not null && secret.Length > 0;
        }
        catch (OAuthSmtpException)
        {
            return false;
        }
    }

    private static JsonElement Read(ProvisioningRun run, string step, string path)
    {
        using var document = run.Read(step, GraphRequest.Get(path)).Json();
        return document.RootElement.Clone();
    }

    private static SecureString Secure(string value)
    {
        var secure = new SecureString();
        foreach (var c in value)
        {
            secure.AppendChar(c);
        }

        secure.MakeReadOnly();
        return secure;
    }
}
