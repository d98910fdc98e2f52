using System;

namespace OAuthSmtp.Engine.Setup.Rotation;

/// <summary>What Update-SmtpOAuthCredential did: the new credential, how it was proven, and what became of the old one.</summary>
public sealed class CredentialRotationResult
{
    public string Profile { get; internal set; } = string.Empty;

    public Guid ClientId { get; internal set; }

    /// <summary>The app registration's object id (where the credentials live).</summary>
    public string ApplicationObjectId { get; internal set; } = string.Empty;

    /// <summary>The enterprise application's object id, when the app has one.</summary>
    public string? EnterpriseAppObjectId { get; internal set; }

    /// <summary>ClientSecret or Certificate.</summary>
    public string CredentialType { get; internal set; } = string.Empty;

    /// <summary>The new secret's or certificate's key id in Entra ID (never the secret).</summary>
    public string NewCredentialId { get; internal set; } = string.Empty;

    /// <summary>The new certificate's thumbprint; null for a secret.</summary>
    public string? NewThumbprint { get; internal set; }

    public DateTimeOffset? NewEndsOn { get; internal set; }

    /// <summary>What proved the new credential: a token from Entra ID and SMTP AUTH accepted, nothing sent.</summary>
    public string Proof { get; internal set; } = string.Empty;

    /// <summary>The profile's previous credential in the app (key id), when it could be identified.</summary>
    public string? OldCredentialId { get; internal set; }

    public DateTimeOffset? OldEndsOn { get; internal set; }

    /// <summary>The old credential was removed from the app (-RemoveOld, confirmed).</summary>
    public bool OldCredentialRemoved { get; internal set; }

    /// <summary>What is left to do, if anything (remove the old credential later, other products using it).</summary>
    public string Next { get; internal set; } = string.Empty;
}
