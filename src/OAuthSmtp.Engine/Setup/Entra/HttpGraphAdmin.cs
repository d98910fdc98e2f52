using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using OAuthSmtp.Engine.Errors;
using OAuthSmtp.Engine.Profiles;
using OAuthSmtp.Engine.Tokens;
using OAuthSmtp.Engine.Trust;

namespace OAuthSmtp.Engine.Setup.Entra;

/// <summary>
/// <see cref="IGraphAdmin"/> over HTTPS with a Graph access token the caller already holds (-GraphAccessToken: a
/// runbook's managed identity or app). The token goes only to the cloud's Graph host over TLS; another https host only
/// when the admin typed it (HostTrustPolicy.RequireGraphEndpoint, checked before anything is sent). The token's claims
/// say who acts and with what: scp or roles, and the directory roles in wids. The token appears only in the
/// Authorization header, never in a message.
/// </summary>
public sealed class HttpGraphAdmin : IGraphAdmin
{
    /// <summary>Microsoft Graph's application id: the aud of a Graph token in its GUID form.</summary>
    public const string GraphAppId = "00000003-0000-0000-c000-000000000000";

    private readonly HttpClient _http;
    private readonly string _token;
    private readonly Uri _root;
    private readonly TokenClaims _claims;
    private readonly IReadOnlyList<string>? _wids;
    private GraphAdminSession? _session;

    /// <param name="http">The client to send with (reused; the caller owns it).</param>
    /// <param name="accessToken">A Graph access token (a raw JWT).</param>
    /// <param name="cloud">The cloud whose Graph host the token may go to.</param>
    /// <param name="graphEndpoint">Another Graph address (the root, or the root with /v1.0), or null for the cloud's.</param>
    /// <param name="endpointNamedExplicitly">The endpoint was typed on the command line (never from pipeline input).</param>
    /// <exception cref="OAuthSmtpException">UntrustedGraphEndpoint, TokenMalformed, or GraphAccessTokenUnusable.</exception>
    public HttpGraphAdmin(HttpClient http, string accessToken, CloudName cloud, Uri? graphEndpoint, bool endpointNamedExplicitly, Func<DateTimeOffset>? utcNow = null)
    {
        _http = http ?? throw new ArgumentNullException(nameof(http));
        var endpoint = graphEndpoint ?? CloudEndpoints.For(cloud).GraphEndpoint;
        HostTrustPolicy.RequireGraphEndpoint(cloud, endpoint, graphEndpoint is null || endpointNamedExplicitly);
        _root = RootOf(endpoint);

        _token = (accessToken ?? string.Empty).Trim();
        if (_token.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            _token = _token.Substring("Bearer ".Length).Trim();
        }

        _claims = JwtClaimsDecoder.Decode(_token);
        if (!_claims.Audiences.Any(IsGraphAudience))
        {
            throw Unusable($"The -GraphAccessToken is for '{_claims.Audience ?? "no audience"}', not for Microsoft Graph, so it was not sent anywhere.");
        }

        var now = (utcNow ?? (() => DateTimeOffset.UtcNow))();
        if (_claims.ExpiresOn is { } expires && expires <= now)
        {
            throw Unusable($"The -GraphAccessToken expired at {expires:u}.");
        }

        _wids = ReadWids(_token);
    }

    public const string SourceName = "the -GraphAccessToken";

    public GraphAdminSession DescribeSession()
    {
        if (_session is not null)
        {
            return _session;
        }

        var appOnly = _claims.IdentityType == TokenIdentityType.App || (_claims.IdentityType == TokenIdentityType.Unknown && _claims.Scopes.Count == 0);
        var permissions = appOnly ? _claims.Roles : _claims.Scopes;

        // wids lists the roles of a delegated token (when the app asks for it, as Graph PowerShell does); otherwise ask Graph.
        var roles = appOnly ? Array.Empty<string>() : _wids ?? DirectoryRoleReader.ReadOwnRoles(r => Send(r));
        _session = new GraphAdminSession(SourceName, appOnly ? _claims.ClientId : _claims.UserPrincipalName, _claims.TenantId, appOnly, permissions, roles);
        return _session;
    }

    public GraphResponse Send(GraphRequest request, CancellationToken cancellationToken = default)
    {
        if (request is null)
        {
            throw new ArgumentNullException(nameof(request));
        }

        return SendAsync(request, cancellationToken).GetAwaiter().GetResult();
    }

    private async Task<GraphResponse> SendAsync(GraphRequest request, CancellationToken cancellationToken)
    {
        using var message = new HttpRequestMessage(new HttpMethod(request.Method), new Uri(_root, request.RelativeUri));
        message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _token);
        if (request.Body is not null)
        {
            message.Content = new StringContent(request.Body, Encoding.UTF8, "application/json");
        }

        try
        {
            using var response = await _http.SendAsync(message, cancellationToken).ConfigureAwait(false);
            var body = response.Content is null ? string.Empty : await response.Content.ReadAsStringAsync().ConfigureAwait(false);
            return new GraphResponse((int)response.StatusCode, body);
        }
        catch (Exception ex) when (ex is HttpRequestException || (ex is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw new OAuthSmtpException(
                ErrorIds.GraphRequestFailed,
                ErrorKind.ConnectionError,
                $"Microsoft Graph at {_root.Host} could not be reached for {request}: {ex.Message}",
                "Check the network path to Graph (proxy, firewall) and run the command again; what was done is kept, and a re-run continues from there.",
                request.ToString(),
                ex);
        }
    }

    /// <summary>The Graph root: an endpoint given with its version (…/v1.0/, as Test-SmtpOAuthSetup -GraphEndpoint takes it) loses it.</summary>
    private static Uri RootOf(Uri endpoint)
    {
        var text = endpoint.GetLeftPart(UriPartial.Path).TrimEnd('/');
        foreach (var version in new[] { "/v1.0", "/beta" })
        {
            if (text.EndsWith(version, StringComparison.OrdinalIgnoreCase))
            {
                text = text.Substring(0, text.Length - version.Length);
            }
        }

        return new Uri(text + "/");
    }

    private static bool IsGraphAudience(string audience)
    {
        if (string.Equals(audience, GraphAppId, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (!Uri.TryCreate(audience, UriKind.Absolute, out var uri))
        {
            return false;
        }

        return new[] { CloudName.Global, CloudName.USGov, CloudName.USGovDoD, CloudName.China }
            .Select(c => CloudEndpoints.For(c).GraphEndpoint.Host)
            .Contains(uri.Host, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>The wids claim (directory role template ids), or null when the token has none.</summary>
    private static IReadOnlyList<string>? ReadWids(string token)
    {
        var parts = token.Split('.');
        var payload = parts.Length == 3 ? Base64Url.TryDecode(parts[1]) : null;
        if (payload is null)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(payload);
            return document.RootElement.TryGetProperty("wids", out var wids) && wids.ValueKind == JsonValueKind.Array
                ? wids.EnumerateArray().Where(w => w.ValueKind == JsonValueKind.String).Select(w => w.GetString()!).ToList()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static OAuthSmtpException Unusable(string message) => new(
        ErrorIds.GraphAccessTokenUnusable,
        ErrorKind.InvalidArgument,
        message,
        "Get a Graph token for the same tenant, e.g. in an Azure Automation runbook: (Get-AzAccessToken -ResourceTypeName MSGraph -AsSecureString).Token, and pass it as -GraphAccessToken; or leave -GraphAccessToken out and use Connect-MgGraph.");
}
