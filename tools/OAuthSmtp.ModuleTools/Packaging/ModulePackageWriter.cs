using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Xml.Linq;

namespace OAuthSmtp.ModuleTools.Packaging;

/// <summary>
/// Writes a laid-out module folder as &lt;Name&gt;.&lt;Version&gt;.nupkg, the way Publish-PSResource packs a module:
/// the folder's content at the package root, &lt;Name&gt;.nuspec beside it, and the Open Packaging Conventions parts
/// NuGet's readers expect ([Content_Types].xml, _rels/.rels, the core-properties part). Install-PSResource removes
/// those extra parts again when it installs.
/// </summary>
public static class ModulePackageWriter
{
    private static readonly XNamespace ContentTypes = "http://schemas.openxmlformats.org/package/2006/content-types";
    private static readonly XNamespace Relationships = "http://schemas.openxmlformats.org/package/2006/relationships";
    private static readonly XNamespace CoreProperties = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties";
    private static readonly XNamespace DublinCore = "http://purl.org/dc/elements/1.1/";

    /// <summary>Packs <paramref name="moduleFolder"/> (which holds &lt;Name&gt;.psd1) into <paramref name="outputFolder"/>.</summary>
    /// <returns>The path of the package written.</returns>
    public static string Write(string moduleFolder, string outputFolder)
    {
        moduleFolder = Path.GetFullPath(moduleFolder);
        var name = Path.GetFileName(moduleFolder.TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar));
        var manifestPath = Path.Combine(moduleFolder, name + ".psd1");
        if (!File.Exists(manifestPath))
        {
            throw new FileNotFoundException($"The module folder {moduleFolder} has no manifest {name}.psd1; build the module first.", manifestPath);
        }

        var manifest = ModuleManifest.Read(manifestPath);
        var licenseExpression = LicenseExpression.Read(Path.Combine(moduleFolder, LicenseExpression.FileName));
        outputFolder = Path.GetFullPath(outputFolder);
        Directory.CreateDirectory(outputFolder);
        var packagePath = Path.Combine(outputFolder, $"{manifest.Name}.{manifest.ModuleVersion}.nupkg");
        var files = Directory.GetFiles(moduleFolder, "*", SearchOption.AllDirectories)
            .Select(path => (Path: path, Entry: Path.GetRelativePath(moduleFolder, path).Replace(Path.DirectorySeparatorChar, '/')))
            .OrderBy(f => f.Entry, StringComparer.Ordinal)
            .ToList();

        var temporary = packagePath + ".tmp";
        File.Delete(temporary);
        using (var zip = ZipFile.Open(temporary, ZipArchiveMode.Create))
        {
            var nuspecEntry = manifest.Name + ".nuspec";
            var corePropertiesEntry = $"package/services/metadata/core-properties/{Guid.NewGuid():N}.psmdcp";
            AddXml(zip, nuspecEntry, NuspecWriter.Write(manifest, licenseExpression));
            foreach (var (path, entry) in files)
            {
                zip.CreateEntryFromFile(path, entry, CompressionLevel.Optimal);
            }

            AddXml(zip, "_rels/.rels", RelationshipsPart(nuspecEntry, corePropertiesEntry));
            AddXml(zip, corePropertiesEntry, CorePropertiesPart(manifest));
            AddXml(zip, "[Content_Types].xml", ContentTypesPart(files.Select(f => f.Entry)));
        }

        File.Move(temporary, packagePath, overwrite: true);
        return packagePath;
    }

    private static void AddXml(ZipArchive zip, string entryName, XDocument document)
    {
        using var stream = zip.CreateEntry(entryName, CompressionLevel.Optimal).Open();
        document.Save(stream);
    }

    private static XDocument ContentTypesPart(IEnumerable<string> entries)
    {
        var extensions = entries
            .Select(e => Path.GetExtension(e).TrimStart('.'))
            .Where(e => e.Length > 0)
            .Concat(new[] { "nuspec" })
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .OrderBy(e => e, StringComparer.OrdinalIgnoreCase);
        return new XDocument(
            new XDeclaration("1.0", "utf-8", null),
            new XElement(
                ContentTypes + "Types",
                new XElement(ContentTypes + "Default", new XAttribute("Extension", "rels"), new XAttribute("ContentType", "application/vnd.openxmlformats-package.relationships+xml")),
                new XElement(ContentTypes + "Default", new XAttribute("Extension", "psmdcp"), new XAttribute("ContentType", "application/vnd.openxmlformats-package.core-properties+xml")),
                extensions.Select(e => new XElement(ContentTypes + "Default", new XAttribute("Extension", e), new XAttribute("ContentType", "application/octet")))));
    }

    private static XDocument RelationshipsPart(string nuspecEntry, string corePropertiesEntry) => new(
        new XDeclaration("1.0", "utf-8", null),
        new XElement(
            Relationships + "Relationships",
            new XElement(Relationships + "Relationship", new XAttribute("Type", "http://schemas.microsoft.com/packaging/2010/07/manifest"), new XAttribute("Target", "/" + nuspecEntry), new XAttribute("Id", RelationshipId())),
            new XElement(Relationships + "Relationship", new XAttribute("Type", "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"), new XAttribute("Target", "/" + corePropertiesEntry), new XAttribute("Id", RelationshipId()))));

    private static XDocument CorePropertiesPart(ModuleManifest manifest) => new(
        new XDeclaration("1.0", "utf-8", null),
        new XElement(
            CoreProperties + "coreProperties",
            new XAttribute(XNamespace.Xmlns + "dc", DublinCore),
            new XElement(DublinCore + "creator", manifest.Author),
            new XElement(DublinCore + "description", manifest.Description),
            new XElement(DublinCore + "identifier", manifest.Name),
            new XElement(CoreProperties + "version", manifest.ModuleVersion),
            new XElement(CoreProperties + "keywords", string.Join(" ", NuspecWriter.Tags(manifest))),
            new XElement(CoreProperties + "lastModifiedBy", "OAuthSmtp.ModuleTools")));

    private static string RelationshipId() => "R" + Guid.NewGuid().ToString("N").Substring(0, 16).ToUpperInvariant();
}
