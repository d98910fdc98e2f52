using System;
using System.Management.Automation;
using OAuthSmtp.Emulator.Model;
using OAuthSmtp.Emulator.PowerShell.Exchange.Output;

namespace OAuthSmtp.Emulator.PowerShell.Exchange;

/// <summary>
/// Test-ServicePrincipalAuthorization: one row per role assignment of the service principal; InScope says whether
/// -Resource falls inside the assignment's scope, or "Not Run" without -Resource (PS-DOCS). It reads what admins see
/// (no propagation delay). -WhatIf/-Confirm exist because the real syntax lists them ("reserved for internal use").
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "ServicePrincipalAuthorization", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.None)]
[OutputType(typeof(ServicePrincipalAuthorization))]
public sealed class TestServicePrincipalAuthorizationCommand : ExchangeCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Identity { get; set; } = "";

    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? Resource { get; set; }

    protected override void ProcessRecord()
    {
        var sp = ResolveServicePrincipal(Identity);
        if (sp is null) return;
        Mailbox? resource = null;
        if (!string.IsNullOrWhiteSpace(Resource))
        {
            resource = ResolveMailbox(Resource!);
            if (resource is null) return;
        }

        foreach (var assignment in TenantQueries.RoleAssignmentsFor(Tenant, sp, effectiveOnly: false))
        {
            var organizationWide = string.IsNullOrEmpty(assignment.CustomResourceScope);
            WriteObject(new ServicePrincipalAuthorization
            {
                RoleName = assignment.Role,
                GrantedPermissions = assignment.Role.StartsWith("Application ", StringComparison.OrdinalIgnoreCase)
                    ? assignment.Role.Substring("Application ".Length)
                    : assignment.Role,
                AllowedResourceScope = organizationWide ? "Organization" : assignment.CustomResourceScope!,
                ScopeType = organizationWide ? "Organization" : "CustomRecipientScope",
                InScope = resource is null ? "Not Run" : (TenantQueries.AssignmentCovers(Tenant, assignment, resource) ? "True" : "False"),
            });
        }
    }
}
