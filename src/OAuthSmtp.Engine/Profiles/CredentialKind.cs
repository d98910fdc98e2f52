namespace OAuthSmtp.Engine.Profiles;

/// <summary>How a profile proves who it is. Exactly one per profile.</summary>
public enum CredentialKind
{
    /// <summary>App-only, client secret.</summary>
    ClientSecret,

    /// <summary>App-only, certificate from the CurrentUser or LocalMachine store, by thumbprint.</summary>
    CertificateThumbprint,

    /// <summary>App-only, certificate from a .pfx file with its password.</summary>
    CertificateFile,

    /// <summary>App-only, system-assigned managed identity.</summary>
    SystemManagedIdentity,

    /// <summary>App-only, user-assigned managed identity (by client id, resource id or object id).</summary>
    UserManagedIdentity,

    /// <summary>Delegated (SMTP.Send), device code flow.</summary>
    DeviceCode,

    /// <summary>Delegated (SMTP.Send), interactive browser.</summary>
    Interactive,
}
