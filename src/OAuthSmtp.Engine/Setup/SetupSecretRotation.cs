using System;
using System.Threading;
using OAuthSmtp.Engine.Profiles;
using OAuthSmtp.Engine.Setup.Entra;
using OAuthSmtp.Engine.Setup.Probes;
using OAuthSmtp.Engine.Setup.Rotation;

namespace OAuthSmtp.Engine.Setup;

/// <summary>
/// How -Fix replaces an expired client secret: through <see cref="CredentialRotator"/>, exactly as
/// Update-SmtpOAuthCredential does without -RemoveOld. A new secret (<see cref="Lifetime"/>) is added with the admin's
/// Graph rights, proven (a token, then SMTP AUTH, nothing sent) and stored where the profile keeps its secret. The
/// expired secret stays in the app: it signs nothing in any more, and removing a credential is a decision -Fix leaves
/// to the admin (Update-SmtpOAuthCredential -RemoveOld at the next rotation, or the portal). The PowerShell layer
/// supplies what only it has: the profile store and vault, the token provider, and re-reading the profile afterwards.
/// </summary>
public sealed class SetupSecretRotation
{
    private readonly Func<IGraphAdmin, CredentialRotationServices> _services;
    private readonly string? _currentSecret;
    private readonly Func<string, (SmtpOAuthProfile Profile, ISetupTokenSource Tokens)> _reload;

    /// <param name="services">The rotation's services over the given Graph session.</param>
    /// <param name="currentSecret">The profile's secret now (its first characters find the old one among the app's).</param>
    /// <param name="reload">Reads the profile (by name) and its new secret again, as the next check must use them.</param>
    public SetupSecretRotation(Func<IGraphAdmin, CredentialRotationServices> services, string? currentSecret, Func<string, (SmtpOAuthProfile Profile, ISetupTokenSource Tokens)> reload)
    {
        _services = services ?? throw new ArgumentNullException(nameof(services));
        _currentSecret = currentSecret;
        _reload = reload ?? throw new ArgumentNullException(nameof(reload));
    }

    /// <summary>How long the new secret is valid (Update-SmtpOAuthCredential's default).</summary>
    public TimeSpan Lifetime { get; set; } = TimeSpan.FromDays(365);

    /// <summary>How long the proof waits for Entra ID to replicate the new secret.</summary>
    public TimeSpan ProofTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Wait between two tries of the new secret.</summary>
    public TimeSpan ProofInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Adds, proves and stores the new secret; the admin already confirmed the fix, so the rotation asks nothing more.</summary>
    /// <exception cref="Errors.OAuthSmtpException">CredentialProofFailed (nothing changed), GraphRequestFailed, …</exception>
    public CredentialRotationResult Rotate(IGraphAdmin graph, SmtpOAuthProfile profile, Action<string> verbose, CancellationToken cancellationToken)
    {
        var rotator = new CredentialRotator(_services(graph), new CredentialRotationHost { ShouldProcess = (_, _) => true, Verbose = verbose, Warning = verbose });
        var request = new CredentialRotationRequest(profile, _currentSecret, null)
        {
            Lifetime = Lifetime,
            RemoveOld = false,
            ProofTimeout = ProofTimeout,
            ProofInterval = ProofInterval,
        };
        return rotator.Rotate(request, cancellationToken) ?? throw new InvalidOperationException("The rotation asked again and was declined.");
    }

    /// <summary>The profile and its tokens as stored now (after a rotation).</summary>
    public (SmtpOAuthProfile Profile, ISetupTokenSource Tokens) Reload(string profileName) => _reload(profileName);
}
