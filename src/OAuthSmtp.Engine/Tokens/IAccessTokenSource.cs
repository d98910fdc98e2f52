using System.Threading;
using System.Threading.Tasks;

namespace OAuthSmtp.Engine.Tokens;

/// <summary>
/// Where the sender gets its SMTP token: a profile's credential through the cache, or a token the caller
/// already holds (-AccessToken). The sender asks again with <paramref name="forceRefresh"/> when a long
/// pipeline outlives the token.
/// </summary>
public interface IAccessTokenSource
{
    Task<AccessToken> GetTokenAsync(bool forceRefresh, CancellationToken cancellationToken);
}
