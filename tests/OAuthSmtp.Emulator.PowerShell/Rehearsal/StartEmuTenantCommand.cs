using System;
using System.Management.Automation;

namespace OAuthSmtp.Emulator.PowerShell.Rehearsal;

/// <summary>
/// Starts an emulated Exchange Online tenant inside this pwsh session, to rehearse with the real module: the CA is
/// trusted for the current user until Stop-EmuTenant, the emulated Exchange session is connected, and the result
/// carries the one line that creates a matching profile.
/// </summary>
[Cmdlet(VerbsLifecycle.Start, "EmuTenant")]
[OutputType(typeof(RehearsalTenantInfo))]
public sealed class StartEmuTenantCommand : PSCmdlet
{
    [Parameter(Position = 0)]
    public Scenario Scenario { get; set; } = Scenario.Ready;

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
        // The control and the emulated Exchange cmdlets find their emulator in this variable; then, as an admin's
        // shell after Connect-ExchangeOnline, the Exchange cmdlets work on this tenant.
        InvokeCommand.InvokeScript(
            $"Set-Variable -Name {EmulatorSession.VariableName} -Value $args[0] -Scope Global; Connect-ExchangeOnline -UserPrincipalName $args[1] -ShowBanner:$false",
            tenant.Emulator,
            "admin@" + current.Domain);

        var profileCommand = tenant.ProfileCommand(ProfileName);
        WriteInformation(new HostInformationMessage { Message = "Emulated tenant " + current.Domain + " is running. A matching profile:" + Environment.NewLine + "  " + profileCommand, NoNewLine = false }, new[] { "PSHOST" });
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
