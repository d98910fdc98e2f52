using System;
using System.Linq;
using System.Management.Automation;
using OAuthSmtp.Emulator.Model;

namespace OAuthSmtp.Emulator.PowerShell.Exchange;

/// <summary>New-ManagementScope -Name -RecipientRestrictionFilter: the recipient scope an App-RBAC assignment is limited to.</summary>
[Cmdlet(VerbsCommon.New, "ManagementScope", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = "RecipientFilter")]
[OutputType(typeof(Output.ManagementScope))]
public sealed class NewManagementScopeCommand : ExchangeCmdlet
{
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = "";

    [Parameter(Mandatory = true, ParameterSetName = "RecipientFilter")]
    [AllowEmptyString]
    public string RecipientRestrictionFilter { get; set; } = "";

    [Parameter(ParameterSetName = "RecipientFilter")]
    public string? RecipientRoot { get; set; }

    [Parameter]
    public SwitchParameter Exclusive { get; set; }

    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void EndProcessing()
    {
        try
        {
            RecipientFilter.Validate(RecipientRestrictionFilter);
        }
        catch (FormatException ex)
        {
            ThrowTerminatingError(new ErrorRecord(new ArgumentException(ex.Message, ex), "InvalidRecipientRestrictionFilter", ErrorCategory.InvalidArgument, RecipientRestrictionFilter));
        }

        if (TenantQueries.FindScope(Tenant, Name) is not null)
        {
            ThrowTerminatingError(ExchangeErrors.AlreadyExists(
                "ManagementScopeAlreadyExists",
                $"The management scope '{Name}' already exists. Choose another name, or use the existing scope with New-ManagementRoleAssignment -CustomResourceScope '{Name}'.",
                Name));
        }

        if (!ShouldProcess(Name, $"New-ManagementScope with filter \"{RecipientRestrictionFilter}\"")) return;
        var scope = new ManagementScope { Name = Name.Trim(), RecipientRestrictionFilter = RecipientRestrictionFilter };
        lock (Tenant.SyncRoot)
        {
            Tenant.ManagementScopes.Add(scope);
        }

        WriteObject(new Output.ManagementScope
        {
            Identity = scope.Name, Name = scope.Name, Guid = scope.Guid,
            RecipientRestrictionFilter = scope.RecipientRestrictionFilter, Exclusive = Exclusive.IsPresent,
        });
    }
}
