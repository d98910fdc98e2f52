using System.Buffers.Text;
using System.Collections.Generic;
using System.Text;
using System.Text.Json;

namespace OAuthSmtp.Emulator.Tokens;

/// <summary>Writes RS256 JWS tokens signed with the token service's key (header typ, alg, x5t, kid as Entra writes them).</summary>
internal static class JwtWriter
{
    public static string Sign(IReadOnlyDictionary<string, object?> claims, TokenSigningKey key)
    {
        var header = new Dictionary<string, object> { ["typ"] = "JWT", ["alg"] = "RS256", ["x5t"] = key.KeyId, ["kid"] = key.KeyId };
        var encodedHeader = Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(header));
        var payload = new Dictionary<string, object?>();
        foreach (var claim in claims)
        {
            if (claim.Value is not null)
            {
                payload[claim.Key] = claim.Value;
            }
        }

        var encodedPayload = Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(payload));
        var signingInput = encodedHeader + "." + encodedPayload;
        return signingInput + "." + Base64Url.EncodeToString(key.Sign(Encoding.ASCII.GetBytes(signingInput)));
    }
}
