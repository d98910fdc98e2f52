using System;
using System.Linq;
using System.Management.Automation;
using OAuthSmtp.Emulator.Model;

namespace OAuthSmtp.Emulator.PowerShell.Exchange;

/// <summary>
/// New-ServicePrincipal: registers an Entra service principal with Exchange. Like the real service it does NOT check
/// the GUIDs against Entra (michev.info), so the wrong-ObjectId mistake is accepted here and fails at SMTP AUTH.
/// </summary>
[Cmdlet(VerbsCommon.New, "ServicePrincipal", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(Output.ServicePrincipal))]
public sealed class NewServicePrincipalCommand : ExchangeCmdlet
{
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string AppId { get; set; } = "";

    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [Alias("ServiceId")]
    [ValidateNotNullOrEmpty]
    public string ObjectId { get; set; } = "";

    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? DisplayName { get; set; }

    [Parameter]
    public string? Organization { get; set; }

    protected override void ProcessRecord()
    {
        var appId = AppId.Trim();
        var objectId = ObjectId.Trim();
        lock (Tenant.SyncRoot)
        {
            // The real duplicate text is not known (EXCHANGE-FACTS 9.5); refusing a second pointer is the likely behaviour.
            var existing = Tenant.ExchangeServicePrincipals.FirstOrDefault(sp =>
                string.Equals(sp.AppId, appId, StringComparison.OrdinalIgnoreCase) || string.Equals(sp.ObjectId, objectId, StringComparison.OrdinalIgnoreCase));
            if (existing is not null)
            {
                WriteError(ExchangeErrors.AlreadyExists(
                    "ServicePrincipalAlreadyExists",
                    $"A service principal with AppId '{existing.AppId}' and ObjectId '{existing.ObjectId}' already exists. To change its ids, run Remove-ServicePrincipal -Identity {existing.ObjectId} and create it again.",
                    objectId));
                return;
            }

            if (!ShouldProcess($"AppId {appId}, ObjectId {objectId}", "New-ServicePrincipal")) return;
            var created = new ExchangeServicePrincipal
            {
                AppId = appId,
                ObjectId = objectId,
                DisplayName = DisplayName ?? "",
                EffectiveAt = Tenant.EffectiveFromNow(ChangeKind.ServicePrincipal),
            };
            Tenant.ExchangeServicePrincipals.Add(created);
            WriteObject(Output.ServicePrincipal.From(Tenant, created));
        }
    }
}
