using System.Management.Automation;

namespace OAuthSmtp.Emulator.PowerShell.Exchange;

/// <summary>Remove-ServicePrincipal: deletes Exchange's pointer; grants that name it stay behind, unresolved, as in Exchange.</summary>
[Cmdlet(VerbsCommon.Remove, "ServicePrincipal", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
public sealed class RemoveServicePrincipalCommand : ExchangeCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Identity { get; set; } = "";

    protected override void ProcessRecord()
    {
        var sp = ResolveServicePrincipal(Identity);
        if (sp is null) return;
        if (!ShouldProcess(sp.ObjectId, "Remove-ServicePrincipal")) return;
        lock (Tenant.SyncRoot)
        {
            Tenant.ExchangeServicePrincipals.Remove(sp);
        }
    }
}
