using System;
using System.Collections;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace OAuthSmtp.Emulator.PowerShell.Graph;

/// <summary>
/// Invoke-MgGraphRequest against the emulator's Graph with the session's token. -Uri: relative ("v1.0/applications",
/// resolved against the emulator as the SDK resolves it against https://graph.microsoft.com), absolute on
/// https://graph.microsoft.com (mapped to the emulator), or the emulator's own Graph URL; any other host is refused.
/// -Body: a string as is, a hashtable or object as JSON. -OutputType HashTable (default), PSObject, Json or
/// HttpResponseMessage. A non-success answer is a terminating error as the SDK raises it: HttpResponseException,
/// "Response status code does not indicate success: Forbidden (Forbidden).", id InvokeGraphHttpResponseException,
/// InvalidOperation, with ErrorDetails holding the request line, status line, headers and Graph's JSON error body.
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "MgGraphRequest", DefaultParameterSetName = "Default")]
[Alias("Invoke-GraphRequest")]
[OutputType(typeof(Hashtable), typeof(PSObject), typeof(string), typeof(HttpResponseMessage))]
public sealed class InvokeMgGraphRequestCommand : PSCmdlet
{
    private const string GraphHost = "graph.microsoft.com";

    private static readonly HttpClient Http = new();

    [Parameter(Mandatory = true, Position = 0)]
    public Uri Uri { get; set; } = null!;

    [Parameter(Position = 1)]
    [ValidateSet("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "TRACE", IgnoreCase = true)]
    public string Method { get; set; } = "GET";

    [Parameter(Position = 2, ValueFromPipeline = true)]
    public object? Body { get; set; }

    [Parameter]
    public IDictionary? Headers { get; set; }

    [Parameter]
    [ValidateSet("HashTable", "PSObject", "HttpResponseMessage", "Json", IgnoreCase = true)]
    public string OutputType { get; set; } = "HashTable";

    [Parameter]
    public string? ContentType { get; set; }

    [Parameter]
    public string? StatusCodeVariable { get; set; }

    [Parameter]
    [Alias("RHV")]
    public string? ResponseHeadersVariable { get; set; }

    protected override void ProcessRecord()
    {
        var connection = GraphConnections.Current(Runspace.DefaultRunspace);
        if (connection is null)
        {
            ThrowTerminatingError(GraphErrors.NotConnected());
            return;
        }

        var (target, shown) = Resolve(connection.Emulator);
        using var request = new HttpRequestMessage(new HttpMethod(Method.ToUpperInvariant()), target);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", connection.AccessToken);
        request.Headers.TryAddWithoutValidation("client-request-id", Guid.NewGuid().ToString());
        if (Headers is not null)
        {
            foreach (DictionaryEntry header in Headers)
            {
                request.Headers.TryAddWithoutValidation(header.Key.ToString()!, header.Value?.ToString());
            }
        }

        var bodyText = GraphJson.BodyText(Body);
        if (bodyText is not null && request.Method != HttpMethod.Get)
        {
            request.Content = new StringContent(bodyText, Encoding.UTF8);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(ContentType ?? "application/json");
        }

        var response = Http.Send(request);
        var text = response.Content.ReadAsStringAsync().GetAwaiter().GetResult();
        if (StatusCodeVariable is not null)
        {
            SessionState.PSVariable.Set(StatusCodeVariable, (int)response.StatusCode);
        }

        if (ResponseHeadersVariable is not null)
        {
            var headers = new Hashtable(StringComparer.OrdinalIgnoreCase);
            foreach (var header in response.Headers.Concat(response.Content.Headers))
            {
                headers[header.Key] = header.Value.ToArray();
            }

            SessionState.PSVariable.Set(ResponseHeadersVariable, headers);
        }

        if (!response.IsSuccessStatusCode)
        {
            var exception = new HttpResponseException($"Response status code does not indicate success: {response.StatusCode} ({response.ReasonPhrase}).", response);
            var record = new ErrorRecord(exception, "InvokeGraphHttpResponseException", ErrorCategory.InvalidOperation, request);
            var headerLines = string.Join(Environment.NewLine, response.Headers.Concat(response.Content.Headers).Select(h => $"{h.Key}: {string.Join(", ", h.Value)}"));
            record.ErrorDetails = new ErrorDetails($"{request.Method} {shown}{Environment.NewLine}HTTP/{response.Version} {(int)response.StatusCode} {response.ReasonPhrase}{Environment.NewLine}{headerLines}{Environment.NewLine}{Environment.NewLine}{text}");
            ThrowTerminatingError(record);
            return;
        }

        switch (OutputType.ToUpperInvariant())
        {
            case "HTTPRESPONSEMESSAGE":
                WriteObject(response);
                return;
            case "JSON":
                if (text.Length > 0) WriteObject(text);
                return;
        }

        if (string.IsNullOrWhiteSpace(text))
        {
            return;
        }

        using var document = JsonDocument.Parse(text);
        WriteObject(string.Equals(OutputType, "PSObject", StringComparison.OrdinalIgnoreCase) ? GraphJson.ToPSObject(document.RootElement) : GraphJson.ToHashtable(document.RootElement));
    }

    /// <summary>Where the request goes (the emulator) and how the SDK would name it (https://graph.microsoft.com/…).</summary>
    private (Uri Target, string Shown) Resolve(ExchangeOnlineEmulator emulator)
    {
        var graphRoot = new Uri(emulator.GraphEndpoint, "../");
        // On Linux and macOS "/v1.0/me" binds to System.Uri as file:///v1.0/me; it is still meant relative to Graph.
        if (!Uri.IsAbsoluteUri || (Uri.IsFile && Uri.OriginalString.StartsWith('/')))
        {
            var relative = Uri.OriginalString.TrimStart('/');
            return (new Uri(graphRoot, relative), "https://" + GraphHost + "/" + relative);
        }

        if (string.Equals(Uri.Host, GraphHost, StringComparison.OrdinalIgnoreCase) && Uri.Scheme == System.Uri.UriSchemeHttps)
        {
            return (new Uri(graphRoot, Uri.PathAndQuery.TrimStart('/')), Uri.ToString());
        }

        if (Uri.GetLeftPart(UriPartial.Authority) == graphRoot.GetLeftPart(UriPartial.Authority) && Uri.AbsolutePath.StartsWith(graphRoot.AbsolutePath, StringComparison.Ordinal))
        {
            return (Uri, "https://" + GraphHost + "/" + Uri.PathAndQuery[graphRoot.AbsolutePath.Length..]);
        }

        ThrowTerminatingError(GraphErrors.InvalidHost(Uri));
        throw new InvalidOperationException("unreachable");
    }
}
