using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using OAuthSmtp.Emulator.Model;
using OAuthSmtp.Emulator.Tokens;

namespace OAuthSmtp.Emulator.Graph;

/// <summary>
/// Microsoft Graph v1.0 under /graph/v1.0 on the token service's listener, behind a Graph token from the same token
/// service (aud https://graph.microsoft.com): the directory reads of EXCHANGE-FACTS §7 and the writes a setup makes
/// (applications, addPassword/removePassword, servicePrincipals, appRoleAssignedTo, oauth2PermissionGrants), /me and
/// the signed-in user's directory roles. Every write changes the one tenant model, so the token service, SMTP and the
/// Exchange cmdlets see it. Errors carry Graph's {"error":{"code","message","innerError"}} shape. Handlers live in the
/// partial files by concern (GraphApplications, GraphServicePrincipals, GraphAppRoleAssignments, GraphPermissionGrants,
/// GraphMe, GraphPolicies); JSON shapes in GraphRepresentations.
/// </summary>
internal sealed partial class GraphSurface
{
    private const string Prefix = "/graph/v1.0/";

    private readonly ExchangeOnlineEmulator _emulator;

    public GraphSurface(ExchangeOnlineEmulator emulator)
    {
        _emulator = emulator;
    }

    private TenantModel Model => _emulator.Tenant;

    private DateTimeOffset Now => _emulator.Clock.UtcNow;

    public void Map(WebApplication web) =>
        web.MapMethods("/graph/v1.0/{**path}", new[] { HttpMethods.Get, HttpMethods.Post, HttpMethods.Patch, HttpMethods.Delete }, Handle);

    private async Task Handle(HttpContext context)
    {
        _emulator.Statistics.CountGraphRequest();
        var method = context.Request.Method;
        var path = context.Request.Path.Value![Prefix.Length..].TrimEnd('/');
        GraphResult result;
        try
        {
            var token = Authenticate(context);
            JsonElement? body = null;
            if (HttpMethods.IsPost(method) || HttpMethods.IsPatch(method))
            {
                body = await ReadBodyAsync(context).ConfigureAwait(false);
            }

            lock (Model.SyncRoot)
            {
                var caller = new GraphCaller(token, token.IsAppOnly ? null : Model.Users.FirstOrDefault(u => u.ObjectId == token.ObjectId));
                var request = new GraphRequest(method, path, context.Request.Query, body, caller);
                result = Route(request);
            }

            if (!HttpMethods.IsGet(method))
            {
                _emulator.Statistics.CountGraphWrite(method, path);
            }
        }
        catch (GraphErrorException error)
        {
            await GraphResponses.Error(context, error.Status, error.Code, error.Message).ConfigureAwait(false);
            return;
        }

        await GraphResponses.Write(context, result).ConfigureAwait(false);
    }

    /// <summary>Dispatches on the first segment; each concern's file handles its own paths.</summary>
    private GraphResult Route(GraphRequest request)
    {
        var segments = request.Segments;
        var head = segments[0];
        if (head == "applications" || head.StartsWith("applications(", StringComparison.Ordinal))
        {
            return Applications(request);
        }

        if (head == "servicePrincipals" || head.StartsWith("servicePrincipals(", StringComparison.Ordinal))
        {
            return ServicePrincipals(request);
        }

        if (head == "oauth2PermissionGrants")
        {
            return PermissionGrants(request);
        }

        if (head == "me")
        {
            return Me(request);
        }

        if (head is "policies" or "identity")
        {
            return Policies(request);
        }

        throw GraphErrorException.UnknownSegment(head);
    }

    /// <summary>The bearer token, checked as Graph does: signature/issuer/lifetime, then audience and tenant (401 InvalidAuthenticationToken).</summary>
    private ValidatedAccessToken Authenticate(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.FirstOrDefault() ?? "";
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) || header.Length <= 7)
        {
            throw new GraphErrorException(401, "InvalidAuthenticationToken", "Access token is empty.");
        }

        var token = _emulator.TokenValidator.Validate(header[7..].Trim(), out var failure);
        if (token is null)
        {
            throw new GraphErrorException(401, "InvalidAuthenticationToken",
                failure.Contains("expired", StringComparison.Ordinal) ? "Lifetime validation failed, the token is expired." : "Access token validation failure.");
        }

        if (!string.Equals(token.Audience, ResourceCatalog.GraphAudience, StringComparison.OrdinalIgnoreCase) &&
            !string.Equals(token.Audience, TenantModel.GraphResourceAppId.ToString(), StringComparison.OrdinalIgnoreCase))
        {
            throw new GraphErrorException(401, "InvalidAuthenticationToken", "Access token validation failure. Invalid audience.");
        }

        lock (Model.SyncRoot)
        {
            if (token.TenantId != Model.Tenant.TenantId)
            {
                throw new GraphErrorException(401, "InvalidAuthenticationToken", "Access token validation failure. Invalid issuer.");
            }
        }

        return token;
    }

    private static async Task<JsonElement?> ReadBodyAsync(HttpContext context)
    {
        try
        {
            using var document = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted).ConfigureAwait(false);
            return document.RootElement.ValueKind == JsonValueKind.Object ? document.RootElement.Clone() : throw GraphErrorException.UnreadableBody();
        }
        catch (JsonException)
        {
            // An empty body is allowed where the API has no required parameters (addPassword with defaults).
            if (context.Request.ContentLength is null or 0)
            {
                return null;
            }

            throw GraphErrorException.UnreadableBody();
        }
    }

    private static string Iso(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static GraphErrorException NotAllowed() => GraphErrorException.MethodNotAllowed();

    /// <summary>$filter "property eq 'value'" over the given properties (what a setup sends); null filter = all.</summary>
    private static List<T> Filter<T>(IEnumerable<T> items, string? filter, IReadOnlyDictionary<string, Func<T, string?>> properties)
    {
        if (string.IsNullOrWhiteSpace(filter))
        {
            return items.ToList();
        }

        var match = System.Text.RegularExpressions.Regex.Match(filter.Trim(), @"^(?<property>\w+)\s+eq\s+'(?<value>(?:[^']|'')*)'$");
        if (!match.Success || !properties.TryGetValue(match.Groups["property"].Value, out var read))
        {
            throw new GraphErrorException(400, "Request_UnsupportedQuery", "Unsupported or invalid query filter clause specified for property of resource.");
        }

        var value = match.Groups["value"].Value.Replace("''", "'", StringComparison.Ordinal);
        var ordinal = match.Groups["property"].Value == "displayName";
        return items.Where(i => string.Equals(read(i), value, ordinal ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase)).ToList();
    }
}
