using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation.Language;

namespace OAuthSmtp.ModuleTools.Packaging;

/// <summary>
/// The manifest fields a package needs, read with PowerShell's parser (as Import-PowerShellDataFile does):
/// a .psd1 is a hashtable literal, and SafeGetValue refuses anything that would run code.
/// </summary>
public sealed record ModuleManifest(
    string Name,
    string ModuleVersion,
    string Author,
    string CompanyName,
    string Copyright,
    string Description,
    IReadOnlyList<string> CmdletsToExport,
    IReadOnlyList<string> Tags,
    string ProjectUri,
    string LicenseUri,
    string ReleaseNotes)
{
    public static ModuleManifest Read(string path)
    {
        var ast = Parser.ParseFile(path, out _, out var errors);
        if (errors.Length > 0)
        {
            throw new InvalidDataException($"{path}: {errors[0].Message} (line {errors[0].Extent.StartLineNumber}).");
        }

        var table = ast.Find(a => a is HashtableAst, searchNestedScriptBlocks: false) as HashtableAst
            ?? throw new InvalidDataException($"{path} holds no hashtable.");
        var values = (Hashtable)table.SafeGetValue();
        var psData = (values["PrivateData"] as Hashtable)?["PSData"] as Hashtable ?? new Hashtable();

        string Text(Hashtable from, string key, bool required = true)
        {
            var value = from[key] as string;
            if (required && string.IsNullOrWhiteSpace(value))
            {
                throw new InvalidDataException($"{path} has no {key}; a package needs it.");
            }

            return value ?? string.Empty;
        }

        static IReadOnlyList<string> List(Hashtable from, string key) => from[key] switch
        {
            null => Array.Empty<string>(),
            string single => new[] { single },
            IEnumerable many => many.Cast<object>().Select(o => o.ToString()!).ToArray(),
            var other => new[] { other.ToString()! },
        };

        var cmdlets = List(values, "CmdletsToExport");
        if (cmdlets.Any(c => c.Contains('*')))
        {
            throw new InvalidDataException($"{path} exports cmdlets with a wildcard; the package tags need the explicit list.");
        }

        return new ModuleManifest(
            Path.GetFileNameWithoutExtension(path),
            Text(values, "ModuleVersion"),
            Text(values, "Author"),
            Text(values, "CompanyName", required: false),
            Text(values, "Copyright", required: false),
            Text(values, "Description"),
            cmdlets,
            List(psData, "Tags"),
            Text(psData, "ProjectUri"),
            Text(psData, "LicenseUri"),
            Text(psData, "ReleaseNotes"));
    }
}
