using System;
using System.Linq;
using OAuthSmtp.Engine.Setup.Exchange;

namespace OAuthSmtp.Engine.Setup.Provisioning;

/// <summary>
/// The Exchange half, through the admin's Exchange Online session: the Exchange service principal with the
/// ENTERPRISE application's object id, mailbox access for the route (classic FullAccess; RBAC: a management scope and
/// an "Application SMTP.SendAsApp" role assignment), SMTP AUTH for the mailbox only, and Send As for each -From.
/// The commands are the ones Test-SmtpOAuthSetup -Fix runs (SetupFixAction), so both say and do the same.
/// </summary>
internal static class ExchangeAccessSteps
{
    public static void ServicePrincipal(ProvisioningRun run)
    {
        const string step = ProvisioningStepNames.ExchangeServicePrincipal;
        if (run.Request.Delegated)
        {
            run.Skipped(step, "A delegated app signs in as the mailbox's user: Exchange needs no service principal for it.");
            return;
        }

        var appId = run.AppId!;
        var objectId = run.ServicePrincipalId!;
        var existing = EntraAppSteps.IsNew(appId)
            ? Array.Empty<ExchangeServicePrincipalRecord>()
            : run.ReadExchange(step, "Get-ServicePrincipal", () => run.Exchange.GetServicePrincipals())
                .Where(sp => string.Equals(sp.AppId, appId, StringComparison.OrdinalIgnoreCase)).ToArray();
        if (existing.Any(sp => string.Equals(sp.ObjectId, objectId, StringComparison.OrdinalIgnoreCase)))
        {
            run.Unchanged(step, $"Exchange knows the app with the enterprise application's object id {objectId}.");
            return;
        }

        var create = SetupFixAction.NewServicePrincipal(appId, objectId, run.ServicePrincipalDisplayName ?? run.Request.DisplayName);
        var remove = existing.Select(sp => SetupFixAction.RemoveServicePrincipal(sp.Identity, $"registered with the wrong ObjectId {sp.ObjectId}")).ToList();
        var calls = remove.Select(r => r.CommandText).Append(create.CommandText).ToList();
        run.Change(
            step,
            create.Target,
            remove.Count == 0 ? create.Action : $"Replace the Exchange service principal registered with the wrong ObjectId; {create.Action}",
            calls,
            () =>
            {
                foreach (var wrong in remove)
                {
                    wrong.Apply(run.Exchange);
                }

                create.Apply(run.Exchange);
            });
    }

    public static void MailboxAccess(ProvisioningRun run)
    {
        const string step = ProvisioningStepNames.MailboxAccess;
        var request = run.Request;
        var mailbox = run.MailboxAddress;
        var objectId = run.ServicePrincipalId!;
        if (request.Delegated)
        {
            run.Skipped(step, $"A delegated app sends as the signed-in user: {mailbox} signs in itself (a shared mailbox needs FullAccess for that user).");
            return;
        }

        if (request.Route == SmtpAccessRoute.Rbac)
        {
            var rows = EntraAppSteps.IsNew(objectId) ? null : run.ReadExchange(step, "Test-ServicePrincipalAuthorization", () => run.Exchange.TestServicePrincipalAuthorization(objectId, mailbox));
            var covering = rows?.FirstOrDefault(r => r.IsSmtpRole && r.CoversResource);
            if (covering is not null)
            {
                run.Unchanged(step, $"RBAC for Applications: the '{covering.RoleName}' assignment's scope '{covering.AllowedResourceScope}' covers {mailbox}.");
                return;
            }

            var scopeName = $"SMTP OAuth {mailbox}";
            var scope = SetupFixAction.NewManagementScope(scopeName, $"PrimarySmtpAddress -eq '{mailbox}'");
            var assignment = SetupFixAction.NewManagementRoleAssignment($"SMTP OAuth {run.AppId} {mailbox}", objectId, scopeName);
            run.Change(step, mailbox, $"Limit the app to {mailbox} with RBAC for Applications: {scope.Action}; {assignment.Action}", new[] { scope.CommandText, assignment.CommandText }, () =>
            {
                try
                {
                    scope.Apply(run.Exchange);
                }
                catch (ExchangeAdminException exists) when (exists.Message.IndexOf("already exists", StringComparison.OrdinalIgnoreCase) >= 0)
                {
                    // A run that stopped after creating the scope: the scope is there, the assignment is not.
                    run.Host.Verbose($"The management scope '{scopeName}' exists already; it is used.");
                }

                assignment.Apply(run.Exchange);
            });
            return;
        }

        var granted = EntraAppSteps.IsNew(objectId)
            ? Array.Empty<MailboxPermissionRecord>()
            : run.ReadExchange(step, "Get-MailboxPermission", () => run.Exchange.GetMailboxPermissions(mailbox)).Where(p => p.GrantsFullAccess && !p.Deny && NamesApp(p.User, run)).ToArray();
        if (granted.Length > 0)
        {
            run.Unchanged(step, $"The app's service principal holds FullAccess on {mailbox}.");
            return;
        }

        var add = SetupFixAction.AddMailboxPermission(mailbox, objectId);
        run.Change(step, mailbox, add.Action, new[] { add.CommandText }, () => add.Apply(run.Exchange));
    }

    public static void SmtpAuth(ProvisioningRun run)
    {
        const string step = ProvisioningStepNames.SmtpAuth;
        var mailbox = run.MailboxAddress;
        var disabled = run.ReadExchange(step, "Get-EXOCasMailbox", () => run.Exchange.GetMailboxSmtpClientAuthenticationDisabled(mailbox));
        if (disabled == false)
        {
            run.Unchanged(step, $"SMTP AUTH is on for {mailbox} (SmtpClientAuthenticationDisabled = $false).");
            return;
        }

        var enable = SetupFixAction.EnableSmtpAuthForMailbox(mailbox);
        run.Change(step, mailbox, enable.Action, new[] { enable.CommandText }, () => enable.Apply(run.Exchange));
    }

    public static void SendAs(ProvisioningRun run, ExchangeMailboxRecord mailbox)
    {
        const string step = ProvisioningStepNames.SendAs;
        var senders = run.Request.From
            .Where(f => !string.IsNullOrWhiteSpace(f) && !IsMailbox(f, mailbox))
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToList();
        if (senders.Count == 0)
        {
            run.Skipped(step, "No other sender (-From) than the mailbox itself.");
            return;
        }

        foreach (var sender in senders)
        {
            var grants = run.ReadExchange(step, "Get-RecipientPermission", () => run.Exchange.GetRecipientPermissions(sender));
            if (grants.Any(g => g.AllowsSendAs && IsMailbox(g.Trustee, mailbox)))
            {
                run.Unchanged(step, $"{mailbox.PrimarySmtpAddress} may send as {sender}.");
                continue;
            }

            var add = SetupFixAction.AddSendAs(sender, mailbox.PrimarySmtpAddress);
            run.Change(step, sender, $"Let {mailbox.PrimarySmtpAddress} send as {sender} (Send As)", new[] { add.CommandText }, () => add.Apply(run.Exchange));
            if (run.DeclinedStep is not null)
            {
                return;
            }
        }
    }

    private static bool NamesApp(string user, ProvisioningRun run) =>
        new[] { run.ServicePrincipalId, run.AppId, run.ServicePrincipalDisplayName }
            .Any(name => !string.IsNullOrEmpty(name) && string.Equals(user?.Trim(), name, StringComparison.OrdinalIgnoreCase));

    private static bool IsMailbox(string name, ExchangeMailboxRecord mailbox) =>
        new[] { mailbox.PrimarySmtpAddress, mailbox.UserPrincipalName, mailbox.Identity }
            .Any(n => !string.IsNullOrEmpty(n) && string.Equals(name?.Trim(), n, StringComparison.OrdinalIgnoreCase));
}
