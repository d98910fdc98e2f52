using System.Management.Automation;

namespace OAuthSmtp.Emulator.PowerShell.Control;

/// <summary>Entra tenant policies: security defaults and a conditional access policy that blocks sign-ins.</summary>
[Cmdlet(VerbsCommon.Set, "EmuTenantPolicy", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(void))]
public sealed class SetEmuTenantPolicyCommand : PSCmdlet
{
    [Parameter]
    public SwitchParameter SecurityDefaults { get; set; }

    /// <summary>An enabled "block" policy for users and workload identities (AADSTS53003).</summary>
    [Parameter]
    public SwitchParameter ConditionalAccessBlock { get; set; }

    protected override void ProcessRecord()
    {
        var emulator = EmulatorSession.Get(this);
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
}
