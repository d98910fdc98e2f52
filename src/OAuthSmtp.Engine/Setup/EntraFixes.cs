using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using OAuthSmtp.Engine.Errors;
using OAuthSmtp.Engine.Profiles;
using OAuthSmtp.Engine.Setup.Entra;
using OAuthSmtp.Engine.Setup.Provisioning;

namespace OAuthSmtp.Engine.Setup;

/// <summary>
/// Decides the Entra half of -Fix for a failed step: with the admin's Graph session (Connect-MgGraph or
/// -GraphAccessToken) it reads what the fix needs and plans the Graph calls Initialize-SmtpOAuthSetup makes for the
/// same step (<see cref="EntraAppSteps"/>' requests) or the rotation of Update-SmtpOAuthCredential. Without a session,
/// or with one that lacks a scope or directory role, it plans nothing and says exactly what is missing. Which role
/// may do what: <see cref="DirectoryRoles"/> (Microsoft Learn, "Grant tenant-wide admin consent" and "Least
/// privileged roles by task"); which scope each call needs: <see cref="ProvisioningRequirements"/>.
/// </summary>
public static class EntraFixes
{
    private const string GraphAppId = HttpGraphAdmin.GraphAppId;
    private const string MailSend = "Mail.Send";

    /// <summary>May change an app registration they do not own and create its enterprise application (least privileged first).</summary>
    private static readonly string[] ApplicationRoles =
    {
        DirectoryRoles.CloudApplicationAdministrator, DirectoryRoles.ApplicationAdministrator, DirectoryRoles.GlobalAdministrator,
    };

    private static readonly string[] ReadScope = { ProvisioningRequirements.ApplicationReadAll };

    /// <summary>Admin consent for SMTP.SendAsApp is missing: grant it, adding the permission to the app first where it lacks it (the Graph Mail.Send mix-up).</summary>
    public static EntraFixPlan ForConsent(SetupContext context)
    {
        if (context is null)
        {
            throw new ArgumentNullException(nameof(context));
        }

        var consentScopes = new[] { ProvisioningRequirements.AppRoleAssignmentReadWriteAll, ProvisioningRequirements.ApplicationReadAll };
        var gate = Gate(context, consentScopes, DirectoryRoles.MayConsentToExchangePermissions, "grant the consent", new[] { ProvisioningRequirements.ApplicationReadWriteAll, ProvisioningRequirements.AppRoleAssignmentReadWriteAll });
        if (gate is not null)
        {
            return gate;
        }

        var graph = context.AdminGraph!;
        var oid = context.ObjectId;
        try
        {
            var exchange = ExchangeOnlineResource.Read(graph);
            var app = App(context, graph);
            if (app is null || string.IsNullOrEmpty(oid) || exchange.SendAsAppRoleId is null)
            {
                return EntraFixPlan.Say(app is null
                    ? NotInTenant(context)
                    : "-Fix cannot grant it: Office 365 Exchange Online in this tenant offers no SMTP.SendAsApp role, or the token names no enterprise application (oid).");
            }

            var appObjectId = GraphJson.Text(app.Value, "id")!;
            var access = EntraAppSteps.RequiredResourceAccess(app.Value);
            var hasSmtp = EntraAppSteps.Has(access, ExchangeOnlineResource.AppId, exchange.SendAsAppRoleId, "Role");
            var granted = Items(context, graph, $"servicePrincipals/{oid}/appRoleAssignments");
            var (graphSpId, mailSendId) = GraphMailSendRole(context, graph);
            var mailSendOnly = !hasSmtp && mailSendId is not null
                && (EntraAppSteps.Has(access, GraphAppId, mailSendId, "Role")
                    || granted.Any(g => Same(GraphJson.Text(g, "resourceId"), graphSpId) && Same(GraphJson.Text(g, "appRoleId"), mailSendId)));

            if (granted.Any(g => Same(GraphJson.Text(g, "resourceId"), exchange.ServicePrincipalId) && Same(GraphJson.Text(g, "appRoleId"), exchange.SendAsAppRoleId)))
            {
                return new EntraFixPlan(Array.Empty<SetupFixAction>(), new[] { "Admin consent for SMTP.SendAsApp is granted in Entra ID; new tokens carry it shortly. Run Test-SmtpOAuthSetup again (or add -Wait)." }, pending: true);
            }

            var target = $"app {context.ClientId} ('{GraphJson.Text(app.Value, "displayName")}')";
            var actions = new List<SetupFixAction>();
            SetupFixAction? permission = null;
            if (!hasSmtp)
            {
                var missing = Missing(context.AdminGraphSession!, new[] { ProvisioningRequirements.ApplicationReadWriteAll }, ApplicationRoles);
                if (missing is not null)
                {
                    return new EntraFixPlan(Array.Empty<SetupFixAction>(), new[] { $"-Fix cannot add SMTP.SendAsApp to the app's API permissions: {missing}." }, mailSendOnly);
                }

                EntraAppSteps.AddAccess(access, ExchangeOnlineResource.AppId, exchange.SendAsAppRoleId, "Role");
                var patch = GraphRequest.Patch($"applications/{appObjectId}", new Dictionary<string, object> { ["requiredResourceAccess"] = EntraAppSteps.RequiredResourceAccessBody(access) });
                permission = SetupFixAction.GraphChange(
                    SetupFixKind.AddSmtpPermission,
                    patch,
                    target,
                    "Add the application permission Office 365 Exchange Online SMTP.SendAsApp to the app's API permissions" + (mailSendOnly ? " (Microsoft Graph Mail.Send stays: it serves Graph's sendMail, not SMTP)" : string.Empty),
                    SetupFixAction.EntraKey("smtp permission " + context.ClientId));
                actions.Add(permission);
            }

            var consent = SetupFixAction.GraphChange(
                SetupFixKind.GrantAdminConsent,
                EntraAppSteps.AdminConsentRequest(exchange.ServicePrincipalId, oid!, exchange.SendAsAppRoleId),
                target,
                $"Grant admin consent for Office 365 Exchange Online SMTP.SendAsApp to the enterprise application {oid}");
            actions.Add(permission is null ? consent : consent.After(permission));
            return new EntraFixPlan(actions, actions.Select(a => a.CommandText).ToList(), mailSendOnly);
        }
        catch (OAuthSmtpException refused) when (refused.ErrorId != ErrorIds.OperationStopped)
        {
            return EntraFixPlan.Say($"-Fix cannot plan the consent: {refused.Message}");
        }
    }

    /// <summary>Entra ID knows no app for the client id (AADSTS700016): create the enterprise application when only it is missing.</summary>
    public static EntraFixPlan ForMissingEnterpriseApplication(SetupContext context)
    {
        if (context is null)
        {
            throw new ArgumentNullException(nameof(context));
        }

        if (context.Profile.IsManagedIdentity || context.ClientId.Length == 0)
        {
            return EntraFixPlan.None;
        }

        var gate = Gate(context, ReadScope, Array.Empty<string>(), "create a missing enterprise application", new[] { ProvisioningRequirements.ApplicationReadWriteAll });
        if (gate is not null)
        {
            return gate;
        }

        var graph = context.AdminGraph!;
        try
        {
            var app = App(context, graph);
            if (app is null)
            {
                return EntraFixPlan.Say(NotInTenant(context));
            }

            var existing = Items(context, graph, $"servicePrincipals?$filter=appId eq '{GraphRequest.FilterLiteral(context.ClientId)}'&$select=id,appId");
            if (existing.Count > 0)
            {
                return new EntraFixPlan(
                    Array.Empty<SetupFixAction>(),
                    new[] { $"The app registration and its enterprise application (object id {GraphJson.Text(existing[0], "id")}) exist: Entra ID's sign-in has not replicated them yet (AADSTS700016 for a minute or two after creation). Add -Wait to re-test until it has." },
                    pending: true);
            }

            var missing = Missing(context.AdminGraphSession!, new[] { ProvisioningRequirements.ApplicationReadWriteAll }, ApplicationRoles);
            if (missing is not null)
            {
                return EntraFixPlan.Say($"The app registration exists but has no enterprise application. -Fix cannot create it: {missing}.");
            }

            var create = SetupFixAction.GraphChange(
                SetupFixKind.NewEnterpriseApplication,
                EntraAppSteps.NewEnterpriseApplicationRequest(context.ClientId),
                $"app {context.ClientId} ('{GraphJson.Text(app.Value, "displayName")}')",
                "Create the app's enterprise application (service principal), which Entra ID signs the app in as",
                SetupFixAction.EntraKey("enterprise application " + context.ClientId));
            return new EntraFixPlan(new[] { create }, new[] { "The app registration exists but has no enterprise application (Entra ID > Enterprise applications). -Fix creates it: " + create.CommandText });
        }
        catch (OAuthSmtpException refused) when (refused.ErrorId != ErrorIds.OperationStopped)
        {
            return EntraFixPlan.Say($"-Fix cannot look for the enterprise application: {refused.Message}");
        }
    }

    /// <summary>The client secret has expired (AADSTS7000222): a new one through the rotation, stored in the profile.</summary>
    public static EntraFixPlan ForExpiredSecret(SetupContext context)
    {
        if (context is null)
        {
            throw new ArgumentNullException(nameof(context));
        }

        if (context.Profile.CredentialKind != CredentialKind.ClientSecret || context.Services.SecretRotation is null)
        {
            return EntraFixPlan.None;
        }

        var gate = Gate(context, new[] { ProvisioningRequirements.ApplicationReadWriteAll }, ApplicationRoles, "replace the expired secret", new[] { ProvisioningRequirements.ApplicationReadWriteAll });
        if (gate is not null)
        {
            return gate;
        }

        var rotate = SetupFixAction.RotateClientSecret(context.Profile.Name, context.ClientId, "client secret");
        return new EntraFixPlan(new[] { rotate }, new[] { $"-Fix replaces it: {rotate.CommandText} (a new secret, proven and stored in the profile; the expired one stays in the app until you remove it)." });
    }

    /// <summary>Null when the session may do it; else the plan that says what is missing or how to sign in.</summary>
    private static EntraFixPlan? Gate(SetupContext context, IReadOnlyList<string> scopes, IReadOnlyList<string> roles, string what, IReadOnlyList<string> connectScopes)
    {
        var session = context.AdminGraphSession;
        if (session is null)
        {
            var role = roles.Count == 0 ? ApplicationRoles : roles;
            return EntraFixPlan.Say(
                $"-Fix can {what} through Microsoft Graph with your rights ({context.AdminGraphUnavailableReason?.TrimEnd('.') ?? "no Graph session"}): " +
                $"Connect-MgGraph -Scopes {string.Join(",", connectScopes.Concat(new[] { "User.Read" }))} as a {DirectoryRoles.Describe(role)}, then Test-SmtpOAuthSetup -Profile {context.ProfileArgument} -Fix");
        }

        var missing = Missing(session, scopes, roles);
        return missing is null ? null : EntraFixPlan.Say($"-Fix cannot {what}: {missing}. Then run Test-SmtpOAuthSetup -Profile {context.ProfileArgument} -Fix again.");
    }

    /// <summary>Exactly which scope (or app permission) and directory role the session lacks; null when none.</summary>
    public static string? Missing(GraphAdminSession session, IReadOnlyList<string> scopes, IReadOnlyList<string> roles)
    {
        if (session is null)
        {
            throw new ArgumentNullException(nameof(session));
        }

        var parts = new List<string>();
        var lacking = scopes.Where(s => !Holds(session, s)).ToList();
        if (lacking.Count > 0)
        {
            parts.Add(session.IsAppOnly
                ? $"{session.Source} (app {session.Account}) lacks the Microsoft Graph application permission {string.Join(" and ", lacking)}: grant it with admin consent"
                : $"{session.Source} lacks the scope {string.Join(" and ", lacking)}: Connect-MgGraph -Scopes {string.Join(",", scopes.Concat(session.Permissions).Distinct(StringComparer.OrdinalIgnoreCase))}");
        }

        if (!session.IsAppOnly && roles.Count > 0 && session.HasAnyDirectoryRole(roles) == false)
        {
            parts.Add($"{session.Account ?? "the signed-in admin"} holds none of the directory roles that may do it: {DirectoryRoles.Describe(roles)} (activate one, e.g. in Privileged Identity Management)");
        }

        return parts.Count == 0 ? null : string.Join("; and ", parts);
    }

    private static bool Holds(GraphAdminSession session, string permission) =>
        session.HasPermission(permission)
        || (string.Equals(permission, ProvisioningRequirements.ApplicationReadAll, StringComparison.OrdinalIgnoreCase)
            && new[] { ProvisioningRequirements.ApplicationReadWriteAll, "Directory.Read.All", "Directory.ReadWrite.All" }.Any(session.HasPermission));

    private static JsonElement? App(SetupContext context, IGraphAdmin graph)
    {
        var apps = Items(context, graph, $"applications?$filter=appId eq '{GraphRequest.FilterLiteral(context.ClientId)}'&$select=id,appId,displayName,requiredResourceAccess");
        return apps.Count == 0 ? null : apps[0];
    }

    /// <summary>Microsoft Graph's service principal id and its Mail.Send app role id in this tenant (read, never hard-coded).</summary>
    private static (string? ServicePrincipalId, string? MailSendRoleId) GraphMailSendRole(SetupContext context, IGraphAdmin graph)
    {
        var graphSp = Items(context, graph, $"servicePrincipals?$filter=appId eq '{GraphAppId}'&$select=id,appRoles").FirstOrDefault();
        if (graphSp.ValueKind != JsonValueKind.Object)
        {
            return (null, null);
        }

        var role = GraphJson.Array(graphSp, "appRoles").FirstOrDefault(r => string.Equals(GraphJson.Text(r, "value"), MailSend, StringComparison.Ordinal));
        return (GraphJson.Text(graphSp, "id"), role.ValueKind == JsonValueKind.Object ? GraphJson.Text(role, "id") : null);
    }

    private static IReadOnlyList<JsonElement> Items(SetupContext context, IGraphAdmin graph, string path)
    {
        var request = GraphRequest.Get(path);
        using var document = graph.Send(request, context.CancellationToken).EnsureSuccess(request).Json();
        return GraphJson.Items(document.RootElement);
    }

    private static string NotInTenant(SetupContext context) =>
        $"-Fix cannot change the app: the tenant of your Graph session ({context.AdminGraphSession?.TenantId ?? "unknown"}) has no app registration with the client id {context.ClientId}. Check the client id (Set-SmtpOAuthProfile -ClientId), or sign in to the app's tenant: Connect-MgGraph -TenantId {context.Profile.TenantId}.";

    private static bool Same(string? a, string? b) =>
        a is not null && b is not null && string.Equals(a, b, StringComparison.OrdinalIgnoreCase);
}
