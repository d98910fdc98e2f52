using System;
using System.Buffers.Text;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using OAuthSmtp.Emulator.Model;

namespace OAuthSmtp.Emulator.Tokens;

/// <summary>
/// Mints v1.0 access tokens (EXCHANGE-FACTS §3), v2.0 id tokens and the token response JSON. Lifetime: random
/// 60–90 minutes as Entra's default [DOC], or Faults.TokenLifetimeSeconds.
/// </summary>
internal sealed class TokenIssuer
{
    private readonly ExchangeOnlineEmulator _emulator;
    private readonly TokenSigningKey _key = TokenSigningKey.Instance;

    public TokenIssuer(ExchangeOnlineEmulator emulator)
    {
        _emulator = emulator;
    }

    public int NextLifetimeSeconds() => _emulator.Faults.TokenLifetimeSeconds ?? RandomNumberGenerator.GetInt32(3600, 5401);

    /// <summary>An app-only token: roles only when some are consented (the claim is absent otherwise).</summary>
    public (string Token, int Lifetime) AppToken(Tenant tenant, TokenResource resource, Guid appId, string appDisplayName, Guid servicePrincipalId, string appIdAcr, IReadOnlyList<string> roles)
    {
        var lifetime = NextLifetimeSeconds();
        var now = _emulator.Clock.UtcNow;
        var claims = Common(tenant, resource, now, lifetime);
        claims["app_displayname"] = appDisplayName;
        claims["appid"] = appId.ToString();
        claims["appidacr"] = appIdAcr;
        claims["idp"] = $"https://sts.windows.net/{tenant.TenantId}/";
        claims["idtyp"] = "app";
        claims["oid"] = servicePrincipalId.ToString();
        claims["rh"] = "0.AAAA" + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(24)) + ".";
        claims["roles"] = roles.Count > 0 ? roles.ToArray() : null;
        claims["sub"] = servicePrincipalId.ToString();
        claims["tid"] = tenant.TenantId.ToString();
        claims["uti"] = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16));
        claims["ver"] = "1.0";
        return (JwtWriter.Sign(claims, _key), lifetime);
    }

    /// <summary>A delegated token: scp, upn, the user's oid and a pairwise sub.</summary>
    /// <param name="wids">The user's directory role template ids (admin tokens carry them, with the default User role).</param>
    public (string Token, int Lifetime) UserToken(Tenant tenant, TokenResource resource, AppRegistration app, EntraUser user, string appIdAcr, IReadOnlyList<string> scopes, IReadOnlyList<Guid>? wids = null)
    {
        var lifetime = NextLifetimeSeconds();
        var now = _emulator.Clock.UtcNow;
        var claims = Common(tenant, resource, now, lifetime);
        claims["acr"] = "1";
        claims["amr"] = new[] { "pwd", "mfa" };
        claims["app_displayname"] = app.DisplayName;
        claims["appid"] = app.AppId.ToString();
        claims["appidacr"] = appIdAcr;
        claims["idtyp"] = "user";
        claims["ipaddr"] = "127.0.0.1";
        claims["name"] = user.DisplayName;
        claims["oid"] = user.ObjectId.ToString();
        claims["scp"] = string.Join(' ', scopes);
        claims["sub"] = PairwiseSubject(user.ObjectId, app.AppId);
        claims["tid"] = tenant.TenantId.ToString();
        claims["unique_name"] = user.UserPrincipalName;
        claims["upn"] = user.UserPrincipalName;
        claims["uti"] = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16));
        claims["ver"] = "1.0";
        if (wids is not null)
        {
            claims["wids"] = wids.Select(w => w.ToString()).ToArray();
        }

        return (JwtWriter.Sign(claims, _key), lifetime);
    }

    /// <summary>A v2.0 id token for MSAL's account (not validated by MSAL, but shaped as Entra's).</summary>
    public string IdToken(Tenant tenant, AppRegistration app, EntraUser user)
    {
        var now = _emulator.Clock.UtcNow;
        var claims = new Dictionary<string, object?>
        {
            ["aud"] = app.AppId.ToString(),
            ["iss"] = new Uri(_emulator.AuthorityHost, tenant.TenantId + "/v2.0").ToString(),
            ["iat"] = now.ToUnixTimeSeconds(),
            ["nbf"] = now.ToUnixTimeSeconds(),
            ["exp"] = now.AddHours(1).ToUnixTimeSeconds(),
            ["name"] = user.DisplayName,
            ["oid"] = user.ObjectId.ToString(),
            ["preferred_username"] = user.UserPrincipalName,
            ["sub"] = PairwiseSubject(user.ObjectId, app.AppId),
            ["tid"] = tenant.TenantId.ToString(),
            ["ver"] = "2.0",
        };
        return JwtWriter.Sign(claims, _key);
    }

    /// <summary>client_info as MSAL asks for it (client_info=1): base64url {"uid","utid"}.</summary>
    public static string ClientInfo(Tenant tenant, EntraUser user) =>
        Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { ["uid"] = user.ObjectId.ToString(), ["utid"] = tenant.TenantId.ToString() }));

    /// <summary>The success body; expires_in and ext_expires_in as numbers (EXCHANGE-FACTS §2).</summary>
    public static string Response(string accessToken, int lifetime, string? scope = null, string? refreshToken = null, string? idToken = null, string? clientInfo = null)
    {
        var body = new Dictionary<string, object>
        {
            ["token_type"] = "Bearer",
        };
        if (scope is not null)
        {
            body["scope"] = scope;
        }

        body["expires_in"] = lifetime;
        body["ext_expires_in"] = lifetime;
        body["access_token"] = accessToken;
        if (refreshToken is not null)
        {
            body["refresh_token"] = refreshToken;
        }

        if (idToken is not null)
        {
            body["id_token"] = idToken;
        }

        if (clientInfo is not null)
        {
            body["client_info"] = clientInfo;
        }

        return JsonSerializer.Serialize(body);
    }

    private Dictionary<string, object?> Common(Tenant tenant, TokenResource resource, DateTimeOffset now, int lifetime) => new()
    {
        ["aud"] = resource.Audience,
        ["iss"] = $"https://sts.windows.net/{tenant.TenantId}/",
        ["iat"] = now.ToUnixTimeSeconds(),
        ["nbf"] = now.ToUnixTimeSeconds(),
        ["exp"] = now.AddSeconds(lifetime).ToUnixTimeSeconds(),
    };

    private static string PairwiseSubject(Guid user, Guid app) =>
        Base64Url.EncodeToString(SHA256.HashData(Encoding.UTF8.GetBytes(user + "|" + app)));
}
