using System.Collections.Generic;
using System.Management.Automation;
using OAuthSmtp.Emulator.Model;

namespace OAuthSmtp.Emulator.PowerShell.Exchange;

/// <summary>
/// Get-ServicePrincipal. Identity accepts Name, DN, GUID, AppId, ObjectId (and DisplayName). As documented, a $null
/// or non-existent Identity returns ALL service principals, not an error.
/// </summary>
[Cmdlet(VerbsCommon.Get, "ServicePrincipal")]
[OutputType(typeof(Output.ServicePrincipal))]
public sealed class GetServicePrincipalCommand : ExchangeCmdlet
{
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [AllowNull]
    [AllowEmptyString]
    public string? Identity { get; set; }

    [Parameter]
    public string? Organization { get; set; }

    protected override void ProcessRecord()
    {
        IReadOnlyList<ExchangeServicePrincipal> matches = IsNullOrEmptyIdentity(Identity)
            ? new List<ExchangeServicePrincipal>()
            : TenantQueries.FindServicePrincipals(Tenant, Identity!);
        lock (Tenant.SyncRoot)
        {
            var result = matches.Count > 0 ? matches : Tenant.ExchangeServicePrincipals;
            foreach (var sp in result)
            {
                WriteObject(Output.ServicePrincipal.From(Tenant, sp));
            }
        }
    }
}
