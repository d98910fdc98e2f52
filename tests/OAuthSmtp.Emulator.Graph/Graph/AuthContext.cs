using System;
using System.Security.Cryptography.X509Certificates;

namespace OAuthSmtp.Emulator.PowerShell.Graph;

/// <summary>
/// What Get-MgContext returns: the property names of Microsoft.Graph.PowerShell.Authentication.AuthContext (SDK v2).
/// AuthType: Delegated, AppOnly, ManagedIdentity or UserProvidedAccessToken; TokenCredentialType: InteractiveBrowser,
/// DeviceCode, ClientCertificate, ClientSecret, UserProvidedAccessToken, ManagedIdentity.
/// </summary>
public sealed class AuthContext
{
    public string? ClientId { get; set; }

    public string? TenantId { get; set; }

    public string[] Scopes { get; set; } = Array.Empty<string>();

    public string AuthType { get; set; } = "Delegated";

    public string TokenCredentialType { get; set; } = "InteractiveBrowser";

    public string? CertificateThumbprint { get; set; }

    public string? CertificateSubjectName { get; set; }

    public bool SendCertificateChain { get; set; }

    public string? Account { get; set; }

    public string? AppName { get; set; }

    public string ContextScope { get; set; } = "CurrentUser";

    public X509Certificate2? Certificate { get; set; }

    public string? PSHostVersion { get; set; }

    public string? ManagedIdentityId { get; set; }

    public System.Security.SecureString? ClientSecret { get; set; }

    public string Environment { get; set; } = "Global";
}
