using System;
using System.Management.Automation;

namespace OAuthSmtp.Emulator.PowerShell.Rehearsal;

/// <summary>
/// Starts an emulated Exchange Online tenant inside this pwsh session, to rehearse with the real module: the CA is
/// trusted for the current user until Stop-EmuTenant, the emulated Exchange session is connected, and the result
/// carries the one line that creates a matching profile. -Scenario Empty -ConnectGraph gives an administrator's shell
/// with both sessions for rehearsing Initialize-SmtpOAuthSetup (Get-EmuStatistics then counts only what follows).
/// </summary>
[Cmdlet(VerbsLifecycle.Start, "EmuTenant")]
[OutputType(typeof(RehearsalTenantInfo))]
public sealed class StartEmuTenantCommand : PSCmdlet
{
    [Parameter(Position = 0)]
    public Scenario Scenario { get; set; } = Scenario.Ready;

    /// <summary>Also sign the administrator in to the emulated Microsoft Graph (Connect-MgGraph -Scopes <see cref="GraphScopes"/>).</summary>
    [Parameter]
    public SwitchParameter ConnectGraph { get; set; }

    /// <summary>The scopes -ConnectGraph asks for: what a setup needs unless told otherwise.</summary>
    [Parameter]
    [ValidateNotNull]
    public string[] GraphScopes { get; set; } = { "Application.ReadWrite.All", "AppRoleAssignment.ReadWrite.All", "DelegatedPermissionGrant.ReadWrite.All", "User.Read" };

    /// <summary>The administrator's directory roles (default Global Administrator; @() for none), set before any sign-in.</summary>
    [Parameter]
    [AllowEmptyCollection]
    public string[]? AdminRoles { get; set; }

    /// <summary>The profile name the printed line creates.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string ProfileName { get; set; } = "EmuTenant";

    protected override void EndProcessing()
    {
        RehearsalTenant tenant;
        try
        {
            tenant = RehearsalTenant.Start(Scenario);
        }
        catch (InvalidOperationException ex)
        {
            ThrowTerminatingError(new ErrorRecord(ex, "EmuTenantAlreadyRunning", ErrorCategory.ResourceExists, Scenario));
            return;
        }

        var current = tenant.Emulator.Current;
        if (AdminRoles is not null)
        {
            tenant.Emulator.Control.SetAdministrator(AdminRoles);
        }

        // The control, Exchange and Graph cmdlets find their emulator in this variable; then, as an admin's shell after
        // Connect-ExchangeOnline (and Connect-MgGraph with -ConnectGraph), they work on this tenant.
        InvokeCommand.InvokeScript(
            $"Set-Variable -Name {EmulatorSession.VariableName} -Value $args[0] -Scope Global; Connect-ExchangeOnline -UserPrincipalName $args[1] -ShowBanner:$false" +
            (ConnectGraph ? "; Connect-MgGraph -Scopes $args[2] -NoWelcome -ErrorAction Stop" : string.Empty),
            tenant.Emulator,
            current.Administrator,
            GraphScopes);
        if (ConnectGraph)
        {
            tenant.Emulator.Statistics.Reset();
        }

        var profileCommand = tenant.ProfileCommand(ProfileName);
        // The Empty tenant has no app yet: there is no profile to make, only the setup to run.
        var message = current.ClientId is null
            ? $"Emulated tenant {current.Domain} is running with no app registration; you are {current.Administrator}" + (ConnectGraph ? ", signed in to Exchange and Graph." : ", signed in to Exchange (add -ConnectGraph for Graph).")
            : "Emulated tenant " + current.Domain + " is running. A matching profile:" + Environment.NewLine + "  " + profileCommand;
        WriteInformation(new HostInformationMessage { Message = message, NoNewLine = false }, new[] { "PSHOST" });
        WriteObject(new RehearsalTenantInfo(
            current.Scenario,
            current.Domain,
            current.TenantId,
            current.ClientId,
            current.Mailbox,
            current.SmtpServer,
            current.SmtpPort,
            current.AuthorityHost,
            current.GraphEndpoint,
            tenant.CertificateAuthorityTrusted,
            profileCommand));
    }
}
