using System;
using System.Text.Json;

namespace OAuthSmtp.Engine.Setup.Entra;

/// <summary>
/// One Microsoft Graph call made with the admin's rights: a method, a path relative to the API version root
/// ("applications?$filter=appId eq '…'") and, for writes, a JSON body. The gateway decides the host (the admin's
/// Connect-MgGraph session, or the cloud's Graph endpoint for -GraphAccessToken), so a request never names one.
/// </summary>
public sealed class GraphRequest
{
    private GraphRequest(string method, string path, string? body, string apiVersion)
    {
        if (string.IsNullOrWhiteSpace(path) || path.IndexOf("://", StringComparison.Ordinal) >= 0 || path.StartsWith("/", StringComparison.Ordinal))
        {
            // An absolute address would let a request choose where the admin's token goes.
            throw new ArgumentException("A Graph request path is relative to the API version root (applications, servicePrincipals/{id}/…).", nameof(path));
        }

        Method = method;
        Path = path;
        Body = body;
        ApiVersion = apiVersion;
    }

    /// <summary>GET, POST, PATCH or DELETE.</summary>
    public string Method { get; }

    /// <summary>Relative to the version root, with its query ("servicePrincipals?$filter=appId eq '…'").</summary>
    public string Path { get; }

    /// <summary>The JSON body of a write, or null.</summary>
    public string? Body { get; }

    /// <summary>v1.0 (the default) or beta.</summary>
    public string ApiVersion { get; }

    /// <summary>Whether the call changes the directory (so -WhatIf lists it and does not send it).</summary>
    public bool Changes => !string.Equals(Method, "GET", StringComparison.OrdinalIgnoreCase);

    /// <summary>"v1.0/applications?…": the relative URI Invoke-MgGraphRequest resolves against its session's Graph host.</summary>
    public string RelativeUri => ApiVersion + "/" + Path;

    public static GraphRequest Get(string path, string apiVersion = "v1.0") => new("GET", path, null, apiVersion);

    public static GraphRequest Post(string path, object body, string apiVersion = "v1.0") => new("POST", path, Serialize(body), apiVersion);

    public static GraphRequest Patch(string path, object body, string apiVersion = "v1.0") => new("PATCH", path, Serialize(body), apiVersion);

    public static GraphRequest Delete(string path, string apiVersion = "v1.0") => new("DELETE", path, null, apiVersion);

    /// <summary>"POST /v1.0/applications": what -WhatIf and -Verbose show (never a body: it may hold key material).</summary>
    public override string ToString() => Method + " /" + RelativeUri;

    /// <summary>A value for an OData string literal inside a $filter ('' for a quote), escaped for the query string.</summary>
    public static string FilterLiteral(string value) =>
        Uri.EscapeDataString((value ?? string.Empty).Replace("'", "''"));

    private static string Serialize(object body) => body switch
    {
        null => throw new ArgumentNullException(nameof(body)),
        string json => json,
        _ => JsonSerializer.Serialize(body),
    };
}
