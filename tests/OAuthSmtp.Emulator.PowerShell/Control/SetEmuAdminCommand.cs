using System;
using System.Management.Automation;

namespace OAuthSmtp.Emulator.PowerShell.Control;

/// <summary>
/// The scenario administrator (admin@contoso.com, Global Administrator by default) as a test wants it: -Roles sets the
/// directory roles (names such as 'Application Administrator' or template ids; @() = no admin role), -ConsentedScopes
/// the delegated Graph scopes already consented for Connect-MgGraph's client (a token carries all of them),
/// -UsersCanRegisterApplications the tenant's user setting. A Graph session connected before keeps its token's scp;
/// Graph reads roles from the directory at each call.
/// </summary>
[Cmdlet(VerbsCommon.Set, "EmuAdmin", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(void))]
public sealed class SetEmuAdminCommand : PSCmdlet
{
    [Parameter(Position = 0)]
    [AllowEmptyCollection]
    public string[]? Roles { get; set; }

    [Parameter]
    [AllowEmptyCollection]
    public string[]? ConsentedScopes { get; set; }

    [Parameter]
    public bool? UsersCanRegisterApplications { get; set; }

    protected override void ProcessRecord()
    {
        var emulator = EmulatorSession.Get(this);
        if (!ShouldProcess(emulator.Current.Administrator, "Set the administrator's roles and consented scopes"))
        {
            return;
        }

        try
        {
            emulator.Control.SetAdministrator(Roles, ConsentedScopes, UsersCanRegisterApplications);
        }
        catch (ArgumentException ex)
        {
            ThrowTerminatingError(new ErrorRecord(ex, "UnknownDirectoryRole", ErrorCategory.InvalidArgument, Roles));
        }
    }
}
