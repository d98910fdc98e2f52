using System.Management.Automation;

namespace OAuthSmtp.Emulator.PowerShell.Rehearsal;

/// <summary>Stops the tenant Start-EmuTenant started: disconnects Exchange, stops the emulator, removes its CA from the user's store.</summary>
[Cmdlet(VerbsLifecycle.Stop, "EmuTenant")]
public sealed class StopEmuTenantCommand : PSCmdlet
{
    protected override void EndProcessing()
    {
        var tenant = RehearsalTenant.Current;
        if (tenant is null)
        {
            WriteWarning("No emulated tenant is running in this session (Start-EmuTenant starts one).");
            return;
        }

        InvokeCommand.InvokeScript($"Disconnect-ExchangeOnline -Confirm:$false; Remove-Variable -Name {EmulatorSession.VariableName} -Scope Global -ErrorAction SilentlyContinue");
        tenant.Dispose();
        WriteVerbose("The emulated tenant stopped and its CA left the current user's Root store.");
    }
}
