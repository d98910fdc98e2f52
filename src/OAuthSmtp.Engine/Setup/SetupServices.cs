using System;
using OAuthSmtp.Engine.Setup.Entra;
using OAuthSmtp.Engine.Setup.Exchange;
using OAuthSmtp.Engine.Setup.Probes;
using OAuthSmtp.Engine.Tokens;

namespace OAuthSmtp.Engine.Setup;

/// <summary>
/// Where the doctor gets its facts. <see cref="Exchange"/> is null when no Exchange Online session is connected;
/// the Exchange checks then say how to connect and the others still run.
/// </summary>
public sealed class SetupServices
{
    public SetupServices(ISetupTokenSource tokens, ITenantDiscovery discovery, ISmtpProbe smtp, Func<AccessToken, Uri, IEntraDirectory> directoryFactory)
    {
        Tokens = tokens ?? throw new ArgumentNullException(nameof(tokens));
        Discovery = discovery ?? throw new ArgumentNullException(nameof(discovery));
        Smtp = smtp ?? throw new ArgumentNullException(nameof(smtp));
        DirectoryFactory = directoryFactory ?? throw new ArgumentNullException(nameof(directoryFactory));
    }

    /// <summary>The profile's tokens; replaced when -Fix gave the profile a new secret.</summary>
    public ISetupTokenSource Tokens { get; set; }

    public ITenantDiscovery Discovery { get; }

    public ISmtpProbe Smtp { get; }

    /// <summary>Makes a Graph reader from a Graph token and Graph's base address.</summary>
    public Func<AccessToken, Uri, IEntraDirectory> DirectoryFactory { get; }

    /// <summary>The admin's Exchange Online session, or null when none is connected.</summary>
    public IExchangeAdmin? Exchange { get; set; }

    /// <summary>Why <see cref="Exchange"/> is null, when it is (shown in the skipped checks).</summary>
    public string? ExchangeUnavailableReason { get; set; }

    /// <summary>
    /// Microsoft Graph with the ADMIN's rights (Connect-MgGraph or -GraphAccessToken), through which the Entra checks
    /// read what their fix needs and -Fix changes Entra ID; null when there is none (<see cref="GraphAdminUnavailableReason"/>).
    /// </summary>
    public IGraphAdmin? GraphAdmin { get; set; }

    /// <summary>Why <see cref="GraphAdmin"/> is null, when it is (the Fix texts name the sign-in).</summary>
    public string? GraphAdminUnavailableReason { get; set; }

    /// <summary>How -Fix rotates an expired client secret; null: it cannot here (the Fix text then names Update-SmtpOAuthCredential).</summary>
    public SetupSecretRotation? SecretRotation { get; set; }

    public Func<DateTimeOffset> UtcNow { get; set; } = () => DateTimeOffset.UtcNow;

    /// <summary>How to wait for I/O on the caller's thread; null blocks plainly.</summary>
    public ISetupWaiter? Waiter { get; set; }
}
