using System;
using System.Collections.Generic;
using System.Linq;
using OAuthSmtp.Emulator.Model;

namespace OAuthSmtp.Emulator.Graph;

/// <summary>The JSON shapes of Graph's application, servicePrincipal, appRoleAssignment, oauth2PermissionGrant and directoryRole.</summary>
internal sealed partial class GraphSurface
{
    /// <summary>The tenant id of Microsoft's first-party apps (appOwnerOrganizationId of Exchange and Graph).</summary>
    private const string MicrosoftServicesTenant = "f8cdef31-a31e-4b4a-93e4-5f571e91255a";

    private Dictionary<string, object?> Application(AppRegistration app) => new()
    {
        ["id"] = app.ObjectId.ToString(),
        ["deletedDateTime"] = null,
        ["appId"] = app.AppId.ToString(),
        ["createdDateTime"] = Iso(app.CreatedDateTime),
        ["displayName"] = app.DisplayName,
        ["isFallbackPublicClient"] = app.IsPublicClient,
        ["signInAudience"] = app.SignInAudience,
        ["publisherDomain"] = Model.Tenant.InitialDomain,
        ["identifierUris"] = new List<string>(),
        ["keyCredentials"] = app.Certificates.Select(c => new Dictionary<string, object?>
        {
            ["customKeyIdentifier"] = Convert.ToBase64String(Convert.FromHexString(c.Thumbprint)),
            ["displayName"] = string.IsNullOrEmpty(c.DisplayName) ? "CN=" + app.DisplayName : c.DisplayName,
            ["endDateTime"] = Iso(c.EndDateTime),
            ["key"] = null,
            ["keyId"] = c.KeyId.ToString(),
            ["startDateTime"] = Iso(c.StartDateTime),
            ["type"] = "AsymmetricX509Cert",
            ["usage"] = "Verify",
        }).ToList(),
        ["passwordCredentials"] = app.Secrets.Select(s => PasswordCredential(s, withSecretText: false)).ToList(),
        ["publicClient"] = new Dictionary<string, object?> { ["redirectUris"] = app.RedirectUris.ToList() },
        ["requiredResourceAccess"] = app.RequiredResourceAccess.Select(r => new Dictionary<string, object?>
        {
            ["resourceAppId"] = r.ResourceAppId.ToString(),
            ["resourceAccess"] = r.ResourceAccess.Select(a => new Dictionary<string, object?> { ["id"] = a.Id.ToString(), ["type"] = a.Type }).ToList(),
        }).ToList(),
        ["web"] = new Dictionary<string, object?>
        {
            ["homePageUrl"] = null,
            ["logoutUrl"] = null,
            ["redirectUris"] = app.WebRedirectUris.ToList(),
            ["implicitGrantSettings"] = new Dictionary<string, object?> { ["enableAccessTokenIssuance"] = false, ["enableIdTokenIssuance"] = false },
        },
    };

    /// <summary>A passwordCredential: secretText only in the addPassword answer, null whenever it is read back.</summary>
    private static Dictionary<string, object?> PasswordCredential(ClientSecret secret, bool withSecretText) => new()
    {
        ["customKeyIdentifier"] = null,
        ["displayName"] = secret.DisplayName,
        ["endDateTime"] = Iso(secret.EndDateTime),
        ["hint"] = secret.Hint,
        ["keyId"] = secret.KeyId.ToString(),
        ["secretText"] = withSecretText ? secret.Value : null,
        ["startDateTime"] = Iso(secret.StartDateTime),
    };

    private (IReadOnlyDictionary<string, Guid> Roles, IReadOnlyDictionary<string, Guid> Scopes)? ResourcePermissions(EntraServicePrincipal sp) =>
        sp.AppId == TenantModel.ExchangeResourceAppId ? (Model.ExchangeAppRoles, Model.ExchangeDelegatedScopes)
        : sp.AppId == TenantModel.GraphResourceAppId ? (Model.GraphAppRoles, Model.GraphDelegatedScopes)
        : null;

    private Dictionary<string, object?> ServicePrincipal(EntraServicePrincipal sp)
    {
        var permissions = ResourcePermissions(sp);
        var isMicrosoft = permissions is not null;
        return new Dictionary<string, object?>
        {
            ["id"] = sp.ObjectId.ToString(),
            ["deletedDateTime"] = null,
            ["accountEnabled"] = sp.AccountEnabled,
            ["alternativeNames"] = sp.ManagedIdentityResourceId is null ? new List<string>() : new List<string> { "isExplicit=" + (!sp.IsSystemAssignedManagedIdentity).ToString().ToLowerInvariant(), sp.ManagedIdentityResourceId },
            ["appDisplayName"] = sp.DisplayName,
            ["appId"] = sp.AppId.ToString(),
            ["appOwnerOrganizationId"] = isMicrosoft ? MicrosoftServicesTenant : sp.IsManagedIdentity ? null : Model.Tenant.TenantId.ToString(),
            ["appRoleAssignmentRequired"] = false,
            ["displayName"] = sp.DisplayName,
            ["servicePrincipalType"] = sp.IsManagedIdentity ? "ManagedIdentity" : "Application",
            ["servicePrincipalNames"] = new List<string> { sp.AppId.ToString() },
            ["signInAudience"] = isMicrosoft ? "AzureADMultipleOrgs" : sp.IsManagedIdentity ? null : "AzureADMyOrg",
            ["tags"] = new List<string>(),
            ["appRoles"] = (permissions?.Roles ?? new Dictionary<string, Guid>()).Select(r => new Dictionary<string, object?>
            {
                ["allowedMemberTypes"] = new[] { "Application" },
                ["description"] = r.Key,
                ["displayName"] = r.Key,
                ["id"] = r.Value.ToString(),
                ["isEnabled"] = true,
                ["origin"] = "Application",
                ["value"] = r.Key,
            }).ToList(),
            ["oauth2PermissionScopes"] = (permissions?.Scopes ?? new Dictionary<string, Guid>()).Select(s => new Dictionary<string, object?>
            {
                ["adminConsentDescription"] = s.Key,
                ["adminConsentDisplayName"] = s.Key,
                ["id"] = s.Value.ToString(),
                ["isEnabled"] = true,
                ["type"] = s.Key.EndsWith(".All", StringComparison.Ordinal) ? "Admin" : "User",
                ["userConsentDescription"] = s.Key,
                ["userConsentDisplayName"] = s.Key,
                ["value"] = s.Key,
            }).ToList(),
        };
    }

    private Dictionary<string, object?> AppRoleAssignment(AppRoleAssignment assignment)
    {
        var principal = Model.ServicePrincipals.FirstOrDefault(s => s.ObjectId == assignment.PrincipalId);
        var resource = Model.ServicePrincipals.FirstOrDefault(s => s.ObjectId == assignment.ResourceId);
        return new Dictionary<string, object?>
        {
            ["id"] = assignment.Id.ToString(),
            ["deletedDateTime"] = null,
            ["appRoleId"] = assignment.AppRoleId.ToString(),
            ["createdDateTime"] = Iso(assignment.EffectiveAt),
            ["principalDisplayName"] = principal?.DisplayName ?? "",
            ["principalId"] = assignment.PrincipalId.ToString(),
            ["principalType"] = "ServicePrincipal",
            ["resourceDisplayName"] = resource?.DisplayName ?? "",
            ["resourceId"] = assignment.ResourceId.ToString(),
        };
    }

    private static Dictionary<string, object?> PermissionGrant(DelegatedGrant grant) => new()
    {
        ["clientId"] = grant.ClientId.ToString(),
        ["consentType"] = grant.ConsentType,
        ["id"] = grant.Id,
        ["principalId"] = grant.PrincipalId?.ToString(),
        ["resourceId"] = grant.ResourceId.ToString(),
        ["scope"] = grant.Scope,
    };

    /// <summary>A directoryRole (an activated role in this tenant): its own object id per tenant, and the template id.</summary>
    private Dictionary<string, object?> DirectoryRole(Guid templateId) => new()
    {
        ["@odata.type"] = "#microsoft.graph.directoryRole",
        ["id"] = DirectoryRoleObjectId(templateId).ToString(),
        ["deletedDateTime"] = null,
        ["description"] = DirectoryRoleTemplates.Names.TryGetValue(templateId, out var name) ? name : templateId.ToString(),
        ["displayName"] = name ?? templateId.ToString(),
        ["roleTemplateId"] = templateId.ToString(),
    };

    /// <summary>A stable per-tenant object id for an activated directory role (real tenants have their own ids).</summary>
    private Guid DirectoryRoleObjectId(Guid templateId)
    {
        var bytes = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(Model.Tenant.TenantId + "|" + templateId));
        return new Guid(bytes.AsSpan(0, 16));
    }

    private Dictionary<string, object?> UserEntity(EntraUser user) => new()
    {
        ["businessPhones"] = new List<string>(),
        ["displayName"] = user.DisplayName,
        ["givenName"] = null,
        ["jobTitle"] = null,
        ["mail"] = Model.Mailboxes.Any(m => string.Equals(m.UserPrincipalName, user.UserPrincipalName, StringComparison.OrdinalIgnoreCase)) ? user.UserPrincipalName : null,
        ["mobilePhone"] = null,
        ["officeLocation"] = null,
        ["preferredLanguage"] = null,
        ["surname"] = null,
        ["userPrincipalName"] = user.UserPrincipalName,
        ["id"] = user.ObjectId.ToString(),
    };
}
