using System;
using System.Net.Http;
using Microsoft.Identity.Client;

namespace OAuthSmtp.Engine.Tokens;

/// <summary>
/// One HttpClient for every MSAL call of the module (MSAL's advice), with a timeout short enough that a dead
/// token or managed-identity endpoint fails a scheduled task in seconds instead of MSAL's default 100 s.
/// </summary>
internal sealed class TokenHttpClientFactory : IMsalHttpClientFactory
{
    public static readonly TokenHttpClientFactory Instance = new();

    /// <summary>A token response is a few KB; a body beyond this is not one, and is not read into memory.</summary>
    public const int MaxResponseBytes = 1024 * 1024;

    private static readonly HttpClient Client = new(new HttpClientHandler { UseProxy = true })
    {
        Timeout = TimeSpan.FromSeconds(30),
        MaxResponseContentBufferSize = MaxResponseBytes,
    };

    public HttpClient GetHttpClient() => Client;
}
