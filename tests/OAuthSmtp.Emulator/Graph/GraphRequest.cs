using System;
using System.Linq;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace OAuthSmtp.Emulator.Graph;

/// <summary>One Graph call: method, path below /v1.0/ split into segments, query, JSON body (POST/PATCH) and the caller.</summary>
internal sealed class GraphRequest
{
    public GraphRequest(string method, string path, IQueryCollection query, JsonElement? body, GraphCaller caller)
    {
        Method = method;
        Path = path;
        Segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (Segments.Length == 0)
        {
            Segments = new[] { "" };
        }

        Query = query;
        Body = body;
        Caller = caller;
    }

    public string Method { get; }

    public string Path { get; }

    public string[] Segments { get; }

    public IQueryCollection Query { get; }

    public JsonElement? Body { get; }

    public GraphCaller Caller { get; }

    public bool IsGet => HttpMethods.IsGet(Method);

    public bool IsPost => HttpMethods.IsPost(Method);

    public bool IsPatch => HttpMethods.IsPatch(Method);

    public bool IsDelete => HttpMethods.IsDelete(Method);

    public string? Filter => Query["$filter"].FirstOrDefault();

    public string[]? Select => Query["$select"].FirstOrDefault()?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>The body, or a 400 when the API needs one.</summary>
    public JsonElement RequireBody() => Body ?? throw GraphErrorException.UnreadableBody();

    /// <summary>A string property of the body, or null.</summary>
    public string? Text(string name) =>
        Body is { } body && body.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>A GUID property of the body; absent = null, present but not a GUID = 400 "Invalid value specified for property".</summary>
    public Guid? GuidProperty(string name, string resource)
    {
        if (Body is not { } body || !body.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String && Guid.TryParse(value.GetString(), out var id) ? id : throw GraphErrorException.InvalidValue(name, resource);
    }
}
