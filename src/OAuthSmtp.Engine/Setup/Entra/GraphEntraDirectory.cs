using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using OAuthSmtp.Engine.Tokens;

namespace OAuthSmtp.Engine.Setup.Entra;

/// <summary>
/// Reads Entra ID through Microsoft Graph v1.0 with an app-only Graph token (EXCHANGE-FACTS section 7). A refusal
/// (403 without Application.Read.All / Policy.Read.All, 404, anything unexpected) reads as null: the doctor then
/// works from the token alone. The token is sent only in the Authorization header.
/// </summary>
public sealed class GraphEntraDirectory : IEntraDirectory
{
    private readonly HttpClient _http;
    private readonly AccessToken _token;
    private readonly Uri _baseAddress;

    /// <param name="baseAddress">Graph's v1.0 address, ending in a slash (https://graph.microsoft.com/v1.0/).</param>
    public GraphEntraDirectory(HttpClient http, AccessToken token, Uri baseAddress)
    {
        _http = http ?? throw new ArgumentNullException(nameof(http));
        _token = token ?? throw new ArgumentNullException(nameof(token));
        var text = (baseAddress ?? throw new ArgumentNullException(nameof(baseAddress))).ToString();
        _baseAddress = new Uri(text.EndsWith("/", StringComparison.Ordinal) ? text : text + "/");
    }

    public async Task<EntraApplicationRecord?> GetApplicationAsync(string appId, CancellationToken cancellationToken)
    {
        using var document = await GetAsync($"applications?$filter=appId eq '{Escape(appId)}'", cancellationToken).ConfigureAwait(false);
        var app = First(document);
        if (app is null)
        {
            return null;
        }

        var secrets = Credentials(app.Value, "passwordCredentials", "hint");
        var certificates = Credentials(app.Value, "keyCredentials", "customKeyIdentifier");
        return new EntraApplicationRecord(Text(app.Value, "id") ?? string.Empty, Text(app.Value, "appId") ?? appId, Text(app.Value, "displayName") ?? string.Empty, secrets, certificates);
    }

    public async Task<EntraServicePrincipalRecord?> GetServicePrincipalAsync(string appId, CancellationToken cancellationToken)
    {
        using var document = await GetAsync($"servicePrincipals?$filter=appId eq '{Escape(appId)}'", cancellationToken).ConfigureAwait(false);
        var sp = First(document);
        return sp is null
            ? null
            : new EntraServicePrincipalRecord(
                Text(sp.Value, "id") ?? string.Empty,
                Text(sp.Value, "appId") ?? appId,
                Text(sp.Value, "displayName") ?? string.Empty,
                !sp.Value.TryGetProperty("accountEnabled", out var enabled) || enabled.ValueKind != JsonValueKind.False);
    }

    public async Task<bool?> GetSecurityDefaultsEnabledAsync(CancellationToken cancellationToken)
    {
        using var document = await GetAsync("policies/identitySecurityDefaultsEnforcementPolicy", cancellationToken).ConfigureAwait(false);
        if (document is null || !document.RootElement.TryGetProperty("isEnabled", out var enabled))
        {
            return null;
        }

        return enabled.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => null,
        };
    }

    public async Task<IReadOnlyList<string>?> GetEnabledConditionalAccessPolicyNamesAsync(CancellationToken cancellationToken)
    {
        using var document = await GetAsync("identity/conditionalAccess/policies", cancellationToken).ConfigureAwait(false);
        if (document is null || !document.RootElement.TryGetProperty("value", out var value) || value.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        return value.EnumerateArray()
            .Where(p => string.Equals(Text(p, "state"), "enabled", StringComparison.OrdinalIgnoreCase))
            .Select(p => Text(p, "displayName") ?? Text(p, "id") ?? "?")
            .ToList();
    }

    private async Task<JsonDocument?> GetAsync(string relative, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_baseAddress, relative));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _token.Value);
        try
        {
            using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                return null;
            }

            var body = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
            return JsonDocument.Parse(body);
        }
        catch (Exception ex) when (ex is HttpRequestException || ex is JsonException || (ex is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return null;
        }
    }

    private static JsonElement? First(JsonDocument? document)
    {
        if (document is null || !document.RootElement.TryGetProperty("value", out var value) || value.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        foreach (var item in value.EnumerateArray())
        {
            return item.Clone();
        }

        return null;
    }

    private static IReadOnlyList<EntraCredentialRecord> Credentials(JsonElement app, string property, string hintProperty)
    {
        if (!app.TryGetProperty(property, out var list) || list.ValueKind != JsonValueKind.Array)
        {
            return Array.Empty<EntraCredentialRecord>();
        }

        return list.EnumerateArray().Select(c => new EntraCredentialRecord(
            Text(c, "keyId") ?? string.Empty,
            Text(c, "displayName"),
            Text(c, hintProperty),
            DateTimeOffset.TryParse(Text(c, "endDateTime"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var end) ? end : (DateTimeOffset?)null)).ToList();
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string Escape(string value) => Uri.EscapeDataString(value.Replace("'", "''"));
}
