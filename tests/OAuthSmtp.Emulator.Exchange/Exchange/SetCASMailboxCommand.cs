using System.Management.Automation;
using OAuthSmtp.Emulator.Model;

namespace OAuthSmtp.Emulator.PowerShell.Exchange;

/// <summary>
/// Set-CASMailbox -SmtpClientAuthenticationDisabled $true|$false|$null. $false overrides an organisation-wide $true;
/// $null follows the organisation. SMTP sees the change after the CasMailbox propagation delay.
/// </summary>
[Cmdlet(VerbsCommon.Set, "CASMailbox", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
public sealed class SetCASMailboxCommand : ExchangeCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Identity { get; set; } = "";

    [Parameter]
    [AllowNull]
    public bool? SmtpClientAuthenticationDisabled { get; set; }

    protected override void ProcessRecord()
    {
        var mailbox = ResolveMailbox(Identity);
        if (mailbox is null) return;
        if (!MyInvocation.BoundParameters.ContainsKey(nameof(SmtpClientAuthenticationDisabled))) return;
        var shown = SmtpClientAuthenticationDisabled?.ToString() ?? "$null";
        if (!ShouldProcess(MailboxIdentity(mailbox), $"Set SmtpClientAuthenticationDisabled to {shown}")) return;
        TenantQueries.SetMailboxSmtpClientAuthenticationDisabled(Tenant, mailbox, SmtpClientAuthenticationDisabled);
    }
}
