using System;
using System.Management.Automation;

namespace OAuthSmtp.Emulator.PowerShell.Control;

/// <summary>
/// Grants or removes an Exchange app role (default SMTP.SendAsApp) of a managed identity, as an appRoleAssignment made
/// through Graph would. The role shows in the identity's tokens only after the ManagedIdentityRoles propagation delay
/// (Azure caches managed-identity tokens for about 24 hours; Set-EmuPropagationDelay shortens it).
/// </summary>
[Cmdlet(VerbsCommon.Set, "EmuManagedIdentity", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(void))]
public sealed class SetEmuManagedIdentityCommand : PSCmdlet
{
    /// <summary>The managed identity: display name, client id or object id (Get-EmuTenant lists them).</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Identity { get; set; } = "";

    /// <summary>Grant this Exchange app role.</summary>
    [Parameter(ParameterSetName = "Grant", Mandatory = true)]
    [ValidateNotNullOrEmpty]
    public string GrantRole { get; set; } = "";

    /// <summary>Remove this Exchange app role.</summary>
    [Parameter(ParameterSetName = "Revoke", Mandatory = true)]
    [ValidateNotNullOrEmpty]
    public string RevokeRole { get; set; } = "";

    protected override void ProcessRecord()
    {
        var emulator = EmulatorSession.Get(this);
        var granting = ParameterSetName == "Grant";
        var role = granting ? GrantRole : RevokeRole;
        if (!ShouldProcess(Identity, (granting ? "Grant " : "Remove ") + role))
        {
            return;
        }

        if (!emulator.Control.SetManagedIdentityRole(Identity, role, granting))
        {
            WriteError(new ErrorRecord(
                new ArgumentException($"The emulator's tenant has no managed identity '{Identity}'. Use a name, client id or object id from Get-EmuTenant."),
                "ManagedIdentityNotFound", ErrorCategory.ObjectNotFound, Identity));
        }
    }
}
