using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace OAuthSmtp.Emulator.PowerShell.Graph;

/// <summary>Get-MgContext: the current sign-in's AuthContext, or nothing when not connected (no error), as the SDK does.</summary>
[Cmdlet(VerbsCommon.Get, "MgContext")]
[OutputType(typeof(AuthContext))]
public sealed class GetMgContextCommand : PSCmdlet
{
    protected override void ProcessRecord()
    {
        var connection = GraphConnections.Current(Runspace.DefaultRunspace);
        if (connection is not null)
        {
            WriteObject(connection.Context);
        }
    }
}
