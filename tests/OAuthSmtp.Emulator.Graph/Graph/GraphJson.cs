using System;
using System.Collections;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace OAuthSmtp.Emulator.PowerShell.Graph;

/// <summary>JSON in and out of Invoke-MgGraphRequest: request bodies from hashtables/objects, answers as Hashtable or PSObject.</summary>
internal static class GraphJson
{
    /// <summary>A -Body value as JSON text: strings go as they are; dictionaries, objects and lists are serialised.</summary>
    public static string? BodyText(object? body)
    {
        var value = body is PSObject wrapped && wrapped.BaseObject is not PSCustomObject ? wrapped.BaseObject : body;
        return value switch
        {
            null => null,
            string text => text,
            _ => ToNode(value)?.ToJsonString(),
        };
    }

    private static JsonNode? ToNode(object? value)
    {
        if (value is PSObject ps && ps.BaseObject is not PSCustomObject)
        {
            value = ps.BaseObject;
        }

        switch (value)
        {
            case null:
                return null;
            case string s:
                return JsonValue.Create(s);
            case bool b:
                return JsonValue.Create(b);
            case Guid g:
                return JsonValue.Create(g.ToString());
            case DateTime d:
                return JsonValue.Create(d.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture));
            case DateTimeOffset o:
                return JsonValue.Create(o.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture));
            case Enum e:
                return JsonValue.Create(e.ToString());
            case int or long or short or byte or uint or ulong or ushort or sbyte:
                return JsonValue.Create(Convert.ToInt64(value, CultureInfo.InvariantCulture));
            case double or float or decimal:
                return JsonValue.Create(Convert.ToDouble(value, CultureInfo.InvariantCulture));
            case IDictionary dictionary:
                var obj = new JsonObject();
                foreach (DictionaryEntry entry in dictionary)
                {
                    obj[Convert.ToString(entry.Key, CultureInfo.InvariantCulture)!] = ToNode(entry.Value);
                }

                return obj;
            case PSObject custom:
                var fromObject = new JsonObject();
                foreach (var property in custom.Properties)
                {
                    fromObject[property.Name] = ToNode(property.Value);
                }

                return fromObject;
            case IEnumerable list:
                var array = new JsonArray();
                foreach (var item in list)
                {
                    array.Add(ToNode(item));
                }

                return array;
            default:
                return JsonValue.Create(Convert.ToString(value, CultureInfo.InvariantCulture));
        }
    }

    /// <summary>An answer as the SDK's HashTable output: case-insensitive Hashtables, object[] for arrays.</summary>
    public static object? ToHashtable(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => element.EnumerateObject().Aggregate(new Hashtable(StringComparer.OrdinalIgnoreCase), (table, p) =>
        {
            table[p.Name] = ToHashtable(p.Value);
            return table;
        }),
        JsonValueKind.Array => element.EnumerateArray().Select(ToHashtable).ToArray(),
        JsonValueKind.String => element.GetString(),
        JsonValueKind.Number => element.TryGetInt64(out var l) ? l : element.GetDouble(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => null,
    };

    /// <summary>An answer as PSObject output (what ConvertFrom-Json gives).</summary>
    public static object? ToPSObject(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var result = new PSObject();
                foreach (var property in element.EnumerateObject())
                {
                    result.Properties.Add(new PSNoteProperty(property.Name, ToPSObject(property.Value)));
                }

                return result;
            case JsonValueKind.Array:
                return element.EnumerateArray().Select(ToPSObject).ToArray();
            default:
                return ToHashtable(element);
        }
    }
}
