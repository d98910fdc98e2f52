using System.Management.Automation;

namespace OAuthSmtp.Emulator.PowerShell.Control;

/// <summary>What the current scenario created: tenant, app ids and secret, mailbox, endpoints.</summary>
[Cmdlet(VerbsCommon.Get, "EmuTenant")]
[OutputType(typeof(ScenarioInfo))]
public sealed class GetEmuTenantCommand : PSCmdlet
{
    protected override void ProcessRecord() => WriteObject(EmulatorSession.Get(this).Current);
}
