using System.Collections.Generic;
using System.Linq;
using System.Xml.Linq;

namespace OAuthSmtp.ModuleTools.Packaging;

/// <summary>
/// The nuspec Publish-PSResource writes for a module: id and version from the manifest, authors, owners,
/// description, release notes, copyright, the license as an SPDX expression (not the deprecated licenseUrl), the
/// project URL, and the tags the PowerShell Gallery searches:
/// PSData.Tags, then PSModule, PSCmdlet_&lt;name&gt; and PSCommand_&lt;name&gt; per cmdlet, then PSIncludes_Cmdlet.
/// </summary>
public static class NuspecWriter
{
    public static readonly XNamespace Namespace = "http://schemas.microsoft.com/packaging/2011/08/nuspec.xsd";

    public static IReadOnlyList<string> Tags(ModuleManifest manifest)
    {
        var tags = new List<string>(manifest.Tags) { "PSModule" };
        foreach (var cmdlet in manifest.CmdletsToExport)
        {
            tags.Add("PSCmdlet_" + cmdlet);
            tags.Add("PSCommand_" + cmdlet);
        }

        if (manifest.CmdletsToExport.Count > 0)
        {
            tags.Add("PSIncludes_Cmdlet");
        }

        return tags.Distinct(System.StringComparer.OrdinalIgnoreCase).ToList();
    }

    /// <param name="manifest">The module manifest's fields.</param>
    /// <param name="licenseExpression">The SPDX expression of the LICENSE file the package carries (NuGet deprecated licenseUrl).</param>
    public static XDocument Write(ModuleManifest manifest, string licenseExpression)
    {
        XElement Element(string name, string value) => new(Namespace + name, value);
        var metadata = new XElement(
            Namespace + "metadata",
            Element("id", manifest.Name),
            Element("version", manifest.ModuleVersion),
            Element("authors", manifest.Author),
            Element("owners", string.IsNullOrEmpty(manifest.CompanyName) ? manifest.Author : manifest.CompanyName),
            Element("requireLicenseAcceptance", "false"),
            new XElement(Namespace + "license", new XAttribute("type", "expression"), licenseExpression),
            Element("projectUrl", manifest.ProjectUri),
            Element("description", manifest.Description),
            Element("releaseNotes", manifest.ReleaseNotes),
            Element("copyright", manifest.Copyright),
            Element("tags", string.Join(" ", Tags(manifest))),
            new XElement(Namespace + "dependencies"));
        return new XDocument(new XDeclaration("1.0", "utf-8", null), new XElement(Namespace + "package", metadata));
    }
}
