using System;
using System.Security.Cryptography.X509Certificates;
using OAuthSmtp.Engine.Profiles;

namespace OAuthSmtp.Engine.Tokens;

/// <summary>
/// One ask for an SMTP token: the profile (stored, or built from direct parameters), the secret material the
/// profile refers to, and how the caller can be reached (callbacks run on MSAL's threads; the cmdlet marshals
/// them to the pipeline thread).
/// </summary>
public sealed class TokenRequest
{
    public TokenRequest(SmtpOAuthProfile profile)
    {
        Profile = profile ?? throw new ArgumentNullException(nameof(profile));
    }

    public SmtpOAuthProfile Profile { get; }

    /// <summary>The client secret (ClientSecret) or the .pfx password (CertificateFile). Kept in memory only.</summary>
    public string? Secret { get; set; }

    /// <summary>A certificate given as an object (-Certificate); otherwise the profile's thumbprint or file is used.</summary>
    public X509Certificate2? Certificate { get; set; }

    /// <summary>Ignore cached tokens and ask the token service.</summary>
    public bool ForceRefresh { get; set; }

    /// <summary>
    /// Whether a person can take part (see a device code, use a browser). When false, a flow that needs one
    /// fails at once with <see cref="Errors.ErrorIds.TokenInteractionRequired"/> unless a saved sign-in works silently.
    /// </summary>
    public bool AllowUserInteraction { get; set; }

    /// <summary>Whether a web browser can be opened here (interactive flow).</summary>
    public bool BrowserAvailable { get; set; }

    /// <summary>Receives the device-code instructions ("To sign in, use a web browser to open … and enter the code …").</summary>
    public Action<string>? DeviceCodeMessage { get; set; }

    /// <summary>Receives facts about the acquisition (authority, flow, cache use, retries); never token bytes or secrets.</summary>
    public Action<string>? Verbose { get; set; }

    /// <summary>
    /// The longest the token service may take for this request, retries included (Send-SmtpOAuthMessage -TimeoutSec);
    /// null: the provider's own limits. Delegated sign-ins that wait for a person are not bounded by it.
    /// </summary>
    public TimeSpan? Timeout { get; set; }

    /// <summary>When the client secret expires, if the caller knows (quoted in the AADSTS7000222 error).</summary>
    public DateTimeOffset? SecretExpiresOn { get; set; }

    /// <summary>The same ask for another profile (another scope, say) or with another refresh choice.</summary>
    public TokenRequest With(SmtpOAuthProfile? profile = null, bool? forceRefresh = null) => new(profile ?? Profile)
    {
        Secret = Secret,
        Certificate = Certificate,
        ForceRefresh = forceRefresh ?? ForceRefresh,
        AllowUserInteraction = AllowUserInteraction,
        BrowserAvailable = BrowserAvailable,
        DeviceCodeMessage = DeviceCodeMessage,
        Verbose = Verbose,
        SecretExpiresOn = SecretExpiresOn,
        Timeout = Timeout,
    };
}
