using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using OAuthSmtp.Emulator.Model;

namespace OAuthSmtp.Emulator.Tokens;

/// <summary>
/// The Entra token service on the emulator's HTTPS listener: discovery, JWKS, /oauth2/v2.0/token (client credentials
/// with secret or certificate, device code, refresh token, authorization code + PKCE), /devicecode, /authorize.
/// Tests drive the user's side (approve or deny a device code, who signs in at /authorize) through this class.
/// </summary>
public sealed partial class TokenService
{
    private const string FormContentType = "application/x-www-form-urlencoded";

    private readonly ExchangeOnlineEmulator _emulator;
    private readonly TokenIssuer _issuer;
    private readonly ConcurrentDictionary<string, DeviceCodeSession> _deviceCodes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, RefreshGrant> _refreshTokens = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, AuthorizationCodeGrant> _authorizationCodes = new(StringComparer.Ordinal);

    internal TokenService(ExchangeOnlineEmulator emulator)
    {
        _emulator = emulator;
        _issuer = new TokenIssuer(emulator);
    }

    private TenantModel Model => _emulator.Tenant;

    /// <summary>Forgets device codes, refresh tokens and authorization codes (Reset-EmuTenant).</summary>
    internal void ResetState()
    {
        _deviceCodes.Clear();
        _refreshTokens.Clear();
        _authorizationCodes.Clear();
        _redeemedCodes.Clear();
        AutoApproveDeviceCodesFor = null;
        AuthorizeSignInUser = null;
        DeviceCodePollingIntervalSeconds = 1;
    }

    internal void Map(WebApplication web)
    {
        web.MapGet("/{tenant}/v2.0/.well-known/openid-configuration", (HttpContext c, string tenant) => Handle(c, tenant, t => Json(c, 200, DiscoveryDocument(t, v2: true))));
        web.MapGet("/{tenant}/.well-known/openid-configuration", (HttpContext c, string tenant) => Handle(c, tenant, t => Json(c, 200, DiscoveryDocument(t, v2: false))));
        web.MapGet("/{tenant}/discovery/v2.0/keys", (HttpContext c, string tenant) => Handle(c, tenant, t => Json(c, 200, Jwks(t))));
        web.MapGet("/{tenant}/discovery/keys", (HttpContext c, string tenant) => Handle(c, tenant, t => Json(c, 200, Jwks(t))));
        web.MapGet("/common/discovery/instance", (HttpContext c) => InstanceDiscovery(c));
        web.MapPost("/{tenant}/oauth2/v2.0/token", (HttpContext c, string tenant) => HandleForm(c, tenant, (t, form) => TokenAsync(c, t, tenant, form)));
        web.MapPost("/{tenant}/oauth2/v2.0/devicecode", (HttpContext c, string tenant) => HandleForm(c, tenant, (t, form) => DeviceCodeAsync(c, t, form)));
        web.MapGet("/{tenant}/oauth2/v2.0/authorize", (HttpContext c, string tenant) => Handle(c, tenant, t => Authorize(c, t)));
    }

    private async Task Handle(HttpContext context, string tenantSegment, Func<Tenant, Task> action)
    {
        try
        {
            Tenant tenant;
            lock (Model.SyncRoot)
            {
                tenant = TenantResolver.Resolve(Model, tenantSegment);
            }

            await action(tenant).ConfigureAwait(false);
        }
        catch (AadErrorException ex)
        {
            await WriteError(context, ex.Error).ConfigureAwait(false);
        }
    }

    private async Task HandleForm(HttpContext context, string tenantSegment, Func<Tenant, IFormCollection, Task> action)
    {
        _emulator.Statistics.CountTokenRequest();
        if (_emulator.Faults.TryConsumeTokenServiceOutage())
        {
            await WriteError(context, AadError.TemporarilyUnavailable()).ConfigureAwait(false);
            return;
        }

        if (await Hostile.HostileTokenResponder.TryRespondAsync(_emulator.Faults, context).ConfigureAwait(false))
        {
            return;
        }

        if (!context.Request.HasFormContentType)
        {
            await WriteError(context, new AadError(900144, "invalid_request", 400, "The request body must contain the following parameter: 'grant_type'.")).ConfigureAwait(false);
            return;
        }

        var form = await context.Request.ReadFormAsync(context.RequestAborted).ConfigureAwait(false);
        await Handle(context, tenantSegment, tenant => action(tenant, form)).ConfigureAwait(false);
    }

    private async Task WriteError(HttpContext context, AadError error)
    {
        if (error.Status != 503)
        {
            _emulator.Statistics.CountTokenError();
        }

        context.Response.StatusCode = error.Status;
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store, no-cache";
        var correlation = context.Request.Headers["client-request-id"].FirstOrDefault();
        await context.Response.WriteAsync(error.ToJson(_emulator.Clock.UtcNow, correlation), context.RequestAborted).ConfigureAwait(false);
    }

    private static Task Json(HttpContext context, int status, string body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store, no-cache";
        var correlation = context.Request.Headers["client-request-id"].FirstOrDefault();
        if (correlation is not null && context.Request.Headers.ContainsKey("return-client-request-id"))
        {
            context.Response.Headers["client-request-id"] = correlation;
        }

        return context.Response.WriteAsync(body, context.RequestAborted);
    }

    private Task TokenSuccess(HttpContext context, string body)
    {
        _emulator.Statistics.CountTokenIssued();
        _emulator.Statistics.RecordIssuedTokens(body);
        return Json(context, 200, body);
    }

    private Task TokenAsync(HttpContext context, Tenant tenant, string tenantSegment, IFormCollection form)
    {
        var grantType = form["grant_type"].FirstOrDefault();
        return grantType switch
        {
            null or "" => throw new AadErrorException(AadError.MissingParameter("grant_type")),
            "client_credentials" => ClientCredentials(context, tenant, tenantSegment, form),
            "urn:ietf:params:oauth:grant-type:device_code" or "device_code" => DeviceCodeToken(context, tenant, tenantSegment, form),
            "refresh_token" => RefreshToken(context, tenant, tenantSegment, form),
            "authorization_code" => AuthorizationCodeToken(context, tenant, tenantSegment, form),
            _ => throw new AadErrorException(AadError.UnsupportedGrantType(grantType)),
        };
    }

    /// <summary>client_id from the form or from HTTP Basic (client_secret_basic: URL-encoded id and secret).</summary>
    private static (string? ClientId, string? Secret) ClientCredentialsFrom(HttpContext context, IFormCollection form)
    {
        var clientId = form["client_id"].FirstOrDefault();
        var secret = form["client_secret"].FirstOrDefault();
        if (AuthenticationHeaderValue.TryParse(context.Request.Headers.Authorization.FirstOrDefault(), out var header) &&
            string.Equals(header.Scheme, "Basic", StringComparison.OrdinalIgnoreCase) && header.Parameter is not null)
        {
            try
            {
                var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header.Parameter));
                var colon = decoded.IndexOf(':');
                if (colon > 0)
                {
                    clientId ??= Uri.UnescapeDataString(decoded[..colon].Replace('+', ' '));
                    secret ??= Uri.UnescapeDataString(decoded[(colon + 1)..].Replace('+', ' '));
                }
            }
            catch (FormatException)
            {
                // A malformed Basic header counts as no credential; the missing-credential error follows.
            }
        }

        return (clientId, secret);
    }

    /// <summary>The app registration and its enterprise app in this tenant, or AADSTS700016.</summary>
    private (AppRegistration App, EntraServicePrincipal ServicePrincipal) FindClient(Tenant tenant, string? clientId)
    {
        if (string.IsNullOrEmpty(clientId))
        {
            throw new AadErrorException(AadError.MissingParameter("client_id"));
        }

        lock (Model.SyncRoot)
        {
            // An app or enterprise app created moments ago is not yet replicated to the sign-in service (AvailableAt): 700016 until then.
            var now = _emulator.Clock.UtcNow;
            var app = Guid.TryParse(clientId, out var id) ? Model.Applications.FirstOrDefault(a => a.AppId == id && a.AvailableAt <= now) : null;
            var sp = app is null ? null : Model.ServicePrincipals.FirstOrDefault(s => s.AppId == app.AppId && !s.IsManagedIdentity && s.AvailableAt <= now);
            if (app is null || sp is null)
            {
                throw new AadErrorException(AadError.ApplicationNotFound(clientId, tenant.DisplayName));
            }

            return (app, sp);
        }
    }

    /// <summary>Authenticates a confidential client: secret (body or Basic) or certificate assertion. Returns appidacr ("1" or "2"), or "0" for a public client without credential.</summary>
    private string AuthenticateClient(HttpContext context, IFormCollection form, string tenantSegment, Tenant tenant, AppRegistration app, bool publicClientAllowed)
    {
        var (_, secret) = ClientCredentialsFrom(context, form);
        var assertion = form["client_assertion"].FirstOrDefault();
        var now = _emulator.Clock.UtcNow;
        if (!string.IsNullOrEmpty(assertion))
        {
            if (form["client_assertion_type"].FirstOrDefault() != ClientAssertionValidator.AssertionType)
            {
                throw new AadErrorException(AadError.AssertionMalformed("client_assertion_type must be " + ClientAssertionValidator.AssertionType + "."));
            }

            lock (Model.SyncRoot)
            {
                ClientAssertionValidator.Validate(assertion, app, aud => IsTokenEndpoint(aud, tenantSegment, tenant), now);
            }

            return "2";
        }

        if (!string.IsNullOrEmpty(secret))
        {
            lock (Model.SyncRoot)
            {
                // A secret added moments ago is not yet replicated: the sign-in service does not know it (7000215) until AvailableAt.
                var match = app.Secrets.FirstOrDefault(s => string.Equals(s.Value, secret, StringComparison.Ordinal) && s.AvailableAt <= now);
                if (match is null)
                {
                    throw new AadErrorException(AadError.InvalidClientSecret(app.AppId.ToString()));
                }

                if (match.EndDateTime <= now)
                {
                    throw new AadErrorException(AadError.ExpiredClientSecret(app.AppId.ToString()));
                }
            }

            return "1";
        }

        if (publicClientAllowed && app.IsPublicClient)
        {
            return "0";
        }

        throw new AadErrorException(AadError.MissingClientCredential());
    }

    /// <summary>The assertion's aud: this token endpoint, addressed by the tenant segment used or by the tenant id (v2 or v1 path).</summary>
    private bool IsTokenEndpoint(string audience, string tenantSegment, Tenant tenant)
    {
        var host = _emulator.AuthorityHost.ToString().TrimEnd('/');
        foreach (var segment in new[] { tenantSegment, tenant.TenantId.ToString() })
        {
            foreach (var path in new[] { "/oauth2/v2.0/token", "/oauth2/token" })
            {
                if (string.Equals(audience.TrimEnd('/'), $"{host}/{segment}{path}", StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>Enterprise app "Enabled for users to sign-in" = No (AADSTS7000112).</summary>
    private static void EnsureEnabled(AppRegistration app, EntraServicePrincipal sp)
    {
        if (!sp.AccountEnabled)
        {
            throw new AadErrorException(AadError.ApplicationDisabled(app.AppId.ToString(), app.DisplayName));
        }
    }

    /// <summary>AADSTS53003 when the tenant blocks token issuance (Set-EmuTenantPolicy -ConditionalAccessBlock or an enabled block policy).</summary>
    private void EnsureConditionalAccessAllows(bool delegated)
    {
        lock (Model.SyncRoot)
        {
            var blocked = Model.Tenant.ConditionalAccessBlock ||
                Model.ConditionalAccessPolicies.Any(p => p.State == "enabled" && p.GrantControl == "block" && (delegated || p.IncludesServicePrincipals));
            if (blocked)
            {
                throw new AadErrorException(AadError.ConditionalAccessBlocked(delegated));
            }
        }
    }

    /// <summary>Admin-consented app roles of a principal on a resource that have taken effect.</summary>
    /// <param name="cacheDelay">How much longer than its EffectiveAt a grant takes to show (managed identities' token cache).</param>
    internal IReadOnlyList<string> ConsentedRoles(Guid principalId, TokenResource resource, TimeSpan cacheDelay = default)
    {
        lock (Model.SyncRoot)
        {
            return Model.AppRoleAssignments
                .Where(a => a.PrincipalId == principalId && a.ResourceId == resource.ServicePrincipalId && Model.IsEffective(a.EffectiveAt + cacheDelay))
                .Select(a => a.RoleValue)
                .Distinct(StringComparer.Ordinal)
                .ToList();
        }
    }

    private string DiscoveryDocument(Tenant tenant, bool v2)
    {
        var host = _emulator.AuthorityHost.ToString().TrimEnd('/');
        var id = tenant.TenantId;
        var document = v2
            ? new Dictionary<string, object>
            {
                ["token_endpoint"] = $"{host}/{id}/oauth2/v2.0/token",
                ["token_endpoint_auth_methods_supported"] = new[] { "client_secret_post", "private_key_jwt", "client_secret_basic" },
                ["jwks_uri"] = $"{host}/{id}/discovery/v2.0/keys",
                ["response_modes_supported"] = new[] { "query", "fragment", "form_post" },
                ["subject_types_supported"] = new[] { "pairwise" },
                ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
                ["response_types_supported"] = new[] { "code", "id_token", "code id_token", "id_token token" },
                ["scopes_supported"] = new[] { "openid", "profile", "email", "offline_access" },
                ["issuer"] = $"{host}/{id}/v2.0",
                ["request_uri_parameter_supported"] = false,
                ["userinfo_endpoint"] = $"{host}/oidc/userinfo",
                ["authorization_endpoint"] = $"{host}/{id}/oauth2/v2.0/authorize",
                ["device_authorization_endpoint"] = $"{host}/{id}/oauth2/v2.0/devicecode",
                ["http_logout_supported"] = true,
                ["frontchannel_logout_supported"] = true,
                ["end_session_endpoint"] = $"{host}/{id}/oauth2/v2.0/logout",
                ["claims_supported"] = new[] { "sub", "iss", "aud", "exp", "iat", "nbf", "name", "oid", "tid", "preferred_username", "ver" },
                ["kerberos_endpoint"] = $"{host}/{id}/kerberos",
                ["tenant_region_scope"] = "NA",
                ["cloud_instance_name"] = "microsoftonline.com",
                ["cloud_graph_host_name"] = "graph.windows.net",
                ["msgraph_host"] = "graph.microsoft.com",
                ["rbac_url"] = "https://pas.windows.net",
            }
            : new Dictionary<string, object>
            {
                ["token_endpoint"] = $"{host}/{id}/oauth2/token",
                ["token_endpoint_auth_methods_supported"] = new[] { "client_secret_post", "private_key_jwt", "client_secret_basic" },
                ["jwks_uri"] = $"{host}/common/discovery/keys",
                ["response_modes_supported"] = new[] { "query", "fragment", "form_post" },
                ["subject_types_supported"] = new[] { "pairwise" },
                ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
                ["response_types_supported"] = new[] { "code", "id_token", "code id_token", "token id_token", "token" },
                ["scopes_supported"] = new[] { "openid" },
                ["issuer"] = $"https://sts.windows.net/{id}/",
                ["authorization_endpoint"] = $"{host}/{id}/oauth2/authorize",
                ["device_authorization_endpoint"] = $"{host}/{id}/oauth2/devicecode",
                ["end_session_endpoint"] = $"{host}/{id}/oauth2/logout",
                ["tenant_region_scope"] = "NA",
                ["cloud_instance_name"] = "microsoftonline.com",
            };
        return JsonSerializer.Serialize(document);
    }

    private string Jwks(Tenant tenant)
    {
        var key = TokenSigningKey.Instance;
        var keys = new[]
        {
            new Dictionary<string, object>
            {
                ["kty"] = "RSA",
                ["use"] = "sig",
                ["kid"] = key.KeyId,
                ["x5t"] = key.KeyId,
                ["n"] = key.Modulus,
                ["e"] = key.Exponent,
                ["issuer"] = new Uri(_emulator.AuthorityHost, tenant.TenantId + "/v2.0").ToString(),
            },
        };
        return JsonSerializer.Serialize(new Dictionary<string, object> { ["keys"] = keys });
    }

    /// <summary>Instance discovery (only if a client does not turn it off): this host is its own only alias.</summary>
    private Task InstanceDiscovery(HttpContext context)
    {
        var host = _emulator.AuthorityHost.Authority;
        var tenant = Model.Tenant.TenantId;
        var body = new Dictionary<string, object>
        {
            ["tenant_discovery_endpoint"] = $"https://{host}/{tenant}/v2.0/.well-known/openid-configuration",
            ["api-version"] = "1.1",
            ["metadata"] = new[]
            {
                new Dictionary<string, object> { ["preferred_network"] = host, ["preferred_cache"] = host, ["aliases"] = new[] { host } },
            },
        };
        return Json(context, 200, JsonSerializer.Serialize(body));
    }
}
