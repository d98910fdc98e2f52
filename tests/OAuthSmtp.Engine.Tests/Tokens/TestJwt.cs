using System;
using System.Text;
using System.Text.Json;

namespace OAuthSmtp.Engine.Tests.Tokens;

/// <summary>Unsigned JWTs with chosen claims, for decoder and assessment tests that need exact claim shapes.</summary>
internal static class TestJwt
{
    public static string Create(object payload, object? header = null)
    {
        var headerJson = JsonSerializer.Serialize(header ?? new { typ = "JWT", alg = "RS256", x5t = "abc" });
        var payloadJson = JsonSerializer.Serialize(payload);
        return Encode(headerJson) + "." + Encode(payloadJson) + ".c2lnbmF0dXJl";
    }

    public static string Encode(string json) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static long Unix(DateTimeOffset time) => time.ToUnixTimeSeconds();
}
