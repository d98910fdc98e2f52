using System;
using System.Linq;
using System.Security.Cryptography.X509Certificates;

namespace OAuthSmtp.Emulator;

/// <summary>
/// The emulator's root in the current user's own Root store, for as long as a person rehearses in their shell
/// (Start-EmuTenant): added on creation, removed on <see cref="Dispose"/>. HOME is never touched; on Linux and macOS
/// only .NET programs of this user (pwsh among them) read that store, on Windows the system asks before adding it.
/// </summary>
public sealed class CurrentUserRootTrust : IDisposable
{
    private readonly string _thumbprint;
    private int _removed;

    public CurrentUserRootTrust(X509Certificate2 root)
    {
        ArgumentNullException.ThrowIfNull(root);
        using var publicRoot = X509CertificateLoader.LoadCertificate(root.RawData);
        using var store = new X509Store(StoreName.Root, StoreLocation.CurrentUser);
        store.Open(OpenFlags.ReadWrite);
        // Roots of rehearsals that ended without Stop-EmuTenant (a killed shell) expire within days; drop those.
        foreach (var stale in store.Certificates.Where(c => c.Subject.StartsWith("CN=" + EmulatorCertificateAuthority.RootNamePrefix, StringComparison.Ordinal) && c.NotAfter < DateTime.Now).ToList())
        {
            store.Remove(stale);
            stale.Dispose();
        }

        store.Add(publicRoot);
        _thumbprint = publicRoot.Thumbprint;
    }

    /// <summary>Whether the root is still in the current user's store.</summary>
    public bool IsTrusted
    {
        get
        {
            using var store = new X509Store(StoreName.Root, StoreLocation.CurrentUser);
            store.Open(OpenFlags.ReadOnly);
            return store.Certificates.Find(X509FindType.FindByThumbprint, _thumbprint, validOnly: false).Count > 0;
        }
    }

    public void Dispose()
    {
        if (System.Threading.Interlocked.Exchange(ref _removed, 1) == 1)
        {
            return;
        }

        using var store = new X509Store(StoreName.Root, StoreLocation.CurrentUser);
        store.Open(OpenFlags.ReadWrite);
        foreach (var certificate in store.Certificates.Find(X509FindType.FindByThumbprint, _thumbprint, validOnly: false))
        {
            store.Remove(certificate);
            certificate.Dispose();
        }
    }
}
