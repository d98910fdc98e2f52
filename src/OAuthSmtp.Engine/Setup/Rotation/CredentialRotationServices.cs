using System;
using System.Security;
using System.Threading;
using System.Threading.Tasks;
using OAuthSmtp.Engine.Profiles;
using OAuthSmtp.Engine.Setup.Entra;
using OAuthSmtp.Engine.Setup.Probes;
using OAuthSmtp.Engine.Tokens;

namespace OAuthSmtp.Engine.Setup.Rotation;

/// <summary>What a rotation works with: the admin's Graph, the profile store, tokens and the doctor's SMTP probe.</summary>
public sealed class CredentialRotationServices
{
    public CredentialRotationServices(IGraphAdmin graph, ProfileStore profiles, Func<TokenRequest, CancellationToken, Task<AccessToken>> getToken, ISmtpProbe smtp)
    {
        Graph = graph ?? throw new ArgumentNullException(nameof(graph));
        Profiles = profiles ?? throw new ArgumentNullException(nameof(profiles));
        GetToken = getToken ?? throw new ArgumentNullException(nameof(getToken));
        Smtp = smtp ?? throw new ArgumentNullException(nameof(smtp));
    }

    /// <summary>Microsoft Graph with the admin's rights (Connect-MgGraph session or -GraphAccessToken).</summary>
    public IGraphAdmin Graph { get; }

    public ProfileStore Profiles { get; }

    /// <summary>A fresh token for a profile and credential (the module's TokenProvider in production).</summary>
    public Func<TokenRequest, CancellationToken, Task<AccessToken>> GetToken { get; }

    /// <summary>Connect, STARTTLS, AUTH XOAUTH2, nothing sent: the doctor's handshake.</summary>
    public ISmtpProbe Smtp { get; }

    /// <summary>
    /// Keeps a new secret in a SecretManagement vault (Set-Secret, which only the PowerShell layer can run); null when
    /// no vault can be written, and a vault profile is then refused before any change.
    /// </summary>
    public Action<SmtpOAuthProfile, SecureString>? SaveVaultSecret { get; set; }

    /// <summary>Whether this system encrypts stored secrets (DPAPI); without it a new .pfx password needs the profile's earlier consent.</summary>
    public bool CanProtectSecrets { get; set; } = ProfileStore.CanProtectSecrets;

    public Func<DateTimeOffset> UtcNow { get; set; } = () => DateTimeOffset.UtcNow;

    /// <summary>Waits between two tries of the new credential (tests pass a fake clock's).</summary>
    public Action<TimeSpan, CancellationToken> Sleep { get; set; } = (delay, cancellationToken) => Task.Delay(delay, cancellationToken).GetAwaiter().GetResult();

    /// <summary>How to wait for I/O on the caller's thread; null blocks plainly.</summary>
    public ISetupWaiter? Waiter { get; set; }
}
