using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace OAuthSmtp.Engine.Setup.Entra;

/// <summary>
/// Turns what Invoke-MgGraphRequest gives back into a <see cref="GraphResponse"/>, here in the engine so the cmdlet
/// assembly needs no JSON library of its own: its output (a JSON string with -OutputType Json, else hashtables,
/// already reduced to dictionaries, lists and plain values) and its refusals, whose text holds the status line and
/// Graph's JSON body ("POST https://…\nHTTP/1.1 403 Forbidden\n…\n{"error":{…}}").
/// </summary>
public static class GraphCommandOutput
{
    private static readonly Regex StatusLine = new(@"HTTP/\d(?:\.\d)?\s+(?<code>\d{3})", RegexOptions.CultureInvariant);

    /// <param name="request">The request that was answered.</param>
    /// <param name="items">The command's output objects: JSON strings, or dictionaries/lists/plain values.</param>
    public static GraphResponse Success(GraphRequest request, IReadOnlyList<object?> items)
    {
        if (request is null)
        {
            throw new ArgumentNullException(nameof(request));
        }

        var status = request.Method == "DELETE" ? 204 : request.Method == "POST" ? 201 : 200;
        var values = (items ?? Array.Empty<object?>()).Where(i => i is not null).ToList();
        if (values.Count == 0)
        {
            return new GraphResponse(status == 200 ? 200 : status, string.Empty);
        }

        if (values.Count == 1 && values[0] is string text)
        {
            return new GraphResponse(status, text);
        }

        return new GraphResponse(status, JsonSerializer.Serialize(values.Count == 1 ? values[0] : values));
    }

    /// <param name="status">The status the error's exception carried, if any.</param>
    /// <param name="texts">The error's texts (ErrorDetails, exception message), most specific first.</param>
    public static GraphResponse Refusal(int? status, IEnumerable<string?> texts)
    {
        var list = (texts ?? Array.Empty<string?>()).Where(t => !string.IsNullOrEmpty(t)).Select(t => t!).ToList();
        var code = status
            ?? list.Select(t => StatusLine.Match(t)).Where(m => m.Success).Select(m => (int?)int.Parse(m.Groups["code"].Value, CultureInfo.InvariantCulture)).FirstOrDefault()
            ?? 0;
        var body = list.Select(JsonPart).FirstOrDefault(b => b is not null)
            ?? JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["error"] = new Dictionary<string, string> { ["code"] = "Unknown", ["message"] = FirstLine(list.FirstOrDefault()) ?? "Invoke-MgGraphRequest failed." },
            });
        return new GraphResponse(code, body);
    }

    private static string? FirstLine(string? text) =>
        text?.Split(new[] { '\r', '\n' }, StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();

    /// <summary>The JSON object at the end of an error text, if any.</summary>
    private static string? JsonPart(string text)
    {
        var start = text.IndexOf('{');
        var end = text.LastIndexOf('}');
        if (start < 0 || end <= start)
        {
            return null;
        }

        var candidate = text.Substring(start, end - start + 1);
        try
        {
            using var document = JsonDocument.Parse(candidate);
            return candidate;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
