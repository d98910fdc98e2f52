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
/// The managed-identity token endpoints (EXCHANGE-FACTS §2, MI-DOCS):
/// App Service (api-version 2019-08-01) as MSAL.NET's AppServiceManagedIdentitySource calls it: GET
/// IDENTITY_ENDPOINT?api-version&amp;resource[&amp;client_id|mi_res_id|object_id] with the X-IDENTITY-HEADER secret;
/// answer {access_token, expires_on (unix seconds, string), resource, token_type, client_id}.
/// Azure VM IMDS (how-to-use-vm-token): GET /metadata/identity/oauth2/token?api-version=2018-02-01&amp;resource
/// [&amp;client_id|object_id|msi_res_id] with "Metadata: true" (without it 400 bad_request_102, which MSAL's probe also
/// relies on); answer with every value a string, refresh_token "", expires_in, expires_on, not_before.
/// The token is an app-only v1 token for the managed identity's service principal, and its roles are those granted at
/// least the ManagedIdentityRoles propagation delay ago: Azure caches managed-identity tokens per resource for about
/// 24 hours (MI-DOCS managed-identities-faq), so a new role appears only after that.
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

    public const string ImdsTokenPath = "/metadata/identity/oauth2/token";

    public void Map(WebApplication web)
    {
        web.MapGet("/msi/token", Handle);
        web.MapGet(ImdsTokenPath, HandleImds);
    }

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

        var roles = RolesInToken(identity, resource);
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

    /// <summary>
    /// MSAL.NET keeps the IMDS base address in a static field for the life of the process
    /// (ImdsManagedIdentitySource.s_cachedBaseEndpoint, reset by its ResetEndpointCacheForTest); clear it in every
    /// loaded copy of MSAL so a second emulator (another port) in the same process is reached.
    /// </summary>
    internal static void ForgetMsalImdsEndpoint()
    {
        foreach (var assembly in AppDomain.CurrentDomain.GetAssemblies())
        {
            if (!string.Equals(assembly.GetName().Name, "Microsoft.Identity.Client", StringComparison.Ordinal)) continue;
            var source = assembly.GetType("Microsoft.Identity.Client.ManagedIdentity.ImdsManagedIdentitySource", throwOnError: false);
            source?.GetMethod("ResetEndpointCacheForTest", System.Reflection.BindingFlags.Static | System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Public)?.Invoke(null, null);
        }
    }

    /// <summary>The roles granted long enough ago to be in the identity's cached token (ManagedIdentityRoles delay).</summary>
    private IReadOnlyList<string> RolesInToken(EntraServicePrincipal identity, TokenResource resource)
    {
        var model = _emulator.Tenant;
        TimeSpan cacheDelay;
        lock (model.SyncRoot)
        {
            cacheDelay = model.PropagationDelays.TryGetValue(ChangeKind.ManagedIdentityRoles, out var delay) ? delay : TimeSpan.Zero;
        }

        return _emulator.Tokens.ConsentedRoles(identity.ObjectId, resource, cacheDelay);
    }

    private Task HandleImds(HttpContext context)
    {
        _emulator.Statistics.CountManagedIdentityRequest();
        var query = context.Request.Query;
        if (!string.Equals(context.Request.Headers["Metadata"].FirstOrDefault(), "true", StringComparison.Ordinal))
        {
            return ImdsError(context, 400, "bad_request_102", "Required metadata header not specified");
        }

        var apiVersion = query["api-version"].FirstOrDefault();
        if (apiVersion is null || !DateOnly.TryParseExact(apiVersion, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var version)
            || version < new DateOnly(2018, 2, 1))
        {
            // IMDS names the versions it knows in its reply [INF: shortened]; 2018-02-01 is the one MSAL and the doc use.
            return ImdsError(context, 400, "invalid_request", "Bad request. api-version is missing or not supported; use 2018-02-01.");
        }

        var resourceParameter = query["resource"].FirstOrDefault();
        if (string.IsNullOrWhiteSpace(resourceParameter))
        {
            return ImdsError(context, 400, "invalid_request", "Required query variable 'resource' is missing");
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
            var objectId = query["object_id"].FirstOrDefault();
            var resourceId = query["msi_res_id"].FirstOrDefault() ?? query["mi_res_id"].FirstOrDefault();
            identity = clientId is not null ? identities.FirstOrDefault(s => !s.IsSystemAssignedManagedIdentity && string.Equals(s.AppId.ToString(), clientId, StringComparison.OrdinalIgnoreCase))
                : objectId is not null ? identities.FirstOrDefault(s => !s.IsSystemAssignedManagedIdentity && string.Equals(s.ObjectId.ToString(), objectId, StringComparison.OrdinalIgnoreCase))
                : resourceId is not null ? identities.FirstOrDefault(s => string.Equals(s.ManagedIdentityResourceId, resourceId, StringComparison.OrdinalIgnoreCase))
                : identities.FirstOrDefault(s => s.IsSystemAssignedManagedIdentity);
            resource = ResourceCatalog.Find(model, resourceParameter.EndsWith("/.default", StringComparison.Ordinal) ? resourceParameter[..^9] : resourceParameter);
        }

        if (identity is null)
        {
            // IMDS's reply when the VM has no such identity [INF: wording seen in public issues].
            return ImdsError(context, 400, "invalid_request", "Identity not found");
        }

        if (resource is null)
        {
            var error = AadError.ResourceNotFound(resourceParameter, tenant.DisplayName);
            return ImdsError(context, 400, "invalid_resource", $"AADSTS{error.Code}: {error.Message}");
        }

        if (!identity.AccountEnabled)
        {
            var error = AadError.ApplicationDisabled(identity.AppId.ToString(), identity.DisplayName);
            return ImdsError(context, 400, "unauthorized_client", $"AADSTS{error.Code}: {error.Message}");
        }

        var roles = RolesInToken(identity, resource);
        var (token, lifetime) = _issuer.AppToken(tenant, resource, identity.AppId, identity.DisplayName, identity.ObjectId, "2", roles);
        _emulator.Statistics.CountTokenIssued();
        var now = _emulator.Clock.UtcNow;
        string Unix(DateTimeOffset time) => time.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var body = new Dictionary<string, string>
        {
            ["access_token"] = token,
            ["refresh_token"] = "",
            ["expires_in"] = lifetime.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["expires_on"] = Unix(now.AddSeconds(lifetime)),
            ["not_before"] = Unix(now),
            ["resource"] = resourceParameter,
            ["token_type"] = "Bearer",
        };
        var json = JsonSerializer.Serialize(body);
        _emulator.Statistics.RecordIssuedTokens(json);
        context.Response.ContentType = "application/json; charset=utf-8";
        return context.Response.WriteAsync(json, context.RequestAborted);
    }

    private static Task ImdsError(HttpContext context, int status, string error, string description)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        var body = new Dictionary<string, string> { ["error"] = error, ["error_description"] = description };
        return context.Response.WriteAsync(JsonSerializer.Serialize(body), context.RequestAborted);
    }

    private static Task Error(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        var body = new Dictionary<string, object> { ["statusCode"] = status, ["message"] = message, ["correlationId"] = Guid.NewGuid().ToString() };
        return context.Response.WriteAsync(JsonSerializer.Serialize(body), context.RequestAborted);
    }
}
