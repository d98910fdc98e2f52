using System;
using System.Threading;
using System.Threading.Tasks;
using OAuthSmtp.Engine.Errors;

namespace OAuthSmtp.Engine.Tokens;

/// <summary>
/// A token the caller already holds (-AccessToken): used as is until it expires; it cannot be renewed, so
/// an expired one is reported with <see cref="ErrorIds.TokenExpired"/>.
/// </summary>
public sealed class StaticAccessTokenSource : IAccessTokenSource
{
    private readonly AccessToken _token;
    private readonly Func<DateTimeOffset> _utcNow;

    public StaticAccessTokenSource(string accessToken, Func<DateTimeOffset>? utcNow = null)
    {
        if (string.IsNullOrWhiteSpace(accessToken))
        {
            throw new OAuthSmtpException(ErrorIds.TokenMalformed, ErrorKind.InvalidArgument, "The access token is empty.", "Pass the access_token value of a token response, or use -Profile.");
        }

        var value = accessToken.Trim();
        if (value.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            value = value.Substring("Bearer ".Length).Trim();
        }

        // Opaque tokens (not JWTs) carry no expiry we can read: they are used until the server refuses them.
        var expires = JwtClaimsDecoder.TryDecode(value)?.ExpiresOn ?? DateTimeOffset.MaxValue;
        _token = new AccessToken(value, expires);
        _utcNow = utcNow ?? (() => DateTimeOffset.UtcNow);
    }

    public DateTimeOffset ExpiresOn => _token.ExpiresOn;

    public Task<AccessToken> GetTokenAsync(bool forceRefresh, CancellationToken cancellationToken)
    {
        if (_token.ExpiresOn <= _utcNow())
        {
            throw new OAuthSmtpException(
                ErrorIds.TokenExpired,
                ErrorKind.AuthenticationError,
                $"The access token given with -AccessToken expired at {_token.ExpiresOn:u}, and a token given by the caller cannot be renewed.",
                "Get a new token (Get-SmtpOAuthToken -Profile <name> -AsSecureString) or send with -Profile so the module renews tokens itself.");
        }

        return Task.FromResult(_token);
    }
}
