using System;
using System.Collections.Generic;
using OAuthSmtp.Engine.Errors;
using OAuthSmtp.Engine.Setup.Exchange;

namespace OAuthSmtp.Engine.Setup.Checks;

/// <summary>The sending mailbox exists in Exchange, is of a type that sends (user or shared mailbox), and a user mailbox holds a licence.</summary>
public sealed class MailboxCheck : ExchangeCheck
{
    private static readonly SetupStep[] Dependencies = { SetupStep.Profile };

    public override SetupStep Step => SetupStep.Mailbox;

    public override IReadOnlyList<SetupStep> DependsOn => Dependencies;

    public override string Activity => "Looking up the mailbox and its licence (Get-EXOMailbox)";

    /// <summary>An unlicensed mailbox still exists: the permission and SMTP AUTH checks read it as usual.</summary>
    public override bool BlocksDependents(SetupCheckResult result) => result.ReasonId != ErrorIds.SetupMailboxUnlicensed;

    protected override SetupCheckResult Run(SetupContext context, IExchangeAdmin exchange)
    {
        var address = context.Profile.Mailbox;
        var mailbox = exchange.GetMailbox(address);
        if (mailbox is null)
        {
            return Fail(
                $"Exchange has no mailbox '{address}'.",
                "SMTP AUTH signs in to a mailbox: the XOAUTH2 user must be an existing user or shared mailbox (a shared mailbox needs no licence).",
                $"Set-SmtpOAuthProfile -Name {context.ProfileArgument} -Mailbox <address of an existing mailbox>{Environment.NewLine}or create one: New-Mailbox -Shared -Name {PowerShellText.Quote(address.Split('@')[0])} -PrimarySmtpAddress {PowerShellText.Quote(address)}",
                SetupDocumentation.OAuthForSmtp,
                ErrorIds.SetupMailboxNotFound);
        }

        context.Mailbox = mailbox;
        var type = mailbox.RecipientTypeDetails;
        var alias = string.Equals(mailbox.PrimarySmtpAddress, address, StringComparison.OrdinalIgnoreCase)
            ? string.Empty
            : $" ('{address}' is one of its addresses)";
        if (!string.Equals(type, "UserMailbox", StringComparison.OrdinalIgnoreCase) && !mailbox.IsShared)
        {
            return Warning(
                $"Mailbox {mailbox.PrimarySmtpAddress}{alias} is a {type}.",
                "Applications send from user or shared mailboxes; a room or equipment mailbox may be refused or its mail handled by resource booking.",
                $"Use a shared mailbox for the application: New-Mailbox -Shared -Name <name> -PrimarySmtpAddress <address>; then Set-SmtpOAuthProfile -Name {context.ProfileArgument} -Mailbox <address>",
                SetupDocumentation.OAuthForSmtp,
                ErrorIds.SetupMailboxTypeUnsupported);
        }

        if (mailbox.IsUnlicensedUserMailbox)
        {
            return Fail(
                $"Mailbox {mailbox.PrimarySmtpAddress}{alias} is a UserMailbox without a licence (SKUAssigned: False), UPN {mailbox.UserPrincipalName}.",
                "A user mailbox needs a licence that includes Exchange Online to submit mail: Exchange refuses an unlicensed one (invalid licence errors; repeated, it throttles the mailbox with 550 5.2.253). Shared mailboxes need no licence. A licence just assigned can take up to 24 hours to reach SMTP.",
                $"Assign a licence with Exchange Online to {mailbox.UserPrincipalName}: Microsoft 365 admin center > Users > Active users > {mailbox.UserPrincipalName} > Licenses and apps{Environment.NewLine}or send from a shared mailbox: Set-SmtpOAuthProfile -Name {context.ProfileArgument} -Mailbox <shared mailbox address>",
                SetupDocumentation.SharedMailboxes,
                ErrorIds.SetupMailboxUnlicensed);
        }

        var licence = mailbox.IsShared ? " (a shared mailbox needs no licence)" : mailbox.SkuAssigned == true ? ", licensed" : string.Empty;
        return Pass($"Mailbox {mailbox.PrimarySmtpAddress}{alias}: {type}{licence}, UPN {mailbox.UserPrincipalName}.");
    }
}
