using System.Management.Automation;

namespace OAuthSmtp.Emulator.PowerShell.Control;

/// <summary>Rebuilds the emulated tenant in a scenario; clears faults, statistics, delivered mail and the clock.</summary>
[Cmdlet(VerbsCommon.Reset, "EmuTenant", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(ScenarioInfo))]
public sealed class ResetEmuTenantCommand : PSCmdlet
{
    [Parameter(Position = 0)]
    public Scenario Scenario { get; set; } = Scenario.Ready;

    protected override void ProcessRecord()
    {
        var emulator = EmulatorSession.Get(this);
        if (ShouldProcess($"tenant {emulator.Current.Domain}", $"Reset to scenario {Scenario}"))
        {
            WriteObject(emulator.Reset(Scenario));
        }
    }
}
