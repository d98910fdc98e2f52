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

    public ISetupTokenSource Tokens { get; }

    public ITenantDiscovery Discovery { get; }

    public ISmtpProbe Smtp { get; }

    /// <summary>Makes a Graph reader from a Graph token and Graph's base address.</summary>
    public Func<AccessToken, Uri, IEntraDirectory> DirectoryFactory { get; }

    /// <summary>The admin's Exchange Online session, or null when none is connected.</summary>
    public IExchangeAdmin? Exchange { get; set; }

    /// <summary>Why <see cref="Exchange"/> is null, when it is (shown in the skipped checks).</summary>
    public string? ExchangeUnavailableReason { get; set; }

    public Func<DateTimeOffset> UtcNow { get; set; } = () => DateTimeOffset.UtcNow;

    /// <summary>How to wait for I/O on the caller's thread; null blocks plainly.</summary>
    public ISetupWaiter? Waiter { get; set; }
}
