using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Text.RegularExpressions;
using OAuthSmtp.Emulator.Model;

namespace OAuthSmtp.Emulator.Graph;

/// <summary>
/// /servicePrincipals: list ($filter appId/displayName), get by object id or (appId='…'), create from an appId, update
/// accountEnabled, delete; their appRoleAssignments / appRoleAssignedTo (GraphAppRoleAssignments) and
/// oauth2PermissionGrants (GraphPermissionGrants).
/// </summary>
internal sealed partial class GraphSurface
{
    private GraphResult ServicePrincipals(GraphRequest request)
    {
        var segments = request.Segments;
        var caller = request.Caller;
        if (segments.Length == 1 && segments[0] == "servicePrincipals")
        {
            if (request.IsGet)
            {
                caller.Require(GraphPermissions.ReadApplicationsScopes, GraphPermissions.ReadApplicationsRoles);
                var principals = Filter(Model.ServicePrincipals, request.Filter, new Dictionary<string, Func<EntraServicePrincipal, string?>>
                {
                    ["appId"] = s => s.AppId.ToString(),
                    ["displayName"] = s => s.DisplayName,
                });
                return GraphResult.Ok(GraphResponses.Project(GraphResponses.Collection("servicePrincipals", principals.Select(ServicePrincipal)), request.Select));
            }

            if (request.IsPost)
            {
                return CreateServicePrincipal(request);
            }

            throw NotAllowed();
        }

        var sp = FindServicePrincipal(segments[0], segments.Length > 1 ? segments[1] : null);
        var rest = segments[0].StartsWith("servicePrincipals(", StringComparison.Ordinal) ? segments.Skip(1).ToArray() : segments.Skip(2).ToArray();
        if (rest.Length == 0)
        {
            if (request.IsGet)
            {
                caller.Require(GraphPermissions.ReadApplicationsScopes, GraphPermissions.ReadApplicationsRoles);
                return GraphResult.Ok(GraphResponses.Project(GraphResponses.Entity("servicePrincipals/$entity", ServicePrincipal(sp)), request.Select));
            }

            if (request.IsPatch)
            {
                RequireManageServicePrincipal(caller, sp);
                var body = request.RequireBody();
                if (body.TryGetProperty("accountEnabled", out var enabled))
                {
                    sp.AccountEnabled = enabled.ValueKind is JsonValueKind.True or JsonValueKind.False ? enabled.GetBoolean() : throw GraphErrorException.InvalidValue("accountEnabled", "ServicePrincipal");
                }

                return GraphResult.NoContent();
            }

            if (request.IsDelete)
            {
                RequireManageServicePrincipal(caller, sp);
                Model.AppRoleAssignments.RemoveAll(a => a.PrincipalId == sp.ObjectId || a.ResourceId == sp.ObjectId);
                Model.DelegatedGrants.RemoveAll(g => g.ClientId == sp.ObjectId || g.ResourceId == sp.ObjectId);
                Model.ServicePrincipals.Remove(sp);
                return GraphResult.NoContent();
            }

            throw NotAllowed();
        }

        return rest[0] switch
        {
            "appRoleAssignments" => AppRoleAssignments(request, sp, rest, principalSide: true),
            "appRoleAssignedTo" => AppRoleAssignments(request, sp, rest, principalSide: false),
            "oauth2PermissionGrants" when rest.Length == 1 && request.IsGet => ListPermissionGrants(request, Model.DelegatedGrants.Where(g => g.ClientId == sp.ObjectId), $"servicePrincipals('{sp.ObjectId}')/oauth2PermissionGrants"),
            _ => throw GraphErrorException.UnknownSegment(rest[0]),
        };
    }

    /// <summary>servicePrincipals/{id} or servicePrincipals(appId='…'); 404 Request_ResourceNotFound otherwise.</summary>
    private EntraServicePrincipal FindServicePrincipal(string head, string? id)
    {
        var byAppId = Regex.Match(head, @"^servicePrincipals\(appId='(?<id>[^']*)'\)$");
        if (byAppId.Success)
        {
            var appId = byAppId.Groups["id"].Value;
            return Model.ServicePrincipals.FirstOrDefault(s => string.Equals(s.AppId.ToString(), appId, StringComparison.OrdinalIgnoreCase))
                ?? throw GraphErrorException.NotFound(appId);
        }

        if (id is null)
        {
            throw GraphErrorException.UnknownSegment(head);
        }

        return Model.ServicePrincipals.FirstOrDefault(s => string.Equals(s.ObjectId.ToString(), id, StringComparison.OrdinalIgnoreCase))
            ?? throw GraphErrorException.NotFound(id);
    }

    /// <summary>An enterprise app is managed by an application admin role, or by an owner of its app registration.</summary>
    private void RequireManageServicePrincipal(GraphCaller caller, EntraServicePrincipal sp)
    {
        caller.Require(GraphPermissions.WriteApplicationsScopes, GraphPermissions.WriteApplicationsRoles);
        var app = Model.Applications.FirstOrDefault(a => a.AppId == sp.AppId);
        caller.RequireRole(DirectoryRoleTemplates.ManageAllApplications, otherwiseAllowed: caller.User is not null && app is not null && app.Owners.Contains(caller.User.ObjectId));
    }

    /// <summary>POST /servicePrincipals {appId}: the enterprise app of an app registration of this tenant (one per appId).</summary>
    private GraphResult CreateServicePrincipal(GraphRequest request)
    {
        var caller = request.Caller;
        caller.Require(GraphPermissions.WriteApplicationsScopes, GraphPermissions.WriteApplicationsRoles);
        var appIdText = request.Text("appId");
        var app = appIdText is null ? null : Model.Applications.FirstOrDefault(a => string.Equals(a.AppId.ToString(), appIdText, StringComparison.OrdinalIgnoreCase));
        if (app is null)
        {
            throw GraphErrorException.BadRequest($"The appId '{appIdText}' of the service principal does not reference a valid application object.");
        }

        caller.RequireRole(DirectoryRoleTemplates.ManageAllApplications, otherwiseAllowed: caller.User is not null && app.Owners.Contains(caller.User.ObjectId));
        if (Model.ServicePrincipals.Any(s => s.AppId == app.AppId))
        {
            throw new GraphErrorException(409, "Request_MultipleObjectsWithSameKeyValue",
                $"The service principal cannot be created, updated, or restored because the service principal name {app.AppId} is already in use.");
        }

        var sp = new EntraServicePrincipal
        {
            ObjectId = Guid.NewGuid(),
            AppId = app.AppId,
            DisplayName = app.DisplayName,
            CreatedDateTime = Now,
            AvailableAt = Model.EffectiveFromNow(ChangeKind.DirectoryReplication),
        };
        if (request.Body is { } body && body.TryGetProperty("accountEnabled", out var enabled) && enabled.ValueKind == JsonValueKind.False)
        {
            sp.AccountEnabled = false;
        }

        Model.ServicePrincipals.Add(sp);
        return GraphResult.Created(GraphResponses.Entity("servicePrincipals/$entity", ServicePrincipal(sp)));
    }
}
