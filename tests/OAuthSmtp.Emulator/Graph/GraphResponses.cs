using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;

namespace OAuthSmtp.Emulator.Graph;

/// <summary>Graph's response shapes: @odata.context, collections in "value", $select, and the error body.</summary>
internal static class GraphResponses
{
    public const string MetadataBase = "https://graph.microsoft.com/v1.0/$metadata#";

    public static Dictionary<string, object?> Collection(string context, IEnumerable<Dictionary<string, object?>> items) => new()
    {
        ["@odata.context"] = MetadataBase + context,
        ["value"] = items.ToList(),
    };

    public static Dictionary<string, object?> Entity(string context, Dictionary<string, object?> item)
    {
        var result = new Dictionary<string, object?> { ["@odata.context"] = MetadataBase + context };
        foreach (var pair in item)
        {
            result[pair.Key] = pair.Value;
        }

        return result;
    }

    /// <summary>Applies $select to the entity or to each item of "value" (annotations always kept).</summary>
    public static Dictionary<string, object?> Project(Dictionary<string, object?> body, string[]? select)
    {
        if (select is not { Length: > 0 })
        {
            return body;
        }

        Dictionary<string, object?> One(Dictionary<string, object?> item) =>
            item.Where(p => p.Key.StartsWith('@') || select.Contains(p.Key, StringComparer.OrdinalIgnoreCase)).ToDictionary(p => p.Key, p => p.Value);

        return body.TryGetValue("value", out var value) && value is List<Dictionary<string, object?>> items
            ? new Dictionary<string, object?> { ["@odata.context"] = body["@odata.context"], ["value"] = items.Select(One).ToList() }
            : One(body);
    }

    public static Task Write(HttpContext context, GraphResult result)
    {
        context.Response.StatusCode = result.Status;
        context.Response.Headers["request-id"] = Guid.NewGuid().ToString();
        if (result.Body is null)
        {
            return Task.CompletedTask;
        }

        context.Response.ContentType = "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8";
        return context.Response.WriteAsync(JsonSerializer.Serialize(result.Body), context.RequestAborted);
    }

    public static Task Error(HttpContext context, int status, string code, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        var requestId = Guid.NewGuid().ToString();
        context.Response.Headers["request-id"] = requestId;
        var body = new Dictionary<string, object>
        {
            ["error"] = new Dictionary<string, object>
            {
                ["code"] = code,
                ["message"] = message,
                ["innerError"] = new Dictionary<string, object>
                {
                    ["date"] = DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture),
                    ["request-id"] = requestId,
                    ["client-request-id"] = context.Request.Headers["client-request-id"].FirstOrDefault() ?? requestId,
                },
            },
        };
        return context.Response.WriteAsync(JsonSerializer.Serialize(body), context.RequestAborted);
    }
}
