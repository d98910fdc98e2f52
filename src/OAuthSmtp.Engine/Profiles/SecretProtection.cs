namespace OAuthSmtp.Engine.Profiles;

/// <summary>How a profile's secret (client secret or .pfx password) is kept.</summary>
public enum SecretProtection
{
    /// <summary>The credential kind has no secret (certificate in a store, managed identity, delegated).</summary>
    None,

    /// <summary>Encrypted with DPAPI for the current user (Windows).</summary>
    Dpapi,

    /// <summary>Only a reference to a SecretManagement vault secret is stored; resolved with Get-Secret at use time.</summary>
    SecretManagement,

    /// <summary>Stored unencrypted in a file only the user can read, because the user asked for it (-AllowUnprotectedSecret).</summary>
    Unprotected,
}
