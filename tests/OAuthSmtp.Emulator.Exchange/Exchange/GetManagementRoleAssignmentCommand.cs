using System;
using System.Linq;
using System.Management.Automation;
using OAuthSmtp.Emulator.Model;

namespace OAuthSmtp.Emulator.PowerShell.Exchange;

/// <summary>Get-ManagementRoleAssignment: all assignments, one by name, or those of a -Role / -RoleAssignee (a service principal).</summary>
[Cmdlet(VerbsCommon.Get, "ManagementRoleAssignment")]
[OutputType(typeof(Output.RoleAssignment))]
public sealed class GetManagementRoleAssignmentCommand : ExchangeCmdlet
{
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    public string? Identity { get; set; }

    [Parameter]
    public string? Role { get; set; }

    [Parameter]
    public string? RoleAssignee { get; set; }

    protected override void ProcessRecord()
    {
        ExchangeServicePrincipal? assignee = null;
        if (!string.IsNullOrWhiteSpace(RoleAssignee))
        {
            assignee = ResolveServicePrincipal(RoleAssignee!);
            if (assignee is null) return;
        }

        lock (Tenant.SyncRoot)
        {
            var matches = Tenant.ManagementRoleAssignments
                .Where(a => IsNullOrEmptyIdentity(Identity) || string.Equals(a.Name, Identity!.Trim(), StringComparison.OrdinalIgnoreCase) || string.Equals(a.Guid.ToString(), Identity!.Trim(), StringComparison.OrdinalIgnoreCase))
                .Where(a => string.IsNullOrWhiteSpace(Role) || string.Equals(a.Role, Role!.Trim(), StringComparison.OrdinalIgnoreCase))
                .Where(a => assignee is null || TenantQueries.TrusteeIsServicePrincipal(Tenant, a.App, assignee))
                .ToList();
            if (matches.Count == 0 && !IsNullOrEmptyIdentity(Identity))
            {
                WriteError(ExchangeErrors.NotFound(Identity!));
                return;
            }

            foreach (var assignment in matches)
            {
                WriteObject(RoleAssignments.Show(Tenant, assignment));
            }
        }
    }
}
