using System.Management.Automation;
using OAuthSmtp.Emulator.Model;

namespace OAuthSmtp.Emulator.PowerShell.Exchange;

/// <summary>Set-TransportConfig -SmtpClientAuthenticationDisabled: the organisation-wide SMTP AUTH switch (after the TransportConfig delay for SMTP).</summary>
[Cmdlet(VerbsCommon.Set, "TransportConfig", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
public sealed class SetTransportConfigCommand : ExchangeCmdlet
{
    [Parameter(Position = 0)]
    public string? Identity { get; set; }

    [Parameter]
    public bool SmtpClientAuthenticationDisabled { get; set; }

    protected override void EndProcessing()
    {
        if (!MyInvocation.BoundParameters.ContainsKey(nameof(SmtpClientAuthenticationDisabled))) return;
        if (!ShouldProcess("Transport Settings", $"Set SmtpClientAuthenticationDisabled to {SmtpClientAuthenticationDisabled}")) return;
        TenantQueries.SetOrganizationSmtpClientAuthenticationDisabled(Tenant, SmtpClientAuthenticationDisabled);
    }
}
