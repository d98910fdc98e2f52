using System;
using System.Buffers.Text;
using System.Linq;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using OAuthSmtp.Emulator.Model;

namespace OAuthSmtp.Emulator.Tokens;

/// <summary>
/// Checks a certificate client assertion (ENTRA-DOCS certificate-credentials): header alg RS256 with x5t (SHA-1) or
/// PS256 with x5t#S256 (SHA-256), the key among the app's uploaded certificates and not expired, the signature,
/// iss = sub = client_id, aud = the token endpoint, and nbf/exp. A time outside nbf…exp is AADSTS700024, every other failure AADSTS700027 (EXCHANGE-FACTS §5b).
/// </summary>
internal static class ClientAssertionValidator
{
    public const string AssertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    public static void Validate(string assertion, AppRegistration app, Func<string, bool> isTokenEndpoint, DateTimeOffset now)
    {
        var parts = assertion.Split('.');
        if (parts.Length != 3)
        {
            throw new AadErrorException(AadError.AssertionMalformed("The client assertion is not a JWT."));
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
            throw new AadErrorException(AadError.AssertionMalformed("The client assertion is not a JWT."));
        }

        var alg = Text(header, "alg");
        var x5t = Text(header, "x5t");
        var x5tS256 = Text(header, "x5t#S256");
        Func<ClientCertificate, bool>? matches = null;
        if (x5tS256 is not null && TryDecode(x5tS256, out var sha256))
        {
            matches = c => SHA256.HashData(c.RawData).AsSpan().SequenceEqual(sha256);
        }
        else if (x5t is not null && TryDecode(x5t, out var sha1))
        {
            matches = c => SHA1.HashData(c.RawData).AsSpan().SequenceEqual(sha1);
        }

        if (matches is null)
        {
            throw new AadErrorException(AadError.AssertionMalformed("The client assertion has no x5t or x5t#S256 header."));
        }

        // The message names the SHA-1 thumbprint (as the portal shows it) when the client sent one.
        var thumbprintHex = x5t is not null && TryDecode(x5t, out var shown) ? Convert.ToHexString(shown)
            : TryDecode(x5tS256!, out var shown256) ? Convert.ToHexString(shown256) : "";
        // A key uploaded moments ago is not yet replicated to the sign-in service: unknown until AvailableAt.
        var certificate = app.Certificates.Where(c => c.AvailableAt <= now).FirstOrDefault(matches)
            ?? throw new AadErrorException(AadError.AssertionKeyNotFound(thumbprintHex, app.AppId.ToString()));
        if (certificate.EndDateTime < now)
        {
            throw new AadErrorException(AadError.AssertionKeyExpired(thumbprintHex));
        }

        var padding = alg switch
        {
            "RS256" => RSASignaturePadding.Pkcs1,
            "PS256" => RSASignaturePadding.Pss,
            _ => null,
        };
        using var x509 = X509CertificateLoader.LoadCertificate(certificate.RawData);
        using var rsa = x509.GetRSAPublicKey();
        if (padding is null || rsa is null ||
            !rsa.VerifyData(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), signature, HashAlgorithmName.SHA256, padding))
        {
            throw new AadErrorException(AadError.AssertionSignatureInvalid());
        }

        var clientId = app.AppId.ToString();
        if (!string.Equals(Text(payload, "iss"), clientId, StringComparison.OrdinalIgnoreCase) ||
            !string.Equals(Text(payload, "sub"), clientId, StringComparison.OrdinalIgnoreCase))
        {
            throw new AadErrorException(AadError.AssertionMalformed("The issuer and subject of the client assertion must be the client id."));
        }

        var audience = Text(payload, "aud");
        if (audience is null || !isTokenEndpoint(audience))
        {
            throw new AadErrorException(AadError.AssertionMalformed("The audience claim of the client assertion is not the token endpoint."));
        }

        // Both ends are checked (AADSTS700024); nbf gets the clock skew Entra tolerates [INF: 5 minutes].
        var expires = UnixTime(payload, "exp");
        var notBefore = UnixTime(payload, "nbf");
        if (expires is null || expires <= now || (notBefore is not null && notBefore > now + AllowedClockSkew))
        {
            throw new AadErrorException(AadError.AssertionOutsideValidTime(now, notBefore, expires));
        }
    }

    private static readonly TimeSpan AllowedClockSkew = TimeSpan.FromMinutes(5);

    /// <summary>A NumericDate; MSAL.NET writes it as a JSON string, most libraries as a number, and Entra takes both.</summary>
    private static DateTimeOffset? UnixTime(JsonElement payload, string name)
    {
        if (!payload.TryGetProperty(name, out var value))
        {
            return null;
        }

        long seconds;
        var parsed = value.ValueKind switch
        {
            JsonValueKind.Number => value.TryGetInt64(out seconds),
            JsonValueKind.String => long.TryParse(value.GetString(), System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out seconds),
            _ => (seconds = 0) != 0,
        };
        return parsed ? DateTimeOffset.FromUnixTimeSeconds(seconds) : null;
    }

    private static bool TryDecode(string value, out byte[] bytes)
    {
        try
        {
            bytes = Base64Url.DecodeFromChars(value);
            return bytes.Length > 0;
        }
        catch (FormatException)
        {
            bytes = Array.Empty<byte>();
            return false;
        }
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
