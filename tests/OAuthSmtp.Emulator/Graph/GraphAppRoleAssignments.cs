using System;
using System.Linq;
using OAuthSmtp.Emulator.Model;

namespace OAuthSmtp.Emulator.Graph;

/// <summary>
/// Admin consent for application permissions: POST /servicePrincipals/{resource}/appRoleAssignedTo (or
/// /servicePrincipals/{client}/appRoleAssignments) {principalId, resourceId, appRoleId}, list, delete. Granting an app
/// role of Microsoft Graph needs Privileged Role Administrator or Global Administrator; of any other API (Office 365
/// Exchange Online) also Application Administrator or Cloud Application Administrator (Entra "grant-admin-consent").
/// The role is in the client's tokens after the Consent delay.
/// </summary>
internal sealed partial class GraphSurface
{
    private GraphResult AppRoleAssignments(GraphRequest request, EntraServicePrincipal sp, string[] rest, bool principalSide)
    {
        var caller = request.Caller;
        var relation = principalSide ? "appRoleAssignments" : "appRoleAssignedTo";
        var context = $"servicePrincipals('{sp.ObjectId}')/{relation}";
        var assignments = Model.AppRoleAssignments.Where(a => principalSide ? a.PrincipalId == sp.ObjectId : a.ResourceId == sp.ObjectId);
        if (rest.Length == 1)
        {
            if (request.IsGet)
            {
                caller.Require(GraphPermissions.ReadApplicationsScopes.Concat(GraphPermissions.AssignAppRolesScopes), GraphPermissions.ReadApplicationsRoles.Concat(GraphPermissions.AssignAppRolesRoles));
                return GraphResult.Ok(GraphResponses.Project(GraphResponses.Collection(context, assignments.Select(AppRoleAssignment)), request.Select));
            }

            if (request.IsPost)
            {
                return AssignAppRole(request, sp, principalSide, context);
            }

            throw NotAllowed();
        }

        var assignment = assignments.FirstOrDefault(a => string.Equals(a.Id.ToString(), rest[1], StringComparison.OrdinalIgnoreCase))
            ?? throw GraphErrorException.NotFound(rest[1]);
        if (rest.Length == 2 && request.IsGet)
        {
            caller.Require(GraphPermissions.ReadApplicationsScopes.Concat(GraphPermissions.AssignAppRolesScopes), GraphPermissions.ReadApplicationsRoles.Concat(GraphPermissions.AssignAppRolesRoles));
            return GraphResult.Ok(GraphResponses.Entity(context + "/$entity", AppRoleAssignment(assignment)));
        }

        if (rest.Length == 2 && request.IsDelete)
        {
            RequireAssign(caller, assignment.ResourceId);
            Model.AppRoleAssignments.Remove(assignment);
            return GraphResult.NoContent();
        }

        throw NotAllowed();
    }

    private GraphResult AssignAppRole(GraphRequest request, EntraServicePrincipal sp, bool principalSide, string context)
    {
        const string resource = "AppRoleAssignment";
        var caller = request.Caller;
        caller.Require(GraphPermissions.AssignAppRolesScopes, GraphPermissions.AssignAppRolesRoles);
        request.RequireBody();
        var principalId = request.GuidProperty("principalId", resource) ?? throw GraphErrorException.InvalidValue("principalId", resource);
        var resourceId = request.GuidProperty("resourceId", resource) ?? throw GraphErrorException.InvalidValue("resourceId", resource);
        var appRoleId = request.GuidProperty("appRoleId", resource) ?? throw GraphErrorException.InvalidValue("appRoleId", resource);
        if ((principalSide ? principalId : resourceId) != sp.ObjectId)
        {
            throw GraphErrorException.InvalidValue(principalSide ? "principalId" : "resourceId", resource);
        }

        var principal = Model.ServicePrincipals.FirstOrDefault(s => s.ObjectId == principalId) ?? throw GraphErrorException.NotFound(principalId.ToString());
        var resourceSp = Model.ServicePrincipals.FirstOrDefault(s => s.ObjectId == resourceId) ?? throw GraphErrorException.NotFound(resourceId.ToString());
        RequireAssign(caller, resourceSp.ObjectId);
        var roles = ResourcePermissions(resourceSp)?.Roles;
        var role = roles?.FirstOrDefault(r => r.Value == appRoleId);
        if (role is null || role.Value.Key is null)
        {
            throw GraphErrorException.BadRequest($"Permission being assigned was not found on application '{resourceSp.AppId}'.");
        }

        if (Model.AppRoleAssignments.Any(a => a.PrincipalId == principalId && a.ResourceId == resourceId && a.AppRoleId == appRoleId))
        {
            throw GraphErrorException.BadRequest("Permission being assigned already exists on the object.");
        }

        var assignment = new AppRoleAssignment
        {
            PrincipalId = principal.ObjectId,
            ResourceId = resourceSp.ObjectId,
            AppRoleId = appRoleId,
            RoleValue = role.Value.Key,
            EffectiveAt = Model.EffectiveFromNow(ChangeKind.Consent),
        };
        Model.AppRoleAssignments.Add(assignment);
        return GraphResult.Created(GraphResponses.Entity(context + "/$entity", AppRoleAssignment(assignment)));
    }

    /// <summary>Who may grant an app role of this resource: Graph's roles need PRA/GA, other APIs also the application admins.</summary>
    private void RequireAssign(GraphCaller caller, Guid resourceServicePrincipalId)
    {
        caller.Require(GraphPermissions.AssignAppRolesScopes, GraphPermissions.AssignAppRolesRoles);
        caller.RequireRole(resourceServicePrincipalId == Model.GraphResourceServicePrincipalId
            ? DirectoryRoleTemplates.ConsentToAnyPermission
            : DirectoryRoleTemplates.ConsentExceptGraphAppRoles);
    }
}
