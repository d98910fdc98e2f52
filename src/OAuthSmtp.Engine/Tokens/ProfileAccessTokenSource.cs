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
        var request = new TokenRequest(_request.Profile)
        {
            Secret = _request.Secret,
            Certificate = _request.Certificate,
            ForceRefresh = forceRefresh,
            AllowUserInteraction = _request.AllowUserInteraction,
            BrowserAvailable = _request.BrowserAvailable,
            DeviceCodeMessage = _request.DeviceCodeMessage,
            Verbose = _request.Verbose,
            SecretExpiresOn = _request.SecretExpiresOn,
        };
        var info = await _provider.GetTokenAsync(request, cancellationToken).ConfigureAwait(false);
        return info.Token;
    }
}
