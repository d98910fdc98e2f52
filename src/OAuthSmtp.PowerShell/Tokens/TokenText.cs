using System;
using System.Management.Automation;
using System.Net;
using System.Security;
using OAuthSmtp.Engine.Errors;
using OAuthSmtp.Engine.Tokens;

namespace OAuthSmtp.PowerShell.Tokens;

/// <summary>Turns what a user passes as -Token (string, SecureString, a token object) into the token text.</summary>
internal static class TokenText
{
    public static string From(object? input)
    {
        var value = input is PSObject wrapped ? wrapped.BaseObject : input;
        return value switch
        {
            string text => text,
            SecureString secure => new NetworkCredential(string.Empty, secure).Password,
            SmtpOAuthTokenInfo info => info.Token.Value,
            PSCredential credential => credential.GetNetworkCredential().Password,
            null => throw new OAuthSmtpException(ErrorIds.TokenMalformed, ErrorKind.InvalidArgument, "No token was given.", "Pass the access token as a string or SecureString with -Token, or pipe it in."),
            _ => throw new OAuthSmtpException(
                ErrorIds.TokenMalformed,
                ErrorKind.InvalidArgument,
                $"A {value.GetType().Name} is not a token.",
                "Pass the access token as a string or SecureString with -Token, or pipe in the output of Get-SmtpOAuthToken."),
        };
    }

    public static string? Plain(SecureString? secure) =>
        secure is null ? null : new NetworkCredential(string.Empty, secure).Password;

    public static SecureString ToSecureString(string text)
    {
        var secure = new SecureString();
        foreach (var character in text)
        {
            secure.AppendChar(character);
        }

        secure.MakeReadOnly();
        return secure;
    }
}
