using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace OAuthSmtp.ModuleTools.Packaging;

/// <summary>
/// The package's license: the LICENSE file laid out with the module, and the SPDX expression for the nuspec, read
/// from that file's title so the two cannot disagree.
/// </summary>
public static class LicenseExpression
{
    public const string FileName = "LICENSE";

    private static readonly Dictionary<string, string> ByTitle = new(StringComparer.OrdinalIgnoreCase)
    {
        ["MIT License"] = "MIT",
        ["Apache License"] = "Apache-2.0",
    };

    /// <summary>The SPDX expression for the license text in <paramref name="licenseFile"/>.</summary>
    /// <exception cref="FileNotFoundException">The module folder has no LICENSE.</exception>
    /// <exception cref="InvalidDataException">The license is not one this tool knows the expression of.</exception>
    public static string Read(string licenseFile)
    {
        if (!File.Exists(licenseFile))
        {
            throw new FileNotFoundException($"The module folder has no {FileName}; the build lays out the repository's LICENSE beside the manifest.", licenseFile);
        }

        var title = File.ReadLines(licenseFile).Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0) ?? string.Empty;
        return ByTitle.TryGetValue(title, out var expression)
            ? expression
            : throw new InvalidDataException($"{licenseFile} starts with '{title}'; add its SPDX expression to {nameof(LicenseExpression)}.");
    }
}
