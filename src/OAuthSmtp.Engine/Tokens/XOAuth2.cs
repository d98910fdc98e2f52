using System;
using System.Text;

namespace OAuthSmtp.Engine.Tokens;

/// <summary>
/// The SASL XOAUTH2 initial response (EXCHANGE-FACTS section 4):
/// base64("user=" + mailbox + "\x01auth=Bearer " + token + "\x01\x01").
/// The result is as secret as the token: never log or show it.
/// </summary>
public static class XOAuth2
{
    public static string BuildInitialResponse(string user, string accessToken)
    {
        if (string.IsNullOrWhiteSpace(user))
        {
            throw new ArgumentException("The XOAUTH2 user (the mailbox address) is empty.", nameof(user));
        }

        if (string.IsNullOrEmpty(accessToken))
        {
            throw new ArgumentException("The access token is empty.", nameof(accessToken));
        }

        return "user=" + user + "\u0001auth=Bearer " + accessToken + "\u0001\u0001";
    }

    /// <summary>The base64 form sent after "AUTH XOAUTH2 " (or after the server's empty 334 challenge).</summary>
    public static string Encode(string user, string accessToken) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(BuildInitialResponse(user, accessToken)));
}
