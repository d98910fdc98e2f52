using System;
using System.Collections.Generic;
using System.Linq;
using OAuthSmtp.Engine.Errors;
using OAuthSmtp.Engine.Profiles;
using OAuthSmtp.Engine.Tokens;

namespace OAuthSmtp.Engine.Setup.Checks;

/// <summary>
/// The token can work for SMTP: its audience is Exchange Online of the profile's cloud, it has not expired, and it
/// carries SMTP.SendAsApp (app-only, classic route), no roles with an RBAC for Applications assignment (app-only,
/// RBAC route), or SMTP.Send (delegated).
/// </summary>
public sealed class TokenPermissionsCheck : SetupCheck
{
    private static readonly SetupStep[] Dependencies = { SetupStep.Token };

    public override SetupStep Step => SetupStep.TokenPermissions;

    public override IReadOnlyList<SetupStep> DependsOn => Dependencies;

    public override string Activity => "Checking the token's audience and permissions";

    public override SetupCheckResult Run(SetupContext context)
    {
        var claims = context.Claims;
        if (claims is null)
        {
            return Skipped("Not checked: the token is not a readable JWT.");
        }

        var assessment = SmtpTokenAssessment.Assess(claims, context.Now, context.Profile.Cloud, !context.IsDelegated, IsManagedIdentity(context));
        var audienceOrTime = assessment.Errors.FirstOrDefault(f => f.Code is "AudienceNotExchange" or "AudienceOtherCloud" or "Expired" or "NotYetValid");
        if (audienceOrTime is not null)
        {
            var fix = audienceOrTime.Code.StartsWith("Audience", StringComparison.Ordinal)
                ? $"Set-SmtpOAuthProfile -Name {context.ProfileArgument} -Scope '{ExpectedScope(context)}'"
                : audienceOrTime.Fix;
            return Fail(
                audienceOrTime.Message,
                "Exchange Online accepts only a current token issued for its own resource; it answers 535 5.7.3 to anything else.",
                fix,
                SetupDocumentation.OAuthForSmtp,
                ErrorIds.SetupTokenAudienceWrong);
        }

        return context.IsDelegated ? Delegated(context, claims) : AppOnly(context, claims, assessment);
    }

    private SetupCheckResult AppOnly(SetupContext context, TokenClaims claims, SmtpTokenAssessment assessment)
    {
        var hasSendAsApp = claims.Roles.Any(r => string.Equals(r, SmtpTokenAssessment.SendAsAppRole, StringComparison.Ordinal));
        if (hasSendAsApp)
        {
            return Pass($"The token is for {claims.Audience} and carries the role SMTP.SendAsApp (admin consent granted): the classic route, FullAccess on the mailbox.");
        }

        if (claims.Roles.Count == 0)
        {
            if (context.HasSmtpRoleAssignment)
            {
                context.IsRbacRoute = true;
                return Pass($"The token carries no roles and the app holds an '{Exchange.ServicePrincipalAuthorizationRecord.SmtpSendAsAppRole}' role assignment: the RBAC for Applications route, which expects exactly that.");
            }

            if (context.Request.UseRbac)
            {
                context.IsRbacRoute = true;
                return Pass("The token carries no roles, as the RBAC for Applications route (-UseRbac) expects; the role assignment is checked with the mailbox permission.");
            }

            if (context.ExchangeIfUsable is null)
            {
                if (IsManagedIdentity(context))
                {
                    // A managed identity has no consent to forget; the assessment knows Azure's 24-hour token cache.
                    var missing = assessment.Findings.First(f => f.Code == "SendAsAppMissing");
                    return Warning(
                        missing.Message,
                        "Without SMTP.SendAsApp in the token and without an RBAC role assignment Exchange answers 535 5.7.3. Without an Exchange session the two routes cannot be told apart.",
                        ConsentFix(context),
                        SetupDocumentation.ManagedIdentityCaching);
                }

                return Warning(
                    "The token carries no roles: either admin consent for SMTP.SendAsApp is missing, or the app uses RBAC for Applications. Without an Exchange session the two cannot be told apart.",
                    "Without SMTP.SendAsApp and without an RBAC role assignment Exchange answers 535 5.7.3.",
                    ConsentFix(context),
                    SetupDocumentation.AdminConsent);
            }
        }

        var roles = claims.Roles.Count == 0 ? "no roles" : "the roles " + string.Join(", ", claims.Roles) + " but not SMTP.SendAsApp";
        if (IsManagedIdentity(context))
        {
            return Fail(
                $"The managed identity's token (object id {claims.ObjectId}) carries {roles}, and Exchange has no '{Exchange.ServicePrincipalAuthorizationRecord.SmtpSendAsAppRole}' role assignment for it.",
                "A managed identity gets SMTP.SendAsApp as an app role assignment on 'Office 365 Exchange Online' (through Graph or PowerShell; the portal has no consent button for it). If it was granted recently, it may not be in the token yet: Azure caches a managed identity's tokens for up to 24 hours, so a new role can take hours to appear.",
                ConsentFix(context),
                SetupDocumentation.ManagedIdentityCaching,
                ErrorIds.SetupConsentMissing);
        }

        var plan = EntraFixes.ForConsent(context);
        var fix = string.Join(Environment.NewLine, plan.FixLines.Concat(new[] { ConsentFix(context) }));
        if (plan.GraphMailSendOnly)
        {
            return Fail(
                $"The token for app {claims.ClientId} carries {roles}: the app has Microsoft Graph's Mail.Send application permission but not Office 365 Exchange Online's SMTP.SendAsApp.",
                "Mail.Send is Microsoft Graph's permission for its sendMail API (HTTPS), not for SMTP: Exchange Online's SMTP AUTH needs SMTP.SendAsApp of 'Office 365 Exchange Online' with admin consent, and answers 535 5.7.3 without it. -Fix adds it and grants the consent through your Graph session; Mail.Send stays for whatever uses Graph's sendMail.",
                fix,
                SetupDocumentation.AdminConsent,
                ErrorIds.SetupGraphMailSendOnly,
                plan.Actions,
                plan.Pending);
        }

        return Fail(
            $"The token for app {claims.ClientId} carries {roles}, and Exchange has no '{Exchange.ServicePrincipalAuthorizationRecord.SmtpSendAsAppRole}' role assignment for it.",
            "Admin consent for the application permission SMTP.SendAsApp of 'Office 365 Exchange Online' is missing (or was revoked). Without it Exchange refuses the app: 535 5.7.3. Consent is given in Entra ID: -Fix grants it through your Microsoft Graph session (Connect-MgGraph) when that session may.",
            fix,
            SetupDocumentation.AdminConsent,
            ErrorIds.SetupConsentMissing,
            plan.Actions,
            plan.Pending);
    }

    private SetupCheckResult Delegated(SetupContext context, TokenClaims claims)
    {
        if (claims.Scopes.Any(s => string.Equals(s, SmtpTokenAssessment.SendScope, StringComparison.OrdinalIgnoreCase)))
        {
            return Pass($"The delegated token for {claims.UserPrincipalName ?? claims.ObjectId} is for {claims.Audience} and carries the scope SMTP.Send.");
        }

        return Fail(
            $"The delegated token for {claims.UserPrincipalName ?? claims.ObjectId} carries the scopes '{string.Join(" ", claims.Scopes)}' but not SMTP.Send.",
            "Exchange needs the delegated permission SMTP.Send to let the user authenticate SMTP; without it the answer is 535 5.7.3.",
            $"Entra ID > App registrations > {context.ClientId} > API permissions > Add a permission > Office 365 Exchange Online > Delegated permissions > SMTP.Send; grant consent; then Get-SmtpOAuthToken -Profile {context.ProfileArgument} -ForceRefresh",
            SetupDocumentation.OAuthForSmtp,
            ErrorIds.SetupDelegatedScopeMissing);
    }

    private static string ExpectedScope(SetupContext context)
    {
        var cloud = CloudEndpoints.For(context.Profile.Cloud);
        return context.IsDelegated ? cloud.DelegatedScope + " offline_access" : cloud.AppOnlyScope;
    }

    private static bool IsManagedIdentity(SetupContext context) =>
        context.Profile.CredentialKind is CredentialKind.SystemManagedIdentity or CredentialKind.UserManagedIdentity;

    private static string ConsentFix(SetupContext context)
    {
        if (IsManagedIdentity(context))
        {
            var oid = context.ObjectId ?? "<managed identity object id>";
            return string.Join(Environment.NewLine, new[]
            {
                $"Granted recently? Wait (Azure caches managed identity tokens for up to 24 hours), or restart the resource (App Service, Function, VM, Arc server) so it fetches a new token; then Test-SmtpOAuthSetup -Profile {context.ProfileArgument}.",
                $"Not granted yet? $exo = Get-MgServicePrincipal -Filter \"appId eq '00000002-0000-0ff1-ce00-000000000000'\"; New-MgServicePrincipalAppRoleAssignment -ServicePrincipalId {oid} -PrincipalId {oid} -ResourceId $exo.Id -AppRoleId ($exo.AppRoles | Where-Object Value -eq 'SMTP.SendAsApp').Id",
                $"Or use RBAC for Applications instead (no app role, and no token cache to wait for): Test-SmtpOAuthSetup -Profile {context.ProfileArgument} -UseRbac -Fix",
            });
        }

        var cloud = CloudEndpoints.For(context.Profile.Cloud);
        var authority = context.Profile.AuthorityHost.ToString().TrimEnd('/');
        var tenant = context.TenantGuid ?? context.Profile.TenantId;
        return string.Join(Environment.NewLine, new[]
        {
            $"Entra ID > App registrations > {context.ClientId} > API permissions > Add a permission > APIs my organization uses > Office 365 Exchange Online > Application permissions > SMTP.SendAsApp, then 'Grant admin consent'.",
            $"Or have an admin open: {authority}/{tenant}/v2.0/adminconsent?client_id={context.ClientId}&scope={cloud.AppOnlyScope}",
            $"Or use RBAC for Applications instead (no API permission): Test-SmtpOAuthSetup -Profile {context.ProfileArgument} -UseRbac -Fix",
        });
    }
}
