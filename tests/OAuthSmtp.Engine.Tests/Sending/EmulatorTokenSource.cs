using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using OAuthSmtp.Emulator;
using OAuthSmtp.Engine.Tokens;

namespace OAuthSmtp.Engine.Tests.Sending;

/// <summary>
/// Tokens from the emulator's token service by client credentials over HTTPS, as the profile token source will get
/// them: counts its requests so tests can assert one token serves a whole pipeline.
/// </summary>
internal sealed class EmulatorTokenSource : IAccessTokenSource
{
    private static readonly HttpClient Http = EmulatorTrust.CreateHttpClient();
    private readonly ExchangeOnlineEmulator _emulator;
    private int _requests;
    private int _forced;

    public EmulatorTokenSource(ExchangeOnlineEmulator emulator) => _emulator = emulator;

    public int Requests => Volatile.Read(ref _requests);

    public int ForcedRefreshes => Volatile.Read(ref _forced);

    /// <summary>Tokens handed out, to search for them in logs and files.</summary>
    public List<string> Issued { get; } = new();

    public static async Task<string> RequestAsync(ExchangeOnlineEmulator emulator, CancellationToken cancellationToken = default)
    {
        var info = emulator.Current;
        var endpoint = new Uri(info.AuthorityHost, $"{info.TenantId}/oauth2/v2.0/token");
        using var body = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["client_id"] = info.ClientId!.Value.ToString(),
            ["client_secret"] = info.ClientSecret!,
            ["scope"] = "https://outlook.office365.com/.default",
            ["grant_type"] = "client_credentials",
        });
        using var response = await Http.PostAsync(endpoint, body, cancellationToken);
        var json = await response.Content.ReadAsStringAsync(cancellationToken);
        response.EnsureSuccessStatusCode();
        using var document = JsonDocument.Parse(json);
        return document.RootElement.GetProperty("access_token").GetString()!;
    }

    public async Task<AccessToken> GetTokenAsync(bool forceRefresh, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _requests);
        if (forceRefresh)
        {
            Interlocked.Increment(ref _forced);
        }

        var value = await RequestAsync(_emulator, cancellationToken);
        lock (Issued)
        {
            Issued.Add(value);
        }

        var expires = OAuthSmtp.Engine.Tokens.JwtClaimsDecoder.Decode(value).ExpiresOn!.Value;
        return new AccessToken(value, expires);
    }
}
