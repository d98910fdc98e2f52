using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using OAuthSmtp.Emulator.Model;

namespace OAuthSmtp.Emulator.Graph;

/// <summary>
/// Delegated consent: /oauth2PermissionGrants list ($filter clientId/resourceId/consentType), get, create {clientId,
/// consentType AllPrincipals|Principal, principalId, resourceId, scope}, update scope, delete. One grant per client,
/// resource, consent type and principal (409 "Permission entry already exists."). Consent for all principals needs
/// Cloud Application Administrator, Application Administrator, Privileged Role Administrator or Global Administrator.
/// </summary>
internal sealed partial class GraphSurface
{
    private const string GrantResource = "OAuth2PermissionGrant";

    private GraphResult PermissionGrants(GraphRequest request)
    {
        var segments = request.Segments;
        var caller = request.Caller;
        if (segments.Length == 1)
        {
            if (request.IsGet)
            {
                var grants = Filter(Model.DelegatedGrants, request.Filter, new Dictionary<string, Func<DelegatedGrant, string?>>
                {
                    ["clientId"] = g => g.ClientId.ToString(),
                    ["resourceId"] = g => g.ResourceId.ToString(),
                    ["consentType"] = g => g.ConsentType,
                    ["principalId"] = g => g.PrincipalId?.ToString(),
                });
                return ListPermissionGrants(request, grants, "oauth2PermissionGrants");
            }

            if (request.IsPost)
            {
                return CreatePermissionGrant(request);
            }

            throw NotAllowed();
        }

        var grant = Model.DelegatedGrants.FirstOrDefault(g => string.Equals(g.Id, segments[1], StringComparison.Ordinal))
            ?? throw GraphErrorException.NotFound(segments[1]);
        if (segments.Length > 2)
        {
            throw GraphErrorException.UnknownSegment(segments[2]);
        }

        if (request.IsGet)
        {
            caller.Require(GraphPermissions.ReadGrantsScopes, GraphPermissions.ReadGrantsRoles);
            return GraphResult.Ok(GraphResponses.Project(GraphResponses.Entity("oauth2PermissionGrants/$entity", PermissionGrant(grant)), request.Select));
        }

        RequireGrantWrite(caller);
        if (request.IsPatch)
        {
            var scope = request.Text("scope") ?? throw GraphErrorException.InvalidValue("scope", GrantResource);
            grant.Scope = scope;
            return GraphResult.NoContent();
        }

        if (request.IsDelete)
        {
            Model.DelegatedGrants.Remove(grant);
            return GraphResult.NoContent();
        }

        throw NotAllowed();
    }

    private GraphResult ListPermissionGrants(GraphRequest request, IEnumerable<DelegatedGrant> grants, string context)
    {
        request.Caller.Require(GraphPermissions.ReadGrantsScopes, GraphPermissions.ReadGrantsRoles);
        return GraphResult.Ok(GraphResponses.Project(GraphResponses.Collection(context, grants.Select(PermissionGrant)), request.Select));
    }

    private static void RequireGrantWrite(GraphCaller caller)
    {
        caller.Require(GraphPermissions.WriteGrantsScopes, GraphPermissions.WriteGrantsRoles);
        caller.RequireRole(DirectoryRoleTemplates.ConsentExceptGraphAppRoles);
    }

    private GraphResult CreatePermissionGrant(GraphRequest request)
    {
        RequireGrantWrite(request.Caller);
        request.RequireBody();
        var clientId = request.GuidProperty("clientId", GrantResource) ?? throw GraphErrorException.InvalidValue("clientId", GrantResource);
        var resourceId = request.GuidProperty("resourceId", GrantResource) ?? throw GraphErrorException.InvalidValue("resourceId", GrantResource);
        var consentType = request.Text("consentType");
        if (consentType is not ("AllPrincipals" or "Principal"))
        {
            throw GraphErrorException.InvalidValue("consentType", GrantResource);
        }

        var principalId = request.GuidProperty("principalId", GrantResource);
        if ((consentType == "Principal") != (principalId is not null))
        {
            throw GraphErrorException.InvalidValue("principalId", GrantResource);
        }

        var scope = request.Text("scope") ?? "";
        if (!Model.ServicePrincipals.Any(s => s.ObjectId == clientId))
        {
            throw GraphErrorException.NotFound(clientId.ToString());
        }

        if (!Model.ServicePrincipals.Any(s => s.ObjectId == resourceId))
        {
            throw GraphErrorException.NotFound(resourceId.ToString());
        }

        if (principalId is { } user && !Model.Users.Any(u => u.ObjectId == user))
        {
            throw GraphErrorException.NotFound(user.ToString());
        }

        if (Model.DelegatedGrants.Any(g => g.ClientId == clientId && g.ResourceId == resourceId && g.ConsentType == consentType && g.PrincipalId == principalId))
        {
            throw new GraphErrorException(409, "Request_MultipleObjectsWithSameKeyValue", "Permission entry already exists.");
        }

        var grant = new DelegatedGrant { ClientId = clientId, ResourceId = resourceId, ConsentType = consentType, PrincipalId = principalId, Scope = scope };
        Model.DelegatedGrants.Add(grant);
        return GraphResult.Created(GraphResponses.Entity("oauth2PermissionGrants/$entity", PermissionGrant(grant)));
    }
}
