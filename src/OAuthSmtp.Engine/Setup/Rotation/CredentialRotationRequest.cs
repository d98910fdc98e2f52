using System;
using System.Security.Cryptography.X509Certificates;
using OAuthSmtp.Engine.Profiles;

namespace OAuthSmtp.Engine.Setup.Rotation;

/// <summary>What Update-SmtpOAuthCredential was asked to do for one profile.</summary>
public sealed class CredentialRotationRequest
{
    public CredentialRotationRequest(SmtpOAuthProfile profile, string? currentSecret, X509Certificate2? currentCertificate)
    {
        Profile = profile ?? throw new ArgumentNullException(nameof(profile));
        CurrentSecret = currentSecret;
        CurrentCertificate = currentCertificate;
    }

    public SmtpOAuthProfile Profile { get; }

    /// <summary>The profile's client secret now (its first three characters find it among the app's secrets); or the .pfx password.</summary>
    public string? CurrentSecret { get; }

    /// <summary>The profile's certificate now, when it can be loaded (its thumbprint finds it among the app's certificates).</summary>
    public X509Certificate2? CurrentCertificate { get; }

    /// <summary>How long the new secret or certificate is valid (the portal allows at most 2 years).</summary>
    public TimeSpan Lifetime { get; set; } = TimeSpan.FromDays(180);

    /// <summary>Remove the profile's old credential from the app once the new one is proven.</summary>
    public bool RemoveOld { get; set; }

    /// <summary>How long to keep trying the new credential while Entra ID replicates it (AADSTS7000215 / 700027 meanwhile).</summary>
    public TimeSpan ProofTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Wait between two tries of the new credential.</summary>
    public TimeSpan ProofInterval { get; set; } = TimeSpan.FromSeconds(10);
}
