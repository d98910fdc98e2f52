using System;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using OAuthSmtp.Emulator.Tests.Tokens;

namespace OAuthSmtp.Emulator.Tests.Graph;

/// <summary>Raw Graph calls against an emulator with a given bearer token (what Invoke-MgGraphRequest sends).</summary>
internal sealed class GraphClient
{
    private readonly ExchangeOnlineEmulator _emulator;

    public GraphClient(ExchangeOnlineEmulator emulator, string token)
    {
        _emulator = emulator;
        Token = token;
    }

    public string Token { get; set; }

    /// <summary>A client signed in as the administrator with the scopes asked for.</summary>
    public static GraphClient Administrator(ExchangeOnlineEmulator emulator, params string[] scopes) =>
        new(emulator, emulator.Tokens.SignInAdministratorToGraph(scopes).AccessToken);

    public Task<(int Status, JsonElement Body)> GetAsync(string relative) => SendAsync(HttpMethod.Get, relative, null);

    public Task<(int Status, JsonElement Body)> PostAsync(string relative, object? body) => SendAsync(HttpMethod.Post, relative, body);

    public Task<(int Status, JsonElement Body)> PatchAsync(string relative, object body) => SendAsync(HttpMethod.Patch, relative, body);

    public Task<(int Status, JsonElement Body)> DeleteAsync(string relative) => SendAsync(HttpMethod.Delete, relative, null);

    public async Task<(int Status, JsonElement Body)> SendAsync(HttpMethod method, string relative, object? body)
    {
        using var request = new HttpRequestMessage(method, new Uri(_emulator.GraphEndpoint, relative));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        if (body is not null)
        {
            request.Content = new StringContent(body as string ?? JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
        }

        using var response = await TokenHttp.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }
}
