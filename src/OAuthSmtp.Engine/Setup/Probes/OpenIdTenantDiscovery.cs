using System;
using System.Net.Http;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;

namespace OAuthSmtp.Engine.Setup.Probes;

/// <summary>
/// GET {authority}/{tenant}/v2.0/.well-known/openid-configuration: 200 with an issuer naming the tenant GUID when the
/// tenant exists in that cloud, 400 with AADSTS90002 (unknown) or AADSTS900023 (malformed) when not.
/// </summary>
public sealed class OpenIdTenantDiscovery : ITenantDiscovery
{
    private static readonly Regex TenantInIssuer = new(@"/([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})/", RegexOptions.CultureInvariant);
    private static readonly Regex AadstsCode = new(@"AADSTS(\d{5,8})", RegexOptions.CultureInvariant);
    private readonly HttpClient _http;

    public OpenIdTenantDiscovery(HttpClient http)
    {
        _http = http ?? throw new ArgumentNullException(nameof(http));
    }

    public async Task<TenantDiscoveryResult> DiscoverAsync(Uri authorityHost, string tenant, CancellationToken cancellationToken)
    {
        var address = new Uri(authorityHost.ToString().TrimEnd('/') + "/" + Uri.EscapeDataString(tenant.Trim()) + "/v2.0/.well-known/openid-configuration");
        string body;
        int status;
        try
        {
            using var response = await _http.GetAsync(address, cancellationToken).ConfigureAwait(false);
            status = (int)response.StatusCode;
            body = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            return TenantDiscoveryResult.NotReached(ex.InnerException?.Message ?? ex.Message);
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return TenantDiscoveryResult.NotReached("the request timed out");
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (status == 200 && root.TryGetProperty("issuer", out var issuer) && issuer.ValueKind == JsonValueKind.String)
            {
                var text = issuer.GetString();
                var match = TenantInIssuer.Match(text ?? string.Empty);
                return TenantDiscoveryResult.Exists(match.Success ? match.Groups[1].Value : null, text);
            }

            var description = root.TryGetProperty("error_description", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null;
            var code = AadstsCode.Match(description ?? string.Empty);
            if (status >= 400 && status < 500)
            {
                return TenantDiscoveryResult.Refused(code.Success ? int.Parse(code.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : (int?)null, FirstLine(description));
            }
        }
        catch (JsonException)
        {
            // Not Entra's JSON: treated as unreachable below (a proxy page, an outage).
        }

        return TenantDiscoveryResult.NotReached($"HTTP {status} from {address.Host}");
    }

    private static string? FirstLine(string? text)
    {
        if (text is null)
        {
            return null;
        }

        var end = text.IndexOfAny(new[] { '\r', '\n' });
        return end > 0 ? text.Substring(0, end) : text;
    }
}
