using System;
using System.Collections.Generic;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.Tokens;
using OAuthSmtp.Emulator.Tokens;

namespace OAuthSmtp.Emulator.Tests.Smtp;

/// <summary>
/// Access tokens signed with the token service's own key, with the v1 claim shapes of EXCHANGE-FACTS §3, so SMTP
/// tests can produce any token (wrong audience, expired, other tenant) without the token endpoint.
/// </summary>
internal static class TestTokens
{
    public const string ExchangeAudience = "https://outlook.office365.com";
    public const string GraphAudience = "https://graph.microsoft.com";

    public static string App(Guid tenantId, Guid appId, Guid servicePrincipalId, IReadOnlyList<string>? roles,
        DateTimeOffset now, string audience = ExchangeAudience, TimeSpan? lifetime = null, Guid? issuerTenant = null)
    {
        var claims = Common(tenantId, appId, servicePrincipalId, now, audience, lifetime ?? TimeSpan.FromHours(1), issuerTenant);
        claims["idtyp"] = "app";
        claims["appidacr"] = "1";
        claims["sub"] = servicePrincipalId.ToString();
        if (roles is not null) claims["roles"] = roles;
        return Sign(claims);
    }

    public static string User(Guid tenantId, Guid appId, Guid userObjectId, string upn, string scopes, DateTimeOffset now, string audience = ExchangeAudience)
    {
        var claims = Common(tenantId, appId, userObjectId, now, audience, TimeSpan.FromHours(1), null);
        claims["idtyp"] = "user";
        claims["appidacr"] = "0";
        claims["sub"] = Guid.NewGuid().ToString("N");
        claims["upn"] = upn;
        claims["unique_name"] = upn;
        claims["scp"] = scopes;
        return Sign(claims);
    }

    private static Dictionary<string, object> Common(Guid tenantId, Guid appId, Guid oid, DateTimeOffset now, string audience, TimeSpan lifetime, Guid? issuerTenant)
    {
        var issuedAt = now.AddMinutes(-1).ToUnixTimeSeconds();
        return new Dictionary<string, object>
        {
            ["aud"] = audience,
            ["iss"] = $"https://sts.windows.net/{issuerTenant ?? tenantId}/",
            ["iat"] = issuedAt,
            ["nbf"] = issuedAt,
            ["exp"] = now.Add(lifetime).ToUnixTimeSeconds(),
            ["tid"] = tenantId.ToString(),
            ["appid"] = appId.ToString(),
            ["oid"] = oid.ToString(),
            ["ver"] = "1.0",
        };
    }

    private static string Sign(Dictionary<string, object> claims)
    {
        var key = TokenSigningKey.Instance;
        var header = new Dictionary<string, object> { ["typ"] = "JWT", ["alg"] = "RS256", ["kid"] = key.KeyId, ["x5t"] = key.KeyId };
        var signingInput = Base64UrlEncoder.Encode(JsonSerializer.Serialize(header)) + "." + Base64UrlEncoder.Encode(JsonSerializer.Serialize(claims));
        return signingInput + "." + Base64UrlEncoder.Encode(key.Sign(Encoding.ASCII.GetBytes(signingInput)));
    }
}
