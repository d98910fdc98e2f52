using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using OAuthSmtp.Engine.Errors;
using OAuthSmtp.Engine.Setup.Entra;

namespace OAuthSmtp.Engine.Setup.Provisioning;

/// <summary>
/// The Entra half before the credential: the app registration (found by -ClientId or display name, else created),
/// its API permission for the route, its enterprise application, and admin consent. Each step reads first and
/// changes only what is missing, so a second run changes nothing.
/// </summary>
internal static class EntraAppSteps
{
    /// <summary>Microsoft Graph's appId, and its offline_access delegated permission id (the same in every tenant).</summary>
    private const string GraphAppId = HttpGraphAdmin.GraphAppId;
    private const string OfflineAccessScopeId = "7427e0e9-2fba-42fe-b0c0-848c9e6a8182";
    private const string OfflineAccess = "offline_access";

    public static void Application(ProvisioningRun run)
    {
        const string step = ProvisioningStepNames.Application;
        var request = run.Request;
        if (request.IsManagedIdentity)
        {
            run.Skipped(step, "A managed identity has no app registration.");
            return;
        }

        if (request.ClientId is { } clientId)
        {
            var found = Applications(run, step, $"applications?$filter=appId eq '{clientId}'&$select=id,appId,displayName");
            if (found.Count == 0)
            {
                throw Invalid($"No app registration has the client id {clientId} in this tenant ({run.TenantId}). Nothing was changed.", "Leave -ClientId out to create the app, or give the Application (client) ID shown under App registrations.");
            }

            Use(run, found[0]);
            run.Unchanged(step, $"Using the app registration '{run.ServicePrincipalDisplayName}' (client id {run.AppId}).");
            return;
        }

        var named = Applications(run, step, $"applications?$filter=displayName eq '{GraphRequest.FilterLiteral(request.DisplayName)}'&$select=id,appId,displayName");
        if (named.Count > 1)
        {
            throw Invalid(
                $"{named.Count} app registrations are named '{request.DisplayName}' (client ids {string.Join(", ", named.Select(a => GraphJson.Text(a, "appId")))}), so it is not clear which one to set up. Nothing was changed.",
                "Give -ClientId <the one to use>, or another -DisplayName.");
        }

        if (named.Count == 1)
        {
            Use(run, named[0]);
            run.Unchanged(step, $"The app registration '{request.DisplayName}' exists (client id {run.AppId}).");
            return;
        }

        var create = GraphRequest.Post("applications", new Dictionary<string, object> { ["displayName"] = request.DisplayName, ["signInAudience"] = "AzureADMyOrg" });
        run.AppId = ProvisioningRun.NewAppIdPlaceholder;
        run.ApplicationObjectId = ProvisioningRun.NewApplicationPlaceholder;
        run.ServicePrincipalDisplayName = request.DisplayName;
        run.Change(step, request.DisplayName, $"Register the app '{request.DisplayName}' (single tenant)", new[] { create.ToString() }, () =>
        {
            using var created = run.Write(create).Json();
            Use(run, created.RootElement);
        });
    }

    public static void Permission(ProvisioningRun run)
    {
        const string step = ProvisioningStepNames.Permission;
        var request = run.Request;
        if (request.IsManagedIdentity)
        {
            run.Skipped(step, "A managed identity gets its role directly (admin consent step); it has no API permissions to request.");
            return;
        }

        var exchange = run.ExchangeResource!;
        var current = IsNew(run.ApplicationObjectId) ? default : Read(run, step, $"applications/{run.ApplicationObjectId}?$select=id,appId,requiredResourceAccess,web,isFallbackPublicClient");
        var access = RequiredResourceAccess(current);
        if (!request.Delegated && request.Route == SmtpAccessRoute.Rbac)
        {
            if (Has(access, ExchangeOnlineResource.AppId, exchange.SendAsAppRoleId, "Role"))
            {
                run.Host.Warning("The app requests the SMTP.SendAsApp application permission. With RBAC for Applications, a token that carries it makes Exchange check FullAccess instead of the role assignment (535 5.7.3): remove the permission under API permissions, or use -Route Classic.");
            }

            run.Skipped(step, "RBAC for Applications: the app needs no API permission (Microsoft: 'Refrain from adding any permissions').");
            return;
        }

        var wanted = new List<(string Resource, string? Id, string Type, string Name)>();
        if (request.Delegated)
        {
            wanted.Add((ExchangeOnlineResource.AppId, exchange.SendScopeId, "Scope", "Office 365 Exchange Online SMTP.Send (delegated)"));
            wanted.Add((GraphAppId, OfflineAccessScopeId, "Scope", "Microsoft Graph offline_access (delegated)"));
        }
        else
        {
            wanted.Add((ExchangeOnlineResource.AppId, exchange.SendAsAppRoleId, "Role", "Office 365 Exchange Online SMTP.SendAsApp (application)"));
        }

        if (wanted.Any(w => w.Id is null))
        {
            throw Invalid("Office 365 Exchange Online in this tenant offers no " + (request.Delegated ? "SMTP.Send scope" : "SMTP.SendAsApp app role") + ". Nothing was changed in this step.", "Check the tenant's Exchange Online licence.");
        }

        var missing = wanted.Where(w => !Has(access, w.Resource, w.Id, w.Type)).ToList();
        var redirects = RedirectUris(current);
        var missingRedirects = request.RedirectUris.Where(u => !redirects.Contains(u, StringComparer.OrdinalIgnoreCase)).ToList();
        var publicClientMissing = request.Delegated && !(current.ValueKind == JsonValueKind.Object && current.TryGetProperty("isFallbackPublicClient", out var fallback) && fallback.ValueKind == JsonValueKind.True);
        if (missing.Count == 0 && missingRedirects.Count == 0 && !publicClientMissing)
        {
            run.Unchanged(step, "The app requests " + string.Join(" and ", wanted.Select(w => w.Name)) + (request.RedirectUris.Count > 0 ? " and has the redirect URI(s)." : "."));
            return;
        }

        foreach (var add in missing)
        {
            AddAccess(access, add.Resource, add.Id!, add.Type);
        }

        var body = new Dictionary<string, object> { ["requiredResourceAccess"] = RequiredResourceAccessBody(access) };
        if (request.Delegated)
        {
            body["web"] = new Dictionary<string, object> { ["redirectUris"] = redirects.Concat(missingRedirects).ToList() };

            // Lets the profile sign a mailbox in with the device code flow (a public client flow) for the test message.
            body["isFallbackPublicClient"] = true;
        }

        var patch = GraphRequest.Patch($"applications/{run.ApplicationObjectId}", body);
        var what = string.Join(", ", missing.Select(m => m.Name).Concat(missingRedirects.Select(u => "redirect URI " + u)));
        run.Change(step, $"app {run.AppId}", "Add to the app: " + (what.Length == 0 ? "public client flows" : what), new[] { patch.ToString() }, () => run.Write(patch));
    }

    public static void EnterpriseApplication(ProvisioningRun run)
    {
        const string step = ProvisioningStepNames.EnterpriseApplication;
        if (run.Request.IsManagedIdentity)
        {
            ManagedIdentity(run, step);
            return;
        }

        if (!IsNew(run.AppId))
        {
            var existing = Items(run, step, $"servicePrincipals?$filter=appId eq '{run.AppId}'&$select=id,appId,displayName");
            if (existing.Count > 0)
            {
                run.ServicePrincipalId = GraphJson.Text(existing[0], "id");
                run.Unchanged(step, $"The enterprise application exists (object id {run.ServicePrincipalId}).");
                return;
            }
        }

        var create = NewEnterpriseApplicationRequest(run.AppId!);
        run.ServicePrincipalId = ProvisioningRun.NewServicePrincipalPlaceholder;
        run.Change(step, $"app {run.AppId}", "Create the app's enterprise application (service principal)", new[] { create.ToString() }, () =>
        {
            using var created = run.Write(create).Json();
            run.ServicePrincipalId = GraphJson.Text(created.RootElement, "id");
        });
    }

    public static void AdminConsent(ProvisioningRun run)
    {
        const string step = ProvisioningStepNames.AdminConsent;
        var request = run.Request;
        var exchange = run.ExchangeResource!;
        if (!request.Delegated && request.Route == SmtpAccessRoute.Rbac && !request.IsManagedIdentity)
        {
            run.Skipped(step, "RBAC for Applications: no API permission, so no admin consent.");
            return;
        }

        if (request.Delegated)
        {
            DelegatedGrant(run, step, exchange.ServicePrincipalId, ExchangeOnlineResource.SendScope, "Office 365 Exchange Online");
            var graph = Items(run, step, $"servicePrincipals?$filter=appId eq '{GraphAppId}'&$select=id");
            if (graph.Count > 0)
            {
                DelegatedGrant(run, step, GraphJson.Text(graph[0], "id")!, OfflineAccess, "Microsoft Graph");
            }

            return;
        }

        if (request.Route == SmtpAccessRoute.Rbac)
        {
            run.Skipped(step, "RBAC for Applications: the managed identity needs no app role; the Exchange role assignment authorizes it.");
            return;
        }

        var roleId = exchange.SendAsAppRoleId!;
        if (!IsNew(run.ServicePrincipalId))
        {
            var granted = Items(run, step, $"servicePrincipals/{run.ServicePrincipalId}/appRoleAssignments");
            if (granted.Any(g => string.Equals(GraphJson.Text(g, "resourceId"), exchange.ServicePrincipalId, StringComparison.OrdinalIgnoreCase)
                && string.Equals(GraphJson.Text(g, "appRoleId"), roleId, StringComparison.OrdinalIgnoreCase)))
            {
                run.Unchanged(step, "Admin consent for SMTP.SendAsApp is granted.");
                return;
            }
        }

        var grant = AdminConsentRequest(exchange.ServicePrincipalId, run.ServicePrincipalId!, roleId);
        run.Change(step, run.ServicePrincipalDisplayName ?? run.ServicePrincipalId!, "Grant admin consent for Office 365 Exchange Online SMTP.SendAsApp", new[] { grant.ToString() }, () => run.Write(grant));
    }

    private static void DelegatedGrant(ProvisioningRun run, string step, string resourceId, string scope, string resourceName)
    {
        string? existingId = null;
        string existingScope = string.Empty;
        if (!IsNew(run.ServicePrincipalId))
        {
            var grants = Items(run, step, $"oauth2PermissionGrants?$filter=clientId eq '{run.ServicePrincipalId}'");
            var forResource = grants.FirstOrDefault(g => string.Equals(GraphJson.Text(g, "resourceId"), resourceId, StringComparison.OrdinalIgnoreCase)
                && string.Equals(GraphJson.Text(g, "consentType"), "AllPrincipals", StringComparison.OrdinalIgnoreCase));
            if (forResource.ValueKind == JsonValueKind.Object)
            {
                existingId = GraphJson.Text(forResource, "id");
                existingScope = GraphJson.Text(forResource, "scope") ?? string.Empty;
                if (existingScope.Split(' ').Contains(scope, StringComparer.OrdinalIgnoreCase))
                {
                    run.Unchanged(step, $"Admin consent for {resourceName} {scope} is granted for all users.");
                    return;
                }
            }
        }

        var call = existingId is null
            ? GraphRequest.Post("oauth2PermissionGrants", new Dictionary<string, string> { ["clientId"] = run.ServicePrincipalId!, ["consentType"] = "AllPrincipals", ["resourceId"] = resourceId, ["scope"] = scope })
            : GraphRequest.Patch($"oauth2PermissionGrants/{existingId}", new Dictionary<string, string> { ["scope"] = (existingScope + " " + scope).Trim() });
        run.Change(step, run.ServicePrincipalDisplayName ?? run.ServicePrincipalId!, $"Grant admin consent for {resourceName} {scope} for all users", new[] { call.ToString() }, () => run.Write(call));
    }

    private static void ManagedIdentity(ProvisioningRun run, string step)
    {
        var id = run.Request.ManagedIdentityId ?? string.Empty;
        var found = Guid.TryParse(id, out _)
            ? Items(run, step, $"servicePrincipals?$filter=appId eq '{id}'&$select=id,appId,displayName,servicePrincipalType")
            : Array.Empty<JsonElement>();
        if (found.Count == 0 && Guid.TryParse(id, out _))
        {
            var byObjectId = run.Graph.Send(GraphRequest.Get($"servicePrincipals/{id}?$select=id,appId,displayName,servicePrincipalType"), run.CancellationToken);
            if (byObjectId.IsSuccess)
            {
                using var document = byObjectId.Json();
                found = new[] { document.RootElement.Clone() };
            }
        }

        if (found.Count == 0)
        {
            throw Invalid(
                $"No managed identity with the client id or object id '{id}' exists in this tenant. Nothing was changed.",
                "Give -ManagedIdentityId the Client ID (or Object ID) shown on the identity's page in the Azure portal (Settings > Identity), after turning the identity on.");
        }

        run.ServicePrincipalId = GraphJson.Text(found[0], "id");
        run.AppId = GraphJson.Text(found[0], "appId");
        run.ServicePrincipalDisplayName = GraphJson.Text(found[0], "displayName");
        run.Unchanged(step, $"Using the managed identity '{run.ServicePrincipalDisplayName}' (client id {run.AppId}, object id {run.ServicePrincipalId}).");
    }

    private static void Use(ProvisioningRun run, JsonElement app)
    {
        run.ApplicationObjectId = GraphJson.Text(app, "id");
        run.AppId = GraphJson.Text(app, "appId");
        run.ServicePrincipalDisplayName = GraphJson.Text(app, "displayName");
    }

    public static bool IsNew(string? id) => id is null || id.StartsWith("<", StringComparison.Ordinal);

    private static IReadOnlyList<JsonElement> Applications(ProvisioningRun run, string step, string path) => Items(run, step, path);

    private static IReadOnlyList<JsonElement> Items(ProvisioningRun run, string step, string path)
    {
        using var document = run.Read(step, GraphRequest.Get(path)).Json();
        return GraphJson.Items(document.RootElement);
    }

    private static JsonElement Read(ProvisioningRun run, string step, string path)
    {
        using var document = run.Read(step, GraphRequest.Get(path)).Json();
        return document.RootElement.Clone();
    }

    /// <summary>Creates the enterprise application (service principal) of an app registration.</summary>
    internal static GraphRequest NewEnterpriseApplicationRequest(string appId) =>
        GraphRequest.Post("servicePrincipals", new Dictionary<string, string> { ["appId"] = appId });

    /// <summary>Admin consent for an application permission: an app role assignment on the resource's service principal.</summary>
    internal static GraphRequest AdminConsentRequest(string resourceServicePrincipalId, string principalId, string appRoleId) =>
        GraphRequest.Post(
            $"servicePrincipals/{resourceServicePrincipalId}/appRoleAssignedTo",
            new Dictionary<string, string> { ["principalId"] = principalId, ["resourceId"] = resourceServicePrincipalId, ["appRoleId"] = appRoleId });

    /// <summary>Adds one permission to a requiredResourceAccess list (under its resource's entry).</summary>
    internal static void AddAccess(List<(string Resource, List<(string Id, string Type)> Access)> access, string resource, string id, string type)
    {
        var entry = access.FirstOrDefault(a => string.Equals(a.Resource, resource, StringComparison.OrdinalIgnoreCase));
        if (entry.Resource is null)
        {
            access.Add((resource, new List<(string, string)> { (id, type) }));
        }
        else
        {
            entry.Access.Add((id, type));
        }
    }

    /// <summary>requiredResourceAccess as a PATCH body wants it (the whole collection: Graph replaces it).</summary>
    internal static List<Dictionary<string, object>> RequiredResourceAccessBody(List<(string Resource, List<(string Id, string Type)> Access)> access) =>
        access.Select(a => new Dictionary<string, object>
        {
            ["resourceAppId"] = a.Resource,
            ["resourceAccess"] = a.Access.Select(x => new Dictionary<string, string> { ["id"] = x.Id, ["type"] = x.Type }).ToList(),
        }).ToList();

    internal static List<(string Resource, List<(string Id, string Type)> Access)> RequiredResourceAccess(JsonElement app) =>
        GraphJson.Array(app, "requiredResourceAccess")
            .Select(r => (GraphJson.Text(r, "resourceAppId") ?? string.Empty,
                GraphJson.Array(r, "resourceAccess").Select(a => (GraphJson.Text(a, "id") ?? string.Empty, GraphJson.Text(a, "type") ?? string.Empty)).ToList()))
            .ToList();

    internal static bool Has(List<(string Resource, List<(string Id, string Type)> Access)> access, string resource, string? id, string type) =>
        id is not null && access.Any(a => string.Equals(a.Resource, resource, StringComparison.OrdinalIgnoreCase)
            && a.Access.Any(x => string.Equals(x.Id, id, StringComparison.OrdinalIgnoreCase) && string.Equals(x.Type, type, StringComparison.OrdinalIgnoreCase)));

    private static List<string> RedirectUris(JsonElement app) =>
        app.ValueKind == JsonValueKind.Object && app.TryGetProperty("web", out var web)
            ? GraphJson.Array(web, "redirectUris").Where(u => u.ValueKind == JsonValueKind.String).Select(u => u.GetString()!).ToList()
            : new List<string>();

    private static OAuthSmtpException Invalid(string message, string fix) =>
        new(ErrorIds.ProvisioningInvalidRequest, ErrorKind.InvalidArgument, message, fix);
}
