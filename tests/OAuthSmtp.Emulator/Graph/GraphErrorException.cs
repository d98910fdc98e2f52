using System;

namespace OAuthSmtp.Emulator.Graph;

/// <summary>
/// A refusal in Graph's shape: HTTP status, error.code and error.message as Microsoft Graph v1.0 sends them for the
/// directory APIs (codes Authorization_RequestDenied, Request_ResourceNotFound, Request_BadRequest, …).
/// </summary>
internal sealed class GraphErrorException : Exception
{
    public GraphErrorException(int status, string code, string message)
        : base(message)
    {
        Status = status;
        Code = code;
    }

    public int Status { get; }

    public string Code { get; }

    /// <summary>403: the token lacks the permission or the signed-in user lacks the directory role.</summary>
    public static GraphErrorException Denied() =>
        new(403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.");

    public static GraphErrorException NotFound(string id) =>
        new(404, "Request_ResourceNotFound", $"Resource '{id}' does not exist or one of its queried reference-property objects are not present.");

    public static GraphErrorException BadRequest(string message) => new(400, "Request_BadRequest", message);

    /// <summary>A property with a value Graph does not accept.</summary>
    public static GraphErrorException InvalidValue(string property, string resource) =>
        BadRequest($"Invalid value specified for property '{property}' of resource '{resource}'.");

    public static GraphErrorException UnknownSegment(string segment) =>
        new(400, "BadRequest", $"Resource not found for the segment '{segment}'.");

    public static GraphErrorException MethodNotAllowed() =>
        new(405, "Request_BadRequest", "Specified HTTP method is not allowed for the request target.");

    public static GraphErrorException UnreadableBody() =>
        new(400, "BadRequest", "Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.");

    public static GraphErrorException UnknownProperty(string property, string type) =>
        new(400, "BadRequest", $"Property '{property}' does not exist on type 'microsoft.graph.{type}'. Make sure to only use property names that are defined by the type or mark the type as open type.");
}
