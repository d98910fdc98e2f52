using System;
using System.Collections.Generic;
using System.Linq;
using OAuthSmtp.Engine.Errors;
using OAuthSmtp.Engine.Setup.Exchange;

namespace OAuthSmtp.Engine.Setup.Checks;

/// <summary>
/// Send As for every sender given with -From other than the mailbox itself, one result per address. The trustee that
/// counts is the authenticating mailbox (the XOAUTH2 user=): the session acts as that mailbox, so Exchange checks its
/// Send As, and a grant to the app's service principal alone is refused after the data with SendAsDenied
/// (EXCHANGE-FACTS 6.2: Notifuse issue 250, the enaio guide).
/// </summary>
public sealed class SendAsCheck : ExchangeCheck
{
    private static readonly SetupStep[] Dependencies = { SetupStep.Mailbox };

    public override SetupStep Step => SetupStep.SendAs;

    public override IReadOnlyList<SetupStep> DependsOn => Dependencies;

    public override string Activity => "Checking Send As for the other senders (Get-RecipientPermission)";

    public override IReadOnlyList<SetupCheckResult> RunEach(SetupContext context)
    {
        var others = OtherSenders(context);
        if (others.Count == 0 || context.ExchangeIfUsable is null)
        {
            return new[] { Run(context) };
        }

        return others.Select(sender => Judge(context, context.ExchangeIfUsable, sender).For(sender)).ToList();
    }

    public override IReadOnlyList<string> Targets(SetupContext context) => OtherSenders(context);

    protected override SetupCheckResult Run(SetupContext context, IExchangeAdmin exchange) =>
        Pass($"Messages are sent from {context.MailboxAddress} itself; no Send As needed (give other senders with -From to check them).");

    private SetupCheckResult Judge(SetupContext context, IExchangeAdmin exchange, string sender)
    {
        try
        {
            return JudgeSender(context, exchange, sender);
        }
        catch (ExchangeAdminException failed)
        {
            return new SetupCheckResult(
                Step,
                SetupCheckStatus.Skipped,
                $"Not checked for {sender}: " + failed.Message,
                "Exchange refused the command the check needs, so the step cannot be judged.",
                failed.Fix,
                SetupDocumentation.ConnectExchangeOnline,
                failed.ErrorId);
        }
    }

    private SetupCheckResult JudgeSender(SetupContext context, IExchangeAdmin exchange, string sender)
    {
        var mailbox = context.Mailbox!;
        var recipient = exchange.GetMailbox(sender);
        if (recipient is null)
        {
            return Fail(
                $"Exchange has no recipient {sender}.",
                "A From address must be a mailbox (or group) of this organisation on which the authenticating mailbox holds Send As.",
                "Use an existing address with -From, or create the mailbox (New-Mailbox -Shared -Name <name> -PrimarySmtpAddress <address>).",
                SetupDocumentation.AddRecipientPermission,
                ErrorIds.SetupSenderNotFound);
        }

        var address = recipient.PrimarySmtpAddress;
        var grants = exchange.GetRecipientPermissions(address).Where(e => e.AllowsSendAs).ToList();
        if (grants.Any(e => NamesMailbox(e.Trustee, mailbox)))
        {
            return Pass($"The authenticating mailbox {mailbox.PrimarySmtpAddress} holds Send As on {address}.");
        }

        var grant = SetupFixAction.AddSendAs(address, mailbox.PrimarySmtpAddress);
        var appOnly = !context.IsDelegated && grants.Any(e => NamesApp(e.Trustee, context));
        if (appOnly)
        {
            return Fail(
                $"Only the app's service principal {context.ObjectId} holds Send As on {address}; the authenticating mailbox {mailbox.PrimarySmtpAddress} ({MailboxIds(mailbox)}) does not.",
                $"With XOAUTH2 the session acts as the mailbox named in user= ({mailbox.PrimarySmtpAddress}), so Exchange checks that mailbox's Send As: a grant to the service principal alone is refused after the data (554 5.2.0 STOREDRV.Submission.Exception:SendAsDeniedException). Grant Send As to the mailbox; the service principal's grant can stay.",
                null,
                SetupDocumentation.AddRecipientPermission,
                ErrorIds.SetupSendAsGrantedToAppOnly,
                new[] { grant });
        }

        return Fail(
            $"The authenticating mailbox {mailbox.PrimarySmtpAddress} ({MailboxIds(mailbox)}) holds no Send As on {address}.",
            $"Sending with a From address other than the authenticating mailbox needs Send As for that mailbox ({mailbox.PrimarySmtpAddress}) on the From address; Exchange otherwise refuses the message after the data (554 5.2.0 …SendAsDeniedException, or 554 5.2.252 SendAsDenied).",
            null,
            SetupDocumentation.AddRecipientPermission,
            ErrorIds.SetupSendAsMissing,
            new[] { grant });
    }

    /// <summary>Whether a Get-RecipientPermission trustee names the authenticating mailbox (by UPN, an address, its name or its Entra object id).</summary>
    private static bool NamesMailbox(string trustee, ExchangeMailboxRecord mailbox)
    {
        var value = trustee.Trim();
        return mailbox.HasAddress(value)
            || string.Equals(value, mailbox.Identity, StringComparison.OrdinalIgnoreCase)
            || (!string.IsNullOrEmpty(mailbox.ExternalDirectoryObjectId) && string.Equals(value, mailbox.ExternalDirectoryObjectId, StringComparison.OrdinalIgnoreCase));
    }

    private static string MailboxIds(ExchangeMailboxRecord mailbox) =>
        string.IsNullOrEmpty(mailbox.ExternalDirectoryObjectId) ? $"UPN {mailbox.UserPrincipalName}" : $"object id {mailbox.ExternalDirectoryObjectId}";

    private static IReadOnlyList<string> OtherSenders(SetupContext context) =>
        context.Request.From
            .Where(f => !string.IsNullOrWhiteSpace(f))
            .Select(f => f.Trim())
            .Where(f => context.Mailbox is null ? !string.Equals(f, context.Profile.Mailbox, StringComparison.OrdinalIgnoreCase) : !context.Mailbox.HasAddress(f))
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToList();
}
