using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using OAuthSmtp.Emulator.Model;
using OAuthSmtp.Emulator.Tokens;

namespace OAuthSmtp.Emulator.ManagedIdentity;

/// <summary>
/// The App Service managed-identity endpoint (api-version 2019-08-01) as MSAL.NET's AppServiceManagedIdentitySource
/// calls it: GET IDENTITY_ENDPOINT?api-version&amp;resource[&amp;client_id|mi_res_id|object_id] with the
/// X-IDENTITY-HEADER secret; the answer is {access_token, expires_on (unix seconds, string), resource, token_type,
/// client_id}. The token is an app-only v1 token for the managed identity's service principal.
/// </summary>
internal sealed class ManagedIdentityEndpoint
{
    public const string SecretHeaderName = "X-IDENTITY-HEADER";
    private readonly ExchangeOnlineEmulator _emulator;
    private readonly TokenIssuer _issuer;

    public ManagedIdentityEndpoint(ExchangeOnlineEmulator emulator)
    {
        _emulator = emulator;
        _issuer = new TokenIssuer(emulator);
    }

    public void Map(WebApplication web) => web.MapGet("/msi/token", Handle);

    private Task Handle(HttpContext context)
    {
        _emulator.Statistics.CountManagedIdentityRequest();
        var query = context.Request.Query;
        if (context.Request.Headers[SecretHeaderName].FirstOrDefault() != _emulator.ManagedIdentityHeader)
        {
            return Error(context, 401, "The request is missing the X-IDENTITY-HEADER header or its value is wrong.");
        }

        if (query["api-version"].FirstOrDefault() != "2019-08-01")
        {
            return Error(context, 400, "Unsupported or missing api-version; this endpoint speaks 2019-08-01.");
        }

        var resourceParameter = query["resource"].FirstOrDefault();
        if (string.IsNullOrWhiteSpace(resourceParameter))
        {
            return Error(context, 400, "The resource parameter is required.");
        }

        var model = _emulator.Tenant;
        EntraServicePrincipal? identity;
        TokenResource? resource;
        Tenant tenant;
        lock (model.SyncRoot)
        {
            tenant = model.Tenant;
            var identities = model.ServicePrincipals.Where(s => s.IsManagedIdentity).ToList();
            var clientId = query["client_id"].FirstOrDefault();
            var resourceId = query["mi_res_id"].FirstOrDefault() ?? query["msi_res_id"].FirstOrDefault();
            var objectId = query["object_id"].FirstOrDefault() ?? query["principal_id"].FirstOrDefault();
            identity = clientId is not null ? identities.FirstOrDefault(s => !s.IsSystemAssignedManagedIdentity && string.Equals(s.AppId.ToString(), clientId, StringComparison.OrdinalIgnoreCase))
                : resourceId is not null ? identities.FirstOrDefault(s => string.Equals(s.ManagedIdentityResourceId, resourceId, StringComparison.OrdinalIgnoreCase))
                : objectId is not null ? identities.FirstOrDefault(s => !s.IsSystemAssignedManagedIdentity && string.Equals(s.ObjectId.ToString(), objectId, StringComparison.OrdinalIgnoreCase))
                : identities.FirstOrDefault(s => s.IsSystemAssignedManagedIdentity);
            resource = ResourceCatalog.Find(model, resourceParameter.EndsWith("/.default", StringComparison.Ordinal) ? resourceParameter[..^9] : resourceParameter);
        }

        if (identity is null)
        {
            // App Service's reply when the identity is not assigned to the app [INF: wording seen in public issues].
            return Error(context, 400, "No User Assigned or Delegated Managed Identity found for specified ClientId/ResourceId/PrincipalId.");
        }

        if (resource is null)
        {
            var error = AadError.ResourceNotFound(resourceParameter, tenant.DisplayName);
            return Error(context, 400, $"AADSTS{error.Code}: {error.Message}");
        }

        if (!identity.AccountEnabled)
        {
            var error = AadError.ApplicationDisabled(identity.AppId.ToString(), identity.DisplayName);
            return Error(context, 400, $"AADSTS{error.Code}: {error.Message}");
        }

        var roles = _emulator.Tokens.ConsentedRoles(identity.ObjectId, resource);
        var (token, lifetime) = _issuer.AppToken(tenant, resource, identity.AppId, identity.DisplayName, identity.ObjectId, "2", roles);
        _emulator.Statistics.CountTokenIssued();
        var body = new Dictionary<string, string>
        {
            ["access_token"] = token,
            ["expires_on"] = _emulator.Clock.UtcNow.AddSeconds(lifetime).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["resource"] = resourceParameter,
            ["token_type"] = "Bearer",
            ["client_id"] = identity.AppId.ToString(),
        };
        var json = JsonSerializer.Serialize(body);
        _emulator.Statistics.RecordIssuedTokens(json);
        context.Response.ContentType = "application/json; charset=utf-8";
        return context.Response.WriteAsync(json, context.RequestAborted);
    }

    private static Task Error(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        var body = new Dictionary<string, object> { ["statusCode"] = status, ["message"] = message, ["correlationId"] = Guid.NewGuid().ToString() };
        return context.Response.WriteAsync(JsonSerializer.Serialize(body), context.RequestAborted);
    }
}
