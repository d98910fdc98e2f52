using System.Security;
using OAuthSmtp.Engine.Profiles;

namespace OAuthSmtp.PowerShell.Profiles;

/// <summary>A profile with its secret ready for use: what the token and send cmdlets need from a -Profile name.</summary>
public sealed class ResolvedProfile
{
    public ResolvedProfile(SmtpOAuthProfile profile, SecureString? secret)
    {
        Profile = profile;
        Secret = secret;
    }

    public SmtpOAuthProfile Profile { get; }

    /// <summary>
    /// The client secret (ClientSecret) or the .pfx password (CertificateFile), from DPAPI, the 0600 file or the
    /// SecretManagement vault; null when the credential kind has no secret or the .pfx has no password.
    /// </summary>
    public SecureString? Secret { get; }

    public override string ToString() => Profile.Name;
}
