namespace OAuthSmtp.Engine.Setup.Provisioning;

/// <summary>What the provisioned app proves itself with (-CredentialType).</summary>
public enum ProvisioningCredentialType
{
    /// <summary>A client secret with a chosen lifetime; its value goes into the profile and is shown only when asked.</summary>
    Secret,

    /// <summary>A new self-signed certificate: private key in the user's store (Windows) or a protected .pfx; public key uploaded to the app.</summary>
    Certificate,

    /// <summary>An existing managed identity gets the role; no app registration and no credential.</summary>
    ManagedIdentity,
}
