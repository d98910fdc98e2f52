using System;
using System.Linq;
using System.Management.Automation;
using OAuthSmtp.Emulator.Model;

namespace OAuthSmtp.Emulator.PowerShell.Exchange;

/// <summary>
/// New-ManagementRoleAssignment -Role 'Application SMTP.SendAsApp' -App &lt;SP&gt; [-CustomResourceScope &lt;scope&gt;]:
/// the App-RBAC route (RBAC-SMTP-DOC). -App takes the ObjectId (= ServiceId) or any other identity of the service principal.
/// </summary>
[Cmdlet(VerbsCommon.New, "ManagementRoleAssignment", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = "App")]
[OutputType(typeof(Output.RoleAssignment))]
public sealed class NewManagementRoleAssignmentCommand : ExchangeCmdlet
{
    [Parameter(Position = 0)]
    public string? Name { get; set; }

    [Parameter(Mandatory = true)]
    [ValidateNotNullOrEmpty]
    public string Role { get; set; } = "";

    [Parameter(Mandatory = true, ParameterSetName = "App")]
    [ValidateNotNullOrEmpty]
    public string App { get; set; } = "";

    [Parameter]
    public string? CustomResourceScope { get; set; }

    protected override void EndProcessing()
    {
        var role = RoleAssignments.CanonicalRole(Role);
        if (role is null)
        {
            ThrowTerminatingError(ExchangeErrors.NotFound(Role));
        }

        var sp = ResolveServicePrincipal(App);
        if (sp is null) return;

        string? scopeName = null;
        if (!string.IsNullOrWhiteSpace(CustomResourceScope))
        {
            var scope = TenantQueries.FindScope(Tenant, CustomResourceScope!);
            if (scope is null)
            {
                WriteError(ExchangeErrors.NotFound(CustomResourceScope!));
                return;
            }

            scopeName = scope.Name;
        }

        var name = string.IsNullOrWhiteSpace(Name) ? $"{role}-{(string.IsNullOrEmpty(sp.DisplayName) ? sp.ObjectId : sp.DisplayName)}" : Name!.Trim();
        lock (Tenant.SyncRoot)
        {
            if (Tenant.ManagementRoleAssignments.Any(a => string.Equals(a.Name, name, StringComparison.OrdinalIgnoreCase)))
            {
                ThrowTerminatingError(ExchangeErrors.AlreadyExists(
                    "ManagementRoleAssignmentAlreadyExists",
                    $"The management role assignment '{name}' already exists. Choose another -Name.",
                    name));
            }
        }

        if (!ShouldProcess(name, $"Assign role '{role}' to service principal {sp.ObjectId}{(scopeName is null ? "" : $" with scope '{scopeName}'")}")) return;
        var assignment = new ManagementRoleAssignment
        {
            Name = name,
            Role = role!,
            App = sp.ObjectId,
            CustomResourceScope = scopeName,
        };
        lock (Tenant.SyncRoot)
        {
            assignment.EffectiveAt = Tenant.EffectiveFromNow(ChangeKind.RoleAssignment);
            Tenant.ManagementRoleAssignments.Add(assignment);
        }

        WriteObject(RoleAssignments.Show(Tenant, assignment));
    }
}
