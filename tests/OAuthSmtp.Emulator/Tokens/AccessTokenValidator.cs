using System;
using System.Buffers.Text;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.Json;
using OAuthSmtp.Emulator.Model;
using OAuthSmtp.Emulator.Tokens;

namespace OAuthSmtp.Emulator;

/// <summary>
/// Validates access tokens issued by this emulator's token service: RS256 signature with the token service's key,
/// issuer https://sts.windows.net/{tid}/, and nbf/exp against the <see cref="EmulatorClock"/> (no clock skew, so
/// Set-EmuClock can expire a token exactly). It does not judge audience, roles or tenant: the caller does, because
/// each of those failures has its own reply.
/// </summary>
public sealed class AccessTokenValidator
{
    private readonly TokenSigningKey _key;
    private readonly EmulatorClock _clock;

    public AccessTokenValidator(EmulatorClock clock)
        : this(TokenSigningKey.Instance, clock)
    {
    }

    internal AccessTokenValidator(TokenSigningKey key, EmulatorClock clock)
    {
        _key = key;
        _clock = clock;
    }

    /// <summary>The claims when the token is genuine and current; otherwise null and a short reason (never the token).</summary>
    public ValidatedAccessToken? Validate(string jwt, out string failure)
    {
        failure = "";
        if (string.IsNullOrWhiteSpace(jwt))
        {
            failure = "The token is empty.";
            return null;
        }

        var parts = jwt.Split('.');
        if (parts.Length != 3)
        {
            failure = "The token is not a JWS compact serialization.";
            return null;
        }

        JsonElement header;
        JsonElement payload;
        byte[] signature;
        try
        {
            header = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[0])).RootElement.Clone();
            payload = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[1])).RootElement.Clone();
            signature = Base64Url.DecodeFromChars(parts[2]);
        }
        catch (Exception ex) when (ex is FormatException or JsonException)
        {
            failure = "The token is not valid base64url JSON.";
            return null;
        }

        if (GetString(header, "alg") != "RS256")
        {
            failure = "The token's alg is not RS256.";
            return null;
        }

        if (GetString(header, "kid") != _key.KeyId ||
            !_key.Verify(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), signature))
        {
            failure = "The token's signature is not valid.";
            return null;
        }

        if (!Guid.TryParse(GetString(payload, "tid"), out var tenantId))
        {
            failure = "The token has no tid.";
            return null;
        }

        var issuer = GetString(payload, "iss") ?? "";
        if (issuer != $"https://sts.windows.net/{tenantId}/")
        {
            failure = "The token's issuer is not https://sts.windows.net/{tid}/.";
            return null;
        }

        var now = _clock.UtcNow;
        var expires = GetTime(payload, "exp");
        var notBefore = GetTime(payload, "nbf");
        if (expires is null || now >= expires)
        {
            failure = "The token has expired.";
            return null;
        }

        if (notBefore is not null && now < notBefore)
        {
            failure = "The token is not yet valid.";
            return null;
        }

        var hasRoles = payload.TryGetProperty("roles", out var rolesElement) && rolesElement.ValueKind == JsonValueKind.Array;
        return new ValidatedAccessToken
        {
            Audience = GetString(payload, "aud") ?? "",
            Issuer = issuer,
            TenantId = tenantId,
            AppId = Guid.TryParse(GetString(payload, "appid"), out var appId) ? appId : Guid.Empty,
            AppIdAcr = GetString(payload, "appidacr") ?? "",
            ObjectId = Guid.TryParse(GetString(payload, "oid"), out var oid) ? oid : Guid.Empty,
            Subject = GetString(payload, "sub") ?? "",
            HasRolesClaim = hasRoles,
            Roles = hasRoles ? rolesElement.EnumerateArray().Select(r => r.GetString() ?? "").ToArray() : Array.Empty<string>(),
            Scopes = (GetString(payload, "scp") ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries),
            Upn = GetString(payload, "upn"),
            IdType = GetString(payload, "idtyp") ?? "",
            ExpiresOn = expires.Value,
            NotBefore = notBefore ?? DateTimeOffset.MinValue,
            IssuedAt = GetTime(payload, "iat") ?? DateTimeOffset.MinValue,
        };
    }

    private static string? GetString(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static DateTimeOffset? GetTime(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : null;
}
