using System;

namespace OAuthSmtp.Emulator.PowerShell.Exchange.Output;

/// <summary>New-/Get-ManagementRoleAssignment output (Exchange's ExchangeRoleAssignmentPresentation, the part used here).</summary>
public sealed class RoleAssignment
{
    public string Identity { get; init; } = "";
    public string Name { get; init; } = "";
    public string Role { get; init; } = "";
    public string RoleAssignee { get; init; } = "";
    public string RoleAssigneeName { get; init; } = "";
    public string RoleAssigneeType { get; init; } = "ServicePrincipal";
    public string AssignmentMethod { get; init; } = "Direct";
    public string? CustomResourceScope { get; init; }
    public string RecipientWriteScope { get; init; } = "Organization";
    public bool Enabled { get; init; } = true;
    public Guid Guid { get; init; }
    public bool IsValid { get; init; } = true;

    public override string ToString() => Identity;
}
