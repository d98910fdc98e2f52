using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;

namespace OAuthSmtp.Engine.Setup.Provisioning;

/// <summary>Small readers for Graph's JSON (collections under "value", string and date properties).</summary>
internal static class GraphJson
{
    /// <summary>The items of a collection ({"value":[…]}), cloned so they outlive the document.</summary>
    public static IReadOnlyList<JsonElement> Items(JsonElement root) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty("value", out var value) && value.ValueKind == JsonValueKind.Array
            ? value.EnumerateArray().Select(v => v.Clone()).ToList()
            : System.Array.Empty<JsonElement>();

    public static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    public static DateTimeOffset? Date(JsonElement element, string name) =>
        DateTimeOffset.TryParse(Text(element, name), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date) ? date : null;

    public static IReadOnlyList<JsonElement> Array(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array
            ? value.EnumerateArray().Select(v => v.Clone()).ToList()
            : System.Array.Empty<JsonElement>();

    /// <summary>A keyCredential's SHA-1 thumbprint in upper-case hex (customKeyIdentifier is its base64, or already hex).</summary>
    public static string? KeyCredentialThumbprint(JsonElement key)
    {
        var id = Text(key, "customKeyIdentifier");
        if (string.IsNullOrEmpty(id))
        {
            return null;
        }

        if (id!.Length == 40 && id.All(Uri.IsHexDigit))
        {
            return id.ToUpperInvariant();
        }

        try
        {
            return BitConverter.ToString(Convert.FromBase64String(id)).Replace("-", string.Empty);
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
