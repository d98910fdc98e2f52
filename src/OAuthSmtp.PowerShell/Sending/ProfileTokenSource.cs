using System.Threading;
using System.Threading.Tasks;
using OAuthSmtp.Engine.Tokens;

namespace OAuthSmtp.PowerShell.Sending;

/// <summary>
/// The sender's tokens for a profile: the shared provider's cache (one token serves every connection until it
/// nears expiry), asked again with forceRefresh when the sender renews mid-pipeline.
/// </summary>
internal sealed class ProfileTokenSource : IAccessTokenSource
{
    private readonly TokenProvider _provider;
    private readonly TokenRequest _template;

    public ProfileTokenSource(TokenProvider provider, TokenRequest template)
    {
        _provider = provider;
        _template = template;
    }

    public async Task<AccessToken> GetTokenAsync(bool forceRefresh, CancellationToken cancellationToken)
    {
        var request = new TokenRequest(_template.Profile)
        {
            Secret = _template.Secret,
            Certificate = _template.Certificate,
            ForceRefresh = forceRefresh,
            AllowUserInteraction = _template.AllowUserInteraction,
            BrowserAvailable = _template.BrowserAvailable,
            DeviceCodeMessage = _template.DeviceCodeMessage,
            Verbose = _template.Verbose,
            SecretExpiresOn = _template.SecretExpiresOn,
        };
        var info = await _provider.GetTokenAsync(request, cancellationToken).ConfigureAwait(false);
        return info.Token;
    }
}
