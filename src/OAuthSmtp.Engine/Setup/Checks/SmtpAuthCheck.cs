using System.Collections.Generic;
using OAuthSmtp.Engine.Errors;
using OAuthSmtp.Engine.Setup.Exchange;

namespace OAuthSmtp.Engine.Setup.Checks;

/// <summary>
/// SMTP AUTH is enabled for the mailbox by the effective rule (EXCHANGE-FACTS 6.3): the mailbox's
/// SmtpClientAuthenticationDisabled wins when set; when it is $null the organisation's applies.
/// The fix is always the mailbox-level switch, never the organisation-wide one.
/// </summary>
public sealed class SmtpAuthCheck : ExchangeCheck
{
    private static readonly SetupStep[] Dependencies = { SetupStep.Mailbox };

    public override SetupStep Step => SetupStep.SmtpAuth;

    public override IReadOnlyList<SetupStep> DependsOn => Dependencies;

    public override string Activity => "Checking SMTP AUTH for the organisation and the mailbox (Get-TransportConfig, Get-EXOCasMailbox)";

    protected override SetupCheckResult Run(SetupContext context, IExchangeAdmin exchange)
    {
        var mailbox = context.MailboxAddress;
        var organizationDisabled = exchange.GetOrganizationSmtpClientAuthenticationDisabled();
        var mailboxDisabled = exchange.GetMailboxSmtpClientAuthenticationDisabled(mailbox);
        var organization = $"organisation: {(organizationDisabled ? "disabled" : "enabled")} (Get-TransportConfig SmtpClientAuthenticationDisabled = {PowerShellText.Bool(organizationDisabled)})";
        var perMailbox = mailboxDisabled switch
        {
            null => "mailbox: not set ($null, follows the organisation)",
            true => "mailbox: disabled (SmtpClientAuthenticationDisabled = $true)",
            false => "mailbox: enabled (SmtpClientAuthenticationDisabled = $false)",
        };
        var enabled = mailboxDisabled.HasValue ? !mailboxDisabled.Value : !organizationDisabled;
        var winner = mailboxDisabled.HasValue ? "the mailbox setting wins" : "the organisation setting applies";
        var detail = $"SMTP AUTH for {mailbox}: {organization}; {perMailbox}; {winner}: {(enabled ? "enabled" : "disabled")}.";
        if (enabled)
        {
            return Pass(detail);
        }

        var fix = new[] { SetupFixAction.EnableSmtpAuthForMailbox(mailbox) };
        if (mailboxDisabled == true)
        {
            return Fail(
                detail,
                "SMTP AUTH is turned off for this mailbox itself, so Exchange answers 535 5.7.139 '…SmtpClientAuthentication is disabled for the Mailbox' even with a valid token.",
                null,
                SetupDocumentation.SmtpAuth,
                ErrorIds.SetupSmtpAuthDisabledForMailbox,
                fix);
        }

        return Fail(
            detail,
            "SMTP AUTH is off for the organisation (the default for tenants created after January 2020) and the mailbox does not override it, so Exchange answers 535 5.7.139 '…SmtpClientAuthentication is disabled for the Tenant'. Turning it on for this mailbox only is enough; Set-TransportConfig -SmtpClientAuthenticationDisabled $false would open it for every mailbox.",
            null,
            SetupDocumentation.SmtpAuth,
            ErrorIds.SetupSmtpAuthDisabledByOrganization,
            fix);
    }
}
