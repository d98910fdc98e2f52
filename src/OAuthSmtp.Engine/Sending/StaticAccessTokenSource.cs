using System;
using System.Threading;
using System.Threading.Tasks;
using OAuthSmtp.Engine.Errors;
using OAuthSmtp.Engine.Tokens;

namespace OAuthSmtp.Engine.Sending;

/// <summary>
/// A token the caller already holds (-AccessToken): used as it is, never renewed. Its expiry is read from the JWT's
/// exp claim; an opaque token is assumed valid for an hour from now (the server will say when it is not).
/// </summary>
public sealed class StaticAccessTokenSource : IAccessTokenSource
{
    private readonly AccessToken _token;

    public StaticAccessTokenSource(string token)
    {
        var value = (token ?? string.Empty).Trim();
        if (value.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            value = value.Substring("Bearer ".Length).Trim();
        }

        if (value.Length == 0)
        {
            throw new OAuthSmtpException(
                ErrorIds.SendCredentialMissing,
                ErrorKind.InvalidArgument,
                "-AccessToken is empty.",
                "Pass the access token as a SecureString, for example from Get-SmtpOAuthToken -AsSecureString.");
        }

        DateTimeOffset expiresOn;
        try
        {
            expiresOn = JwtClaimsDecoder.Decode(value).ExpiresOn ?? DateTimeOffset.UtcNow.AddHours(1);
        }
        catch (OAuthSmtpException)
        {
            expiresOn = DateTimeOffset.UtcNow.AddHours(1);
        }

        _token = new AccessToken(value, expiresOn);
    }

    public Task<AccessToken> GetTokenAsync(bool forceRefresh, CancellationToken cancellationToken) => Task.FromResult(_token);
}
