using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using OAuthSmtp.Emulator.Model;
using OAuthSmtp.Emulator.Tokens;

namespace OAuthSmtp.Emulator.Graph;

/// <summary>
/// The Microsoft Graph v1.0 calls of EXCHANGE-FACTS §7 under /graph/v1.0 on the token service's listener, behind a
/// Graph token from the same token service (aud https://graph.microsoft.com). Directory reads need the app role
/// Application.Read.All, policy reads Policy.Read.All; errors carry Graph's {"error":{"code","message","innerError"}} shape.
/// </summary>
internal sealed partial class GraphSurface
{
    private const string Prefix = "/graph/v1.0/";
    private const string MetadataBase = "https://graph.microsoft.com/v1.0/$metadata#";
    private const string MicrosoftServicesTenant = "f8cdef31-a31e-4b4a-93e4-5f571e91255a";
    private const string ApplicationReadAll = "Application.Read.All";
    private const string PolicyReadAll = "Policy.Read.All";

    private readonly ExchangeOnlineEmulator _emulator;

    public GraphSurface(ExchangeOnlineEmulator emulator)
    {
        _emulator = emulator;
    }

    private TenantModel Model => _emulator.Tenant;

    public void Map(WebApplication web) => web.MapGet("/graph/v1.0/{**path}", Handle);

    private Task Handle(HttpContext context)
    {
        _emulator.Statistics.CountGraphRequest();
        var token = Authenticate(context, out var status, out var code, out var message);
        if (token is null)
        {
            return Error(context, status, code, message);
        }

        var path = context.Request.Path.Value![Prefix.Length..].TrimEnd('/');
        var query = context.Request.Query;
        var select = query["$select"].FirstOrDefault()?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var filter = query["$filter"].FirstOrDefault();

        bool Has(string role) => token.Roles.Contains(role, StringComparer.Ordinal) ||
            (role == ApplicationReadAll && token.Roles.Contains("Application.ReadWrite.All", StringComparer.Ordinal));

        Task Denied() => Error(context, 403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.");

        lock (Model.SyncRoot)
        {
            if (path == "policies/identitySecurityDefaultsEnforcementPolicy")
            {
                return Has(PolicyReadAll) ? Ok(context, SecurityDefaults("policies/identitySecurityDefaultsEnforcementPolicy/$entity"), select) : Denied();
            }

            if (path == "identity/conditionalAccess/policies")
            {
                return Has(PolicyReadAll) ? Ok(context, Collection("identity/conditionalAccess/policies", Model.ConditionalAccessPolicies.Select(ConditionalAccess)), select) : Denied();
            }

            if (!Has(ApplicationReadAll))
            {
                return Denied();
            }

            if (path == "applications")
            {
                var apps = Filter(Model.Applications, filter, a => a.AppId.ToString(), a => a.DisplayName);
                return apps is null ? UnsupportedFilter(context) : Ok(context, Collection("applications", apps.Select(Application)), select);
            }

            if (path == "servicePrincipals")
            {
                var principals = Filter(Model.ServicePrincipals, filter, s => s.AppId.ToString(), s => s.DisplayName);
                return principals is null ? UnsupportedFilter(context) : Ok(context, Collection("servicePrincipals", principals.Select(ServicePrincipal)), select);
            }

            var byAppId = ByAppId().Match(path);
            if (byAppId.Success)
            {
                var sp = Model.ServicePrincipals.FirstOrDefault(s => string.Equals(s.AppId.ToString(), byAppId.Groups[1].Value, StringComparison.OrdinalIgnoreCase));
                return sp is null ? NotFound(context, byAppId.Groups[1].Value) : Ok(context, Entity("servicePrincipals/$entity", ServicePrincipal(sp)), select);
            }

            var segments = path.Split('/');
            if (segments.Length >= 2 && segments[0] == "servicePrincipals")
            {
                var sp = Model.ServicePrincipals.FirstOrDefault(s => string.Equals(s.ObjectId.ToString(), segments[1], StringComparison.OrdinalIgnoreCase));
                if (sp is null)
                {
                    return NotFound(context, segments[1]);
                }

                if (segments.Length == 2)
                {
                    return Ok(context, Entity("servicePrincipals/$entity", ServicePrincipal(sp)), select);
                }

                if (segments.Length == 3 && segments[2] == "appRoleAssignments")
                {
                    var assignments = Model.AppRoleAssignments.Where(a => a.PrincipalId == sp.ObjectId).Select(a => AppRoleAssignment(a, sp));
                    return Ok(context, Collection($"servicePrincipals('{sp.ObjectId}')/appRoleAssignments", assignments), select);
                }
            }

            if (segments.Length == 2 && segments[0] == "applications")
            {
                var app = Model.Applications.FirstOrDefault(a => string.Equals(a.ObjectId.ToString(), segments[1], StringComparison.OrdinalIgnoreCase));
                return app is null ? NotFound(context, segments[1]) : Ok(context, Entity("applications/$entity", Application(app)), select);
            }
        }

        return Error(context, 400, "BadRequest", $"Resource not found for the segment '{path.Split('/')[0]}'.");
    }

    /// <summary>The bearer token, checked as Graph does: signature/issuer/lifetime, then audience and tenant.</summary>
    private ValidatedAccessToken? Authenticate(HttpContext context, out int status, out string code, out string message)
    {
        status = 401;
        code = "InvalidAuthenticationToken";
        var header = context.Request.Headers.Authorization.FirstOrDefault() ?? "";
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) || header.Length <= 7)
        {
            message = "Access token is empty.";
            return null;
        }

        var token = _emulator.TokenValidator.Validate(header[7..].Trim(), out var failure);
        if (token is null)
        {
            message = failure.Contains("expired", StringComparison.Ordinal) ? "Lifetime validation failed, the token is expired." : "Access token validation failure. Invalid audience.";
            if (!failure.Contains("expired", StringComparison.Ordinal))
            {
                message = "Access token validation failure.";
            }

            return null;
        }

        if (!string.Equals(token.Audience, ResourceCatalog.GraphAudience, StringComparison.OrdinalIgnoreCase) &&
            !string.Equals(token.Audience, TenantModel.GraphResourceAppId.ToString(), StringComparison.OrdinalIgnoreCase))
        {
            message = "Access token validation failure. Invalid audience.";
            return null;
        }

        if (token.TenantId != Model.Tenant.TenantId)
        {
            message = "Access token validation failure. Invalid issuer.";
            return null;
        }

        message = "";
        return token;
    }

    /// <summary>$filter: only "appId eq '…'" and "displayName eq '…'" (what the product sends); null = unsupported.</summary>
    private static List<T>? Filter<T>(IEnumerable<T> items, string? filter, Func<T, string> appId, Func<T, string> displayName)
    {
        if (string.IsNullOrWhiteSpace(filter))
        {
            return items.ToList();
        }

        var match = EqualityFilter().Match(filter.Trim());
        if (!match.Success)
        {
            return null;
        }

        var value = match.Groups["value"].Value.Replace("''", "'");
        return match.Groups["property"].Value switch
        {
            "appId" => items.Where(i => string.Equals(appId(i), value, StringComparison.OrdinalIgnoreCase)).ToList(),
            "displayName" => items.Where(i => string.Equals(displayName(i), value, StringComparison.Ordinal)).ToList(),
            _ => null,
        };
    }

    private Dictionary<string, object?> Application(AppRegistration app)
    {
        var exchangeAccess = app.RequiredRoles
            .Where(r => Model.ExchangeAppRoles.ContainsKey(r))
            .Select(r => new Dictionary<string, object?> { ["id"] = Model.ExchangeAppRoles[r].ToString(), ["type"] = "Role" })
            .ToList();
        var required = new List<object>();
        if (exchangeAccess.Count > 0)
        {
            required.Add(new Dictionary<string, object?> { ["resourceAppId"] = TenantModel.ExchangeResourceAppId.ToString(), ["resourceAccess"] = exchangeAccess });
        }

        return new Dictionary<string, object?>
        {
            ["id"] = app.ObjectId.ToString(),
            ["deletedDateTime"] = null,
            ["appId"] = app.AppId.ToString(),
            ["displayName"] = app.DisplayName,
            ["isFallbackPublicClient"] = app.IsPublicClient,
            ["signInAudience"] = "AzureADMyOrg",
            ["publisherDomain"] = Model.Tenant.InitialDomain,
            ["keyCredentials"] = app.Certificates.Select(c => new Dictionary<string, object?>
            {
                ["customKeyIdentifier"] = Convert.ToBase64String(Convert.FromHexString(c.Thumbprint)),
                ["displayName"] = "CN=" + app.DisplayName,
                ["endDateTime"] = Iso(c.EndDateTime),
                ["key"] = null,
                ["keyId"] = c.KeyId.ToString(),
                ["startDateTime"] = Iso(c.StartDateTime),
                ["type"] = "AsymmetricX509Cert",
                ["usage"] = "Verify",
            }).ToList(),
            ["passwordCredentials"] = app.Secrets.Select(s => new Dictionary<string, object?>
            {
                ["customKeyIdentifier"] = null,
                ["displayName"] = s.DisplayName,
                ["endDateTime"] = Iso(s.EndDateTime),
                ["hint"] = s.Hint,
                ["keyId"] = s.KeyId.ToString(),
                ["secretText"] = null,
                ["startDateTime"] = Iso(s.StartDateTime),
            }).ToList(),
            ["publicClient"] = new Dictionary<string, object?> { ["redirectUris"] = app.RedirectUris.ToList() },
            ["requiredResourceAccess"] = required,
        };
    }

    private Dictionary<string, object?> ServicePrincipal(EntraServicePrincipal sp)
    {
        IReadOnlyDictionary<string, Guid>? roles = sp.AppId == TenantModel.ExchangeResourceAppId ? Model.ExchangeAppRoles
            : sp.AppId == TenantModel.GraphResourceAppId ? Model.GraphAppRoles
            : null;
        var isMicrosoft = roles is not null;
        return new Dictionary<string, object?>
        {
            ["id"] = sp.ObjectId.ToString(),
            ["deletedDateTime"] = null,
            ["accountEnabled"] = sp.AccountEnabled,
            ["alternativeNames"] = sp.ManagedIdentityResourceId is null ? new List<string>() : new List<string> { "isExplicit=" + (!sp.IsSystemAssignedManagedIdentity).ToString().ToLowerInvariant(), sp.ManagedIdentityResourceId },
            ["appDisplayName"] = sp.DisplayName,
            ["appId"] = sp.AppId.ToString(),
            ["appOwnerOrganizationId"] = isMicrosoft ? MicrosoftServicesTenant : sp.IsManagedIdentity ? null : Model.Tenant.TenantId.ToString(),
            ["displayName"] = sp.DisplayName,
            ["servicePrincipalType"] = sp.IsManagedIdentity ? "ManagedIdentity" : "Application",
            ["servicePrincipalNames"] = new List<string> { sp.AppId.ToString() },
            ["appRoles"] = (roles ?? new Dictionary<string, Guid>()).Select(r => new Dictionary<string, object?>
            {
                ["allowedMemberTypes"] = new[] { "Application" },
                ["description"] = r.Key,
                ["displayName"] = r.Key,
                ["id"] = r.Value.ToString(),
                ["isEnabled"] = true,
                ["origin"] = "Application",
                ["value"] = r.Key,
            }).ToList(),
        };
    }

    private Dictionary<string, object?> AppRoleAssignment(AppRoleAssignment assignment, EntraServicePrincipal principal)
    {
        var resource = Model.ServicePrincipals.FirstOrDefault(s => s.ObjectId == assignment.ResourceId);
        return new Dictionary<string, object?>
        {
            ["id"] = assignment.Id.ToString(),
            ["deletedDateTime"] = null,
            ["appRoleId"] = assignment.AppRoleId.ToString(),
            ["createdDateTime"] = Iso(assignment.EffectiveAt),
            ["principalDisplayName"] = principal.DisplayName,
            ["principalId"] = principal.ObjectId.ToString(),
            ["principalType"] = "ServicePrincipal",
            ["resourceDisplayName"] = resource?.DisplayName ?? "",
            ["resourceId"] = assignment.ResourceId.ToString(),
        };
    }

    private Dictionary<string, object?> SecurityDefaults(string context) => new()
    {
        ["@odata.context"] = MetadataBase + context,
        ["id"] = "00000000-0000-0000-0000-000000000005",
        ["displayName"] = "Security Defaults",
        ["description"] = "Security defaults is a set of basic identity security mechanisms recommended by Microsoft. When enabled, these recommendations will be automatically enforced in your organization. Administrators and users will be better protected from common identity related attacks.",
        ["isEnabled"] = Model.Tenant.SecurityDefaultsEnabled,
    };

    private static Dictionary<string, object?> ConditionalAccess(ConditionalAccessPolicy policy) => new()
    {
        ["id"] = policy.Id.ToString(),
        ["templateId"] = null,
        ["displayName"] = policy.DisplayName,
        ["createdDateTime"] = Iso(policy.CreatedDateTime),
        ["modifiedDateTime"] = null,
        ["state"] = policy.State,
        ["conditions"] = new Dictionary<string, object?>
        {
            ["clientAppTypes"] = new[] { "all" },
            ["applications"] = new Dictionary<string, object?> { ["includeApplications"] = new[] { "All" }, ["excludeApplications"] = Array.Empty<string>() },
            ["users"] = new Dictionary<string, object?> { ["includeUsers"] = new[] { "All" }, ["excludeUsers"] = Array.Empty<string>() },
            ["clientApplications"] = policy.IncludesServicePrincipals
                ? new Dictionary<string, object?> { ["includeServicePrincipals"] = new[] { "ServicePrincipalsInMyTenant" }, ["excludeServicePrincipals"] = Array.Empty<string>() }
                : null,
        },
        ["grantControls"] = new Dictionary<string, object?> { ["operator"] = "OR", ["builtInControls"] = new[] { policy.GrantControl } },
    };

    private static Dictionary<string, object?> Collection(string context, IEnumerable<Dictionary<string, object?>> items) => new()
    {
        ["@odata.context"] = MetadataBase + context,
        ["value"] = items.ToList(),
    };

    private static Dictionary<string, object?> Entity(string context, Dictionary<string, object?> item)
    {
        var result = new Dictionary<string, object?> { ["@odata.context"] = MetadataBase + context };
        foreach (var pair in item)
        {
            result[pair.Key] = pair.Value;
        }

        return result;
    }

    /// <summary>Writes the body, applying $select to the entity or to each item of "value".</summary>
    private static Task Ok(HttpContext context, Dictionary<string, object?> body, string[]? select)
    {
        if (select is { Length: > 0 })
        {
            Dictionary<string, object?> Project(Dictionary<string, object?> item) =>
                item.Where(p => p.Key.StartsWith('@') || select.Contains(p.Key, StringComparer.OrdinalIgnoreCase)).ToDictionary(p => p.Key, p => p.Value);

            body = body.TryGetValue("value", out var value) && value is List<Dictionary<string, object?>> items
                ? new Dictionary<string, object?> { ["@odata.context"] = body["@odata.context"], ["value"] = items.Select(Project).ToList() }
                : Project(body);
        }

        context.Response.ContentType = "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8";
        return context.Response.WriteAsync(JsonSerializer.Serialize(body), context.RequestAborted);
    }

    private static Task NotFound(HttpContext context, string id) =>
        Error(context, 404, "Request_ResourceNotFound", $"Resource '{id}' does not exist or one of its queried reference-property objects are not present.");

    private static Task UnsupportedFilter(HttpContext context) =>
        Error(context, 400, "Request_UnsupportedQuery", "Unsupported or invalid query filter clause specified for property of resource.");

    private static Task Error(HttpContext context, int status, string code, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        var body = new Dictionary<string, object>
        {
            ["error"] = new Dictionary<string, object>
            {
                ["code"] = code,
                ["message"] = message,
                ["innerError"] = new Dictionary<string, object>
                {
                    ["date"] = DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture),
                    ["request-id"] = Guid.NewGuid().ToString(),
                    ["client-request-id"] = context.Request.Headers["client-request-id"].FirstOrDefault() ?? Guid.NewGuid().ToString(),
                },
            },
        };
        return context.Response.WriteAsync(JsonSerializer.Serialize(body), context.RequestAborted);
    }

    private static string Iso(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^servicePrincipals\(appId='([0-9A-Fa-f-]{36})'\)$")]
    private static partial Regex ByAppId();

    [GeneratedRegex(@"^(?<property>appId|displayName)\s+eq\s+'(?<value>(?:[^']|'')*)'$")]
    private static partial Regex EqualityFilter();
}
