using System.Threading;
using System.Threading.Tasks;

namespace OAuthSmtp.Engine.Tokens;

/// <summary>The sender's token source for a profile: the provider's cache, renewed on demand.</summary>
internal sealed class ProfileAccessTokenSource : IAccessTokenSource
{
    private readonly TokenProvider _provider;
    private readonly TokenRequest _request;

    public ProfileAccessTokenSource(TokenProvider provider, TokenRequest request)
    {
        _provider = provider;
        _request = request;
    }

    public async Task<AccessToken> GetTokenAsync(bool forceRefresh, CancellationToken cancellationToken)
    {
        var info = await _provider.GetTokenAsync(_request.With(forceRefresh: forceRefresh), cancellationToken).ConfigureAwait(false);
        return info.Token;
    }
}
