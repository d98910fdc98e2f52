using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Text.Json;
using OAuthSmtp.Engine.Errors;

namespace OAuthSmtp.Engine.Tokens;

/// <summary>
/// Reads the payload of a JWT access token without validating it (the signature key belongs to the resource,
/// Exchange, not to us). Anything that is not a readable JWT becomes <see cref="ErrorIds.TokenMalformed"/>;
/// no other exception leaves this class. Messages describe the shape of the input, never its content.
/// </summary>
public static class JwtClaimsDecoder
{
    public static TokenClaims Decode(string? token)
    {
        var text = (token ?? string.Empty).Trim();
        if (text.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            text = text.Substring("Bearer ".Length).Trim();
        }

        if (text.Length == 0)
        {
            throw Malformed("The token is empty.");
        }

        var parts = text.Split('.');
        if (parts.Length == 5)
        {
            throw Malformed("The token is encrypted (a JWE with five parts); only the resource it was issued for can read it.");
        }

        if (parts.Length != 3)
        {
            throw Malformed($"The text is not a JSON Web Token: it has {parts.Length} dot-separated part(s) where a JWT has three (header.payload.signature). Consumer (outlook.com) tokens are opaque and cannot be decoded.");
        }

        var payloadBytes = Base64Url.TryDecode(parts[1]);
        if (payloadBytes is null)
        {
            throw Malformed("The token's payload (its second part) is not base64url.");
        }

        try
        {
            using var document = JsonDocument.Parse(payloadBytes);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw Malformed("The token's payload is JSON but not an object of claims.");
            }

            return ReadClaims(document.RootElement);
        }
        catch (JsonException ex)
        {
            throw Malformed("The token's payload is not valid JSON.", ex);
        }
        catch (FormatException ex)
        {
            throw Malformed("A claim of the token has a value of the wrong type.", ex);
        }
        catch (InvalidOperationException ex)
        {
            throw Malformed("A claim of the token has a value of the wrong type.", ex);
        }
    }

    /// <summary>Decode without throwing: null when the text is not a readable JWT.</summary>
    public static TokenClaims? TryDecode(string? token)
    {
        try
        {
            return Decode(token);
        }
        catch (OAuthSmtpException)
        {
            return null;
        }
    }

    private static TokenClaims ReadClaims(JsonElement root)
    {
        var roles = ReadStringList(root, "roles");
        var scopes = (ReadString(root, "scp") ?? string.Empty)
            .Split(new[] { ' ' }, StringSplitOptions.RemoveEmptyEntries);
        var upn = ReadString(root, "upn") ?? ReadString(root, "unique_name") ?? ReadString(root, "preferred_username");
        var objectId = ReadString(root, "oid");
        var subject = ReadString(root, "sub");

        return new TokenClaims(
            ReadTime(root, "exp"),
            ReadTime(root, "nbf"),
            ReadTime(root, "iat"),
            ReadStringList(root, "aud"),
            ReadString(root, "iss"),
            ReadString(root, "tid"),
            ReadString(root, "appid") ?? ReadString(root, "azp"),
            objectId,
            roles,
            scopes,
            InferIdentityType(ReadString(root, "idtyp"), roles, scopes, upn, objectId, subject),
            upn,
            ReadString(root, "appidacr") ?? ReadString(root, "azpacr"),
            ReadString(root, "ver"));
    }

    private static TokenIdentityType InferIdentityType(
        string? idtyp, IReadOnlyList<string> roles, IReadOnlyList<string> scopes, string? upn, string? objectId, string? subject)
    {
        if (string.Equals(idtyp, "app", StringComparison.OrdinalIgnoreCase))
        {
            return TokenIdentityType.App;
        }

        if (string.Equals(idtyp, "user", StringComparison.OrdinalIgnoreCase))
        {
            return TokenIdentityType.User;
        }

        // Only delegated tokens carry scp or a user name; app-only tokens carry roles, or (RBAC route) nothing,
        // with sub equal to oid.
        if (scopes.Count > 0 || upn is not null)
        {
            return TokenIdentityType.User;
        }

        if (roles.Count > 0 || (objectId is not null && string.Equals(objectId, subject, StringComparison.OrdinalIgnoreCase)))
        {
            return TokenIdentityType.App;
        }

        return TokenIdentityType.Unknown;
    }

    private static string? ReadString(JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out var value))
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number => value.GetRawText(),
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            _ => null,
        };
    }

    private static IReadOnlyList<string> ReadStringList(JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out var value))
        {
            return Array.Empty<string>();
        }

        return value.ValueKind switch
        {
            JsonValueKind.String => new[] { value.GetString()! },
            JsonValueKind.Array => value.EnumerateArray()
                .Where(item => item.ValueKind == JsonValueKind.String)
                .Select(item => item.GetString()!)
                .ToArray(),
            _ => Array.Empty<string>(),
        };
    }

    private static DateTimeOffset? ReadTime(JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out var value))
        {
            return null;
        }

        double seconds;
        if (value.ValueKind == JsonValueKind.Number)
        {
            seconds = value.GetDouble();
        }
        else if (value.ValueKind == JsonValueKind.String
                 && double.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed))
        {
            seconds = parsed;
        }
        else
        {
            return null;
        }

        // Out-of-range values (a corrupt or hostile token) read as "not stated" instead of throwing.
        const double maxSeconds = 253402300799; // 9999-12-31T23:59:59Z
        if (double.IsNaN(seconds) || seconds < 0 || seconds > maxSeconds)
        {
            return null;
        }

        return DateTimeOffset.FromUnixTimeSeconds((long)seconds);
    }

    private static OAuthSmtpException Malformed(string cause, Exception? inner = null) =>
        new(
            ErrorIds.TokenMalformed,
            ErrorKind.InvalidData,
            cause,
            "Pass the access token itself (the long 'eyJ…' text, the access_token field of the token response), not an ID token's header, a refresh token or the XOAUTH2 base64 string.",
            null,
            inner);
}
