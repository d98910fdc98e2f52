using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace OAuthSmtp.PowerShell.Completion;

/// <summary>
/// Completes -CertificateThumbprint with the thumbprints of the certificates that have a private key in the personal
/// store (Cert:\CurrentUser\My, or LocalMachine with -CertificateStoreLocation LocalMachine), newest first, instead
/// of PowerShell's fallback of file names: [ArgumentCompleter(typeof(CertificateThumbprintCompleter))]. A store that
/// does not exist or cannot be opened offers nothing.
/// </summary>
public sealed class CertificateThumbprintCompleter : Completer
{
    protected override IEnumerable<CompletionResult> Complete(string typed, IDictionary? boundParameters)
    {
        var location = string.Equals(boundParameters?["CertificateStoreLocation"] as string, "LocalMachine", StringComparison.OrdinalIgnoreCase)
            ? StoreLocation.LocalMachine
            : StoreLocation.CurrentUser;
        var results = new List<CompletionResult>();
        try
        {
            using var store = new X509Store(StoreName.My, location);
            store.Open(OpenFlags.ReadOnly | OpenFlags.OpenExistingOnly);
            foreach (var certificate in store.Certificates.Cast<X509Certificate2>()
                         .Where(c => c.HasPrivateKey && c.Thumbprint.StartsWith(typed, StringComparison.OrdinalIgnoreCase))
                         .OrderByDescending(c => c.NotAfter))
            {
                results.Add(CompletionText.Value(certificate.Thumbprint, $"{certificate.Subject}, expires {certificate.NotAfter:yyyy-MM-dd} (Cert:\\{location}\\My)"));
            }
        }
        catch (CryptographicException)
        {
            // No such store on this system (LocalMachine\My on Linux for a non-root user): nothing to offer.
        }
        catch (PlatformNotSupportedException)
        {
        }

        return results;
    }
}
