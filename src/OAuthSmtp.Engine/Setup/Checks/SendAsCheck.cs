using System;
using System.Collections.Generic;
using System.Linq;
using OAuthSmtp.Engine.Errors;
using OAuthSmtp.Engine.Setup.Exchange;

namespace OAuthSmtp.Engine.Setup.Checks;

/// <summary>
/// Send As for every sender given with -From other than the mailbox itself: for app-only the service principal is the
/// trustee (OAUTH-DOC), for delegated the signed-in user. Without it Exchange answers 550 5.7.60 / 554 5.2.252.
/// </summary>
public sealed class SendAsCheck : ExchangeCheck
{
    private static readonly SetupStep[] Dependencies = { SetupStep.Token, SetupStep.ServicePrincipal, SetupStep.Mailbox };

    public override SetupStep Step => SetupStep.SendAs;

    public override IReadOnlyList<SetupStep> DependsOn => Dependencies;

    public override string Activity => "Checking Send As for the other senders (Get-RecipientPermission)";

    protected override SetupCheckResult Run(SetupContext context, IExchangeAdmin exchange)
    {
        var others = OtherSenders(context);
        if (others.Count == 0)
        {
            return Pass($"Messages are sent from {context.MailboxAddress} itself; no Send As needed (give other senders with -From to check them).");
        }

        return Judge(context, exchange, others);
    }

    /// <summary>When only the service principal is missing, say now which Send As grants will be needed once it exists.</summary>
    public override SetupCheckResult RunBlocked(SetupContext context, SetupStep failedStep)
    {
        var exchange = context.ExchangeIfUsable;
        var others = OtherSenders(context);
        if (others.Count == 0)
        {
            return Run(context);
        }

        if (failedStep != SetupStep.ServicePrincipal || exchange is null || string.IsNullOrEmpty(context.ObjectId) || others.Count == 0)
        {
            return base.RunBlocked(context, failedStep);
        }

        try
        {
            var planned = Judge(context, exchange, others);
            return planned.Status == SetupCheckStatus.Fail
                ? Skipped(SkippedBecause(failedStep) + " Once it is registered, this will be needed: " + planned.Detail, planned.Fix, planned.ReasonId, planned.FixActions, planned.Cause, planned.Documentation)
                : Skipped(SkippedBecause(failedStep) + " " + planned.Detail);
        }
        catch (ExchangeAdminException)
        {
            return base.RunBlocked(context, failedStep);
        }
    }

    private SetupCheckResult Judge(SetupContext context, IExchangeAdmin exchange, IReadOnlyList<string> others)
    {
        var trustee = context.IsDelegated ? context.Claims?.UserPrincipalName ?? context.ObjectId! : context.ObjectId!;
        var missing = new List<string>();
        var unknown = new List<string>();
        var granted = new List<string>();
        foreach (var sender in others)
        {
            var recipient = exchange.GetMailbox(sender);
            if (recipient is null)
            {
                unknown.Add(sender);
                continue;
            }

            var entries = exchange.GetRecipientPermissions(recipient.PrimarySmtpAddress);
            var allowed = entries.Any(e => e.AllowsSendAs && (context.IsDelegated
                ? string.Equals(e.Trustee, trustee, StringComparison.OrdinalIgnoreCase)
                : NamesApp(e.Trustee, context)));
            (allowed ? granted : missing).Add(recipient.PrimarySmtpAddress);
        }

        if (unknown.Count > 0)
        {
            return Fail(
                $"Exchange has no recipient {string.Join(", ", unknown)}.",
                "A From address must be a mailbox (or group) of this organisation on which the sender holds Send As.",
                "Use an existing address with -From, or create the mailbox (New-Mailbox -Shared -Name <name> -PrimarySmtpAddress <address>).",
                SetupDocumentation.AddRecipientPermission,
                ErrorIds.SetupSenderNotFound);
        }

        if (missing.Count > 0)
        {
            var who = context.IsDelegated ? $"user {trustee}" : $"service principal {trustee}";
            return Fail(
                $"The {who} holds no Send As on {string.Join(", ", missing)}" + (granted.Count > 0 ? $" (it does on {string.Join(", ", granted)})." : "."),
                "Sending with a From address other than the authenticated mailbox needs Send As on that address; Exchange otherwise refuses the message (550 5.7.60 at MAIL FROM, or 554 5.2.252 SendAsDenied after the data).",
                null,
                SetupDocumentation.AddRecipientPermission,
                ErrorIds.SetupSendAsMissing,
                missing.Select(sender => SetupFixAction.AddSendAs(sender, trustee)).ToList());
        }

        return Pass($"Send As is granted on {string.Join(", ", granted)}.");
    }

    private static IReadOnlyList<string> OtherSenders(SetupContext context) =>
        context.Request.From
            .Where(f => !string.IsNullOrWhiteSpace(f))
            .Select(f => f.Trim())
            .Where(f => context.Mailbox is null ? !string.Equals(f, context.Profile.Mailbox, StringComparison.OrdinalIgnoreCase) : !context.Mailbox.HasAddress(f))
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToList();
}
