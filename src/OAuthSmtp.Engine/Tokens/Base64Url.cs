using System;

namespace OAuthSmtp.Engine.Tokens;

/// <summary>RFC 4648 §5 base64url without padding, as JWT segments use it.</summary>
internal static class Base64Url
{
    /// <summary>Decodes a base64url segment; null when it is not valid base64url.</summary>
    public static byte[]? TryDecode(string segment)
    {
        var text = segment.Replace('-', '+').Replace('_', '/');
        switch (text.Length % 4)
        {
            case 0:
                break;
            case 2:
                text += "==";
                break;
            case 3:
                text += "=";
                break;
            default:
                return null;
        }

        try
        {
            return Convert.FromBase64String(text);
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
