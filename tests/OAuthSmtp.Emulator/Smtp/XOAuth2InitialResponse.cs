using System;
using System.Text;

namespace OAuthSmtp.Emulator.Smtp;

/// <summary>
/// The SASL XOAUTH2 client response: base64 of "user=" + mailbox + "\x01auth=Bearer " + token + "\x01\x01" (EXCHANGE-FACTS §4).
/// </summary>
public static class XOAuth2InitialResponse
{
    /// <summary>Builds the base64 client response (tests and raw-socket clients use it).</summary>
    public static string Encode(string user, string accessToken) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes("user=" + user + "\u0001auth=Bearer " + accessToken + "\u0001\u0001"));

    /// <summary>Decodes a client response; false when it is not base64 or lacks a user address or a bearer token.</summary>
    public static bool TryDecode(string base64, out string user, out string accessToken)
    {
        user = "";
        accessToken = "";
        var buffer = new byte[base64.Length];
        if (!Convert.TryFromBase64String(base64.Trim(), buffer, out var length)) return false;

        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(buffer, 0, length);
        }
        catch (DecoderFallbackException)
        {
            return false;
        }

        foreach (var field in text.Split('\x01'))
        {
            if (field.StartsWith("user=", StringComparison.Ordinal))
            {
                user = field.Substring("user=".Length);
            }
            else if (field.StartsWith("auth=", StringComparison.Ordinal))
            {
                var value = field.Substring("auth=".Length);
                if (value.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
                {
                    accessToken = value.Substring("Bearer ".Length).Trim();
                }
            }
        }

        var at = user.IndexOf('@');
        return at > 0 && at < user.Length - 1 && user.IndexOfAny(new[] { ' ', '<', '>' }) < 0 && accessToken.Length > 0;
    }
}
