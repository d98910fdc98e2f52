using System;
using System.Collections.Generic;
using System.Linq;
using OAuthSmtp.Engine.Errors;
using OAuthSmtp.Engine.Setup.Exchange;

namespace OAuthSmtp.Engine.Setup.Checks;

/// <summary>
/// The app may use the mailbox: FullAccess for its service principal (classic route), or an "Application
/// SMTP.SendAsApp" role assignment whose scope covers the mailbox (RBAC route). Delegated: the signed-in user is the
/// mailbox, or holds FullAccess on it (shared mailbox).
/// </summary>
public sealed class MailboxPermissionCheck : ExchangeCheck
{
    private static readonly SetupStep[] Dependencies = { SetupStep.Token, SetupStep.ServicePrincipal, SetupStep.Mailbox };

    public override SetupStep Step => SetupStep.MailboxPermission;

    public override IReadOnlyList<SetupStep> DependsOn => Dependencies;

    public override string Activity => "Checking the app's permission on the mailbox (Get-MailboxPermission, Test-ServicePrincipalAuthorization)";

    protected override SetupCheckResult Run(SetupContext context, IExchangeAdmin exchange)
    {
        if (context.IsDelegated)
        {
            return Delegated(context, exchange);
        }

        return context.IsRbacRoute ? Rbac(context) : Classic(context, exchange);
    }

    /// <summary>
    /// When only the service principal is missing or wrong, say now which grant will be needed once it exists, so one
    /// -Fix (and -WhatIf) covers every command.
    /// </summary>
    public override SetupCheckResult RunBlocked(SetupContext context, SetupStep failedStep)
    {
        var exchange = context.ExchangeIfUsable;
        if (failedStep != SetupStep.ServicePrincipal || exchange is null || context.Mailbox is null || string.IsNullOrEmpty(context.ObjectId) || context.IsDelegated)
        {
            return base.RunBlocked(context, failedStep);
        }

        try
        {
            var planned = context.IsRbacRoute ? Rbac(context) : Classic(context, exchange);
            if (planned.Status == SetupCheckStatus.Pass)
            {
                return Skipped(SkippedBecause(failedStep) + " " + planned.Detail);
            }

            return Skipped(
                SkippedBecause(failedStep) + " Once it is registered, this will be needed: " + planned.Detail,
                planned.Fix,
                planned.ReasonId,
                planned.FixActions,
                planned.Cause,
                planned.Documentation);
        }
        catch (ExchangeAdminException)
        {
            return base.RunBlocked(context, failedStep);
        }
    }

    private SetupCheckResult Classic(SetupContext context, IExchangeAdmin exchange)
    {
        var mailbox = context.MailboxAddress;
        var entries = exchange.GetMailboxPermissions(mailbox).Where(p => p.GrantsFullAccess && NamesApp(p.User, context)).ToList();
        var who = context.ServicePrincipal?.DisplayName is { Length: > 0 } name ? $"'{name}' ({context.ObjectId})" : $"service principal {context.ObjectId}";
        if (entries.Any(e => e.Deny))
        {
            return Fail(
                $"{Capitalize(who)} is explicitly denied FullAccess on {mailbox}.",
                "A Deny entry overrides every grant: Exchange refuses the app for this mailbox (535 5.7.3).",
                $"Remove-MailboxPermission -Identity {PowerShellText.Quote(mailbox)} -User {context.ObjectId} -AccessRights FullAccess -Deny -Confirm:$false",
                SetupDocumentation.AddMailboxPermission,
                ErrorIds.SetupFullAccessMissing);
        }

        if (entries.Count > 0)
        {
            return Pass($"{Capitalize(who)} holds FullAccess on {mailbox}.");
        }

        var rbacNote = context.HasSmtpRoleAssignment
            ? " The app also holds an RBAC for Applications assignment, but because the token carries SMTP.SendAsApp Exchange checks FullAccess instead: grant FullAccess, or remove the SMTP.SendAsApp API permission to use the RBAC route."
            : string.Empty;
        return Fail(
            $"{Capitalize(who)} holds no FullAccess on {mailbox}.",
            "With SMTP.SendAsApp in the token, Exchange lets the app sign in only to mailboxes on which its service principal holds FullAccess; otherwise 535 5.7.3." + rbacNote,
            null,
            SetupDocumentation.OAuthForSmtp,
            context.HasSmtpRoleAssignment ? ErrorIds.SetupRbacWithRoles : ErrorIds.SetupFullAccessMissing,
            new[] { SetupFixAction.AddMailboxPermission(mailbox, context.ObjectId!) });
    }

    private SetupCheckResult Rbac(SetupContext context)
    {
        var mailbox = context.MailboxAddress;
        var rows = context.RbacRows;
        if (rows is null)
        {
            return Skipped("Not checked: Test-ServicePrincipalAuthorization is not available in this Exchange session (update ExchangeOnlineManagement, or use an account with the Role Management role).");
        }

        var smtpRows = rows.Where(r => r.IsSmtpRole).ToList();
        var covering = smtpRows.FirstOrDefault(r => r.CoversResource);
        if (covering is not null)
        {
            return Pass($"RBAC for Applications: the '{covering.RoleName}' assignment's scope '{covering.AllowedResourceScope}' covers {mailbox}.");
        }

        var scopeName = $"SMTP OAuth {mailbox}";
        var actions = new[]
        {
            SetupFixAction.NewManagementScope(scopeName, $"PrimarySmtpAddress -eq '{mailbox}'"),
            SetupFixAction.NewManagementRoleAssignment($"SMTP OAuth {context.ClientId} {mailbox}", context.ObjectId!, scopeName),
        };
        if (smtpRows.Count > 0)
        {
            var scopes = string.Join(", ", smtpRows.Select(r => $"'{r.AllowedResourceScope}'"));
            return Fail(
                $"The app's '{ServicePrincipalAuthorizationRecord.SmtpSendAsAppRole}' assignment is limited to the scope {scopes}, which does not cover {mailbox}.",
                "With RBAC for Applications Exchange lets the app sign in only to mailboxes inside the scope of its role assignment; otherwise 535 5.7.3. Either widen the scope's filter (Set-ManagementScope) or add an assignment for this mailbox (-Fix -UseRbac does the latter).",
                null,
                SetupDocumentation.RbacForSmtp,
                ErrorIds.SetupRbacScopeNotCovering,
                actions);
        }

        return Fail(
            $"The app (service principal {context.ObjectId}) holds no '{ServicePrincipalAuthorizationRecord.SmtpSendAsAppRole}' role assignment.",
            "The token carries no SMTP.SendAsApp role, so Exchange authorizes the app only through RBAC for Applications: a management role assignment scoped to the mailbox. Without one, SMTP answers 535 5.7.3. (Or grant admin consent for SMTP.SendAsApp and FullAccess instead.)",
            null,
            SetupDocumentation.RbacForSmtp,
            ErrorIds.SetupRbacAssignmentMissing,
            actions);
    }

    private SetupCheckResult Delegated(SetupContext context, IExchangeAdmin exchange)
    {
        var mailbox = context.Mailbox!;
        var user = context.Claims?.UserPrincipalName;
        if (user is not null && mailbox.HasAddress(user) || (context.ObjectId is not null && string.Equals(mailbox.ExternalDirectoryObjectId, context.ObjectId, StringComparison.OrdinalIgnoreCase)))
        {
            return Pass($"The signed-in user {user ?? context.ObjectId} is the mailbox {mailbox.PrimarySmtpAddress}.");
        }

        var entries = exchange.GetMailboxPermissions(mailbox.PrimarySmtpAddress)
            .Where(p => p.GrantsFullAccess && (string.Equals(p.User, user, StringComparison.OrdinalIgnoreCase) || string.Equals(p.User, context.ObjectId, StringComparison.OrdinalIgnoreCase)))
            .ToList();
        if (entries.Count > 0 && !entries.Any(e => e.Deny))
        {
            return Pass($"The signed-in user {user} holds FullAccess on {mailbox.PrimarySmtpAddress} ({mailbox.RecipientTypeDetails}).");
        }

        return Fail(
            $"The signed-in user {user ?? context.ObjectId} is not {mailbox.PrimarySmtpAddress} and holds no FullAccess on it.",
            "A delegated token lets the user sign in to their own mailbox, or to a (shared) mailbox on which they hold FullAccess; otherwise 535 5.7.3.",
            null,
            SetupDocumentation.OAuthForSmtp,
            ErrorIds.SetupFullAccessMissing,
            user is null ? null : new[] { SetupFixAction.AddMailboxPermission(mailbox.PrimarySmtpAddress, user) });
    }

    private static string Capitalize(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text.Substring(1);
}
