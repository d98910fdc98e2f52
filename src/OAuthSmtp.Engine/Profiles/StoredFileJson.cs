using System.Text.Json;
using System.Text.Json.Serialization;

namespace OAuthSmtp.Engine.Profiles;

/// <summary>
/// How the product's own files are written (profiles.json, relay.json, the relay's status.json): camelCase, indented,
/// nulls left out, enums as names; comments and trailing commas read, as an admin may have edited them by hand.
/// </summary>
internal static class StoredFileJson
{
    public static JsonSerializerOptions Options { get; } = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions
        {
            WriteIndented = true,
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            ReadCommentHandling = JsonCommentHandling.Skip,
            AllowTrailingCommas = true,
        };
        options.Converters.Add(new JsonStringEnumConverter(namingPolicy: null, allowIntegerValues: false));
        return options;
    }
}
