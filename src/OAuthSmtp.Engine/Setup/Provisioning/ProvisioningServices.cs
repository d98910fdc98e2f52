using System;
using OAuthSmtp.Engine.Profiles;
using OAuthSmtp.Engine.Setup.Entra;
using OAuthSmtp.Engine.Setup.Exchange;

namespace OAuthSmtp.Engine.Setup.Provisioning;

/// <summary>What the provisioner works through: the admin's Graph and Exchange sessions and the profile store.</summary>
public sealed class ProvisioningServices
{
    public ProvisioningServices(ProfileStore profiles)
    {
        Profiles = profiles ?? throw new ArgumentNullException(nameof(profiles));
    }

    /// <summary>Graph with the admin's rights; null when there is no session (<see cref="GraphUnavailableReason"/>).</summary>
    public IGraphAdmin? Graph { get; set; }

    public string? GraphUnavailableReason { get; set; }

    /// <summary>The admin's Exchange Online session; null when there is none (<see cref="ExchangeUnavailableReason"/>).</summary>
    public IExchangeAdmin? Exchange { get; set; }

    /// <summary>Whether the Exchange session has a command (the admin's Exchange role decides which it has).</summary>
    public Func<string, bool>? ExchangeHasCommand { get; set; }

    public string? ExchangeUnavailableReason { get; set; }

    public ProfileStore Profiles { get; }

    /// <summary>Whether a secret can be kept protected here (DPAPI); otherwise only with -AllowUnprotectedSecret.</summary>
    public bool CanProtectSecrets { get; set; } = ProfileStore.CanProtectSecrets;

    public Func<DateTimeOffset> UtcNow { get; set; } = () => DateTimeOffset.UtcNow;
}
