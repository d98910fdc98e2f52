using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace OAuthSmtp.Emulator.PowerShell.Graph;

/// <summary>Disconnect-MgGraph: forgets the sign-in and returns the context it ends; "No application to sign out from." when none.</summary>
[Cmdlet(VerbsCommunications.Disconnect, "MgGraph")]
[Alias("Disconnect-Graph")]
[OutputType(typeof(AuthContext))]
public sealed class DisconnectMgGraphCommand : PSCmdlet
{
    protected override void ProcessRecord()
    {
        var connection = GraphConnections.Current(Runspace.DefaultRunspace);
        if (connection is null)
        {
            WriteError(new ErrorRecord(new System.InvalidOperationException("No application to sign out from."), "Microsoft.Graph.PowerShell.Authentication.Cmdlets.DisconnectMgGraph", ErrorCategory.InvalidOperation, null));
            return;
        }

        GraphConnections.Remove(Runspace.DefaultRunspace);
        WriteObject(connection.Context);
    }
}
