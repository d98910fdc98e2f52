using System;
using System.Text.Json;

namespace OAuthSmtp.Engine.Setup.Entra;

/// <summary>
/// Graph's answer to one <see cref="GraphRequest"/>: the status and the JSON body, or Graph's error
/// ({"error":{"code","message"}}). The body of a successful addPassword holds a secret: it is never logged or shown.
/// </summary>
public sealed class GraphResponse
{
    public GraphResponse(int statusCode, string? body)
    {
        StatusCode = statusCode;
        Body = body ?? string.Empty;
        (ErrorCode, ErrorMessage) = ReadError(Body);
    }

    /// <summary>The HTTP status; 0 when the session did not say (a transport failure).</summary>
    public int StatusCode { get; }

    /// <summary>The JSON body (empty for 204).</summary>
    public string Body { get; }

    public bool IsSuccess => StatusCode >= 200 && StatusCode < 300;

    /// <summary>Graph's error code (Authorization_RequestDenied, Request_ResourceNotFound, …), or null.</summary>
    public string? ErrorCode { get; }

    /// <summary>Graph's error message ("Insufficient privileges to complete the operation."), or null.</summary>
    public string? ErrorMessage { get; }

    /// <summary>The body as JSON (an empty object for an empty body); the caller disposes it.</summary>
    public JsonDocument Json() => JsonDocument.Parse(Body.Trim().Length == 0 ? "{}" : Body);

    /// <summary>Throws <see cref="GraphAdminException"/> unless the call succeeded.</summary>
    public GraphResponse EnsureSuccess(GraphRequest request)
    {
        if (!IsSuccess)
        {
            throw new GraphAdminException(request ?? throw new ArgumentNullException(nameof(request)), this);
        }

        return this;
    }

    private static (string? Code, string? Message) ReadError(string body)
    {
        var text = body.Trim();
        if (!text.StartsWith("{", StringComparison.Ordinal))
        {
            return (null, null);
        }

        try
        {
            using var document = JsonDocument.Parse(text);
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("error", out var error)
                && error.ValueKind == JsonValueKind.Object)
            {
                return (Text(error, "code"), Text(error, "message"));
            }
        }
        catch (JsonException)
        {
        }

        return (null, null);
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
