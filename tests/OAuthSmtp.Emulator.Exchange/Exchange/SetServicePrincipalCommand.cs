using System.Management.Automation;

namespace OAuthSmtp.Emulator.PowerShell.Exchange;

/// <summary>Set-ServicePrincipal: only DisplayName can change (a wrong AppId/ObjectId needs Remove- and New-).</summary>
[Cmdlet(VerbsCommon.Set, "ServicePrincipal", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
public sealed class SetServicePrincipalCommand : ExchangeCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Identity { get; set; } = "";

    [Parameter]
    public string? DisplayName { get; set; }

    protected override void ProcessRecord()
    {
        var sp = ResolveServicePrincipal(Identity);
        if (sp is null || DisplayName is null) return;
        if (!ShouldProcess(sp.ObjectId, $"Set DisplayName to '{DisplayName}'")) return;
        lock (Tenant.SyncRoot)
        {
            sp.DisplayName = DisplayName;
        }
    }
}
