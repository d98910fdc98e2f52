using System;
using System.Management.Automation;
using OAuthSmtp.Emulator.Model;

namespace OAuthSmtp.Emulator.PowerShell.Control;

/// <summary>
/// Entra tenant policies (security defaults, a conditional access policy that blocks sign-ins) and the outbound
/// protection states under which Exchange Online bounces submitted mail (answered by the emulator at end of data).
/// </summary>
[Cmdlet(VerbsCommon.Set, "EmuTenantPolicy", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(void))]
public sealed class SetEmuTenantPolicyCommand : PSCmdlet
{
    [Parameter]
    public SwitchParameter SecurityDefaults { get; set; }

    /// <summary>An enabled "block" policy for users and workload identities (AADSTS53003).</summary>
    [Parameter]
    public SwitchParameter ConditionalAccessBlock { get; set; }

    /// <summary>The whole tenant is blocked from sending (550 5.7.705 Access denied, tenant has exceeded threshold).</summary>
    [Parameter]
    public SwitchParameter TenantBlocked { get; set; }

    /// <summary>The tenant's outbound IP has low reputation (550 5.7.708 … traffic not accepted from this IP).</summary>
    [Parameter]
    public SwitchParameter LowReputationIp { get; set; }

    /// <summary>Spam abuse detected for mail from the initial *.onmicrosoft.com domain (550 5.7.501).</summary>
    [Parameter]
    public SwitchParameter InitialDomainSpamBlock { get; set; }

    /// <summary>The outbound spam policy blocks external forwarding (550 5.7.520 … AS(7555)).</summary>
    [Parameter]
    public SwitchParameter OutboundForwardingBlocked { get; set; }

    protected override void ProcessRecord()
    {
        var emulator = EmulatorSession.Get(this);
        SetOutboundState(emulator, nameof(TenantBlocked), TenantBlocked, "the tenant's outbound block", (t, on) => t.OutboundSendingBlocked = on);
        SetOutboundState(emulator, nameof(LowReputationIp), LowReputationIp, "the low-reputation outbound IP", (t, on) => t.LowReputationOutboundIp = on);
        SetOutboundState(emulator, nameof(InitialDomainSpamBlock), InitialDomainSpamBlock, "the spam block on the onmicrosoft.com domain", (t, on) => t.InitialDomainSpamBlock = on);
        SetOutboundState(emulator, nameof(OutboundForwardingBlocked), OutboundForwardingBlocked, "the external forwarding block", (t, on) => t.ExternalForwardingBlocked = on);
        if (MyInvocation.BoundParameters.ContainsKey(nameof(SecurityDefaults)) &&
            ShouldProcess($"tenant {emulator.Current.Domain}", (SecurityDefaults ? "Enable" : "Disable") + " security defaults"))
        {
            emulator.Control.SetSecurityDefaults(SecurityDefaults);
        }

        if (MyInvocation.BoundParameters.ContainsKey(nameof(ConditionalAccessBlock)) &&
            ShouldProcess($"tenant {emulator.Current.Domain}", (ConditionalAccessBlock ? "Add" : "Remove") + " the blocking conditional access policy"))
        {
            emulator.Control.SetConditionalAccessBlock(ConditionalAccessBlock);
        }
    }

    private void SetOutboundState(ExchangeOnlineEmulator emulator, string parameter, bool on, string what, Action<Tenant, bool> apply)
    {
        if (!MyInvocation.BoundParameters.ContainsKey(parameter) || !ShouldProcess($"tenant {emulator.Current.Domain}", (on ? "Turn on " : "Turn off ") + what))
        {
            return;
        }

        lock (emulator.Tenant.SyncRoot)
        {
            apply(emulator.Tenant.Tenant, on);
        }
    }
}
