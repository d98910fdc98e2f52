using System;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Xml.Linq;
using OAuthSmtp.Hosting;
using OAuthSmtp.ModuleTools.Packaging;
using OAuthSmtp.PowerShell.Tests.Help;
using Xunit;

namespace OAuthSmtp.PowerShell.Tests.Packaging;

/// <summary>
/// The package the PackModule target writes (same code path: ModulePackageWriter over out/OAuthSmtp) is what
/// Install-PSResource and the PowerShell Gallery expect: the module at the package root, dependencies/, the help,
/// and a nuspec whose fields come from the manifest; and the manifest inside it passes Test-ModuleManifest.
/// </summary>
public sealed class ModulePackageTests : IClassFixture<ModuleSessionFixture>, IDisposable
{
    private readonly PowerShellSession _session;
    private readonly string _workFolder = Path.Combine(Path.GetTempPath(), "oauthsmtp-package-tests", Guid.NewGuid().ToString("N"));
    private readonly string _package;

    public ModulePackageTests(ModuleSessionFixture fixture)
    {
        _session = fixture.Session;
        _package = ModulePackageWriter.Write(PowerShellSession.ModuleFolder, _workFolder);
    }

    public void Dispose() => Directory.Delete(_workFolder, recursive: true);

    private string[] ManifestFacts()
    {
        var result = _session.Run("""
        $info = Test-ModuleManifest -Path ([System.IO.Path]::Combine((Get-Module OAuthSmtp).ModuleBase, 'OAuthSmtp.psd1')) -ErrorAction Stop
        $info.Version.ToString()
        $info.Author
        $info.Description
        [string]$info.ProjectUri
        [string]$info.LicenseUri
        $info.ReleaseNotes
        [string]::Join(' ', @($info.Tags))
        [string]::Join(' ', @($info.ExportedCmdlets.Keys))
        """);
        Assert.False(result.HadTerminatingError, result.ErrorText);
        Assert.Empty(result.Errors);
        return result.Output.Select(o => o.ToString()).ToArray();
    }

    [Fact]
    public void The_package_holds_the_module_folder_at_its_root()
    {
        Assert.Equal("OAuthSmtp." + ManifestFacts()[0] + ".nupkg", Path.GetFileName(_package));
        using var zip = ZipFile.OpenRead(_package);
        var entries = zip.Entries.Select(e => e.FullName).ToHashSet();

        foreach (var expected in new[]
        {
            "OAuthSmtp.psd1", "OAuthSmtp.PowerShell.dll", "OAuthSmtp.LoadContext.dll", "OAuthSmtp.nuspec",
            "dependencies/OAuthSmtp.Engine.dll", "dependencies/MailKit.dll", "dependencies/MimeKit.dll", "dependencies/Microsoft.Identity.Client.dll",
            "en-US/OAuthSmtp.PowerShell.dll-Help.xml", "en-US/about_OAuthSmtp.help.txt", "LICENSE",
            "[Content_Types].xml", "_rels/.rels",
        })
        {
            Assert.Contains(expected, entries);
        }

        Assert.Contains(entries, e => e.StartsWith("package/services/metadata/core-properties/", StringComparison.Ordinal) && e.EndsWith(".psmdcp", StringComparison.Ordinal));
        Assert.All(Directory.GetFiles(PowerShellSession.ModuleFolder, "*.format.ps1xml"), f => Assert.Contains(Path.GetFileName(f), entries));
        Assert.DoesNotContain(entries, e => e.Contains('\\'));
    }

    [Fact]
    public void The_nuspec_carries_the_manifest_metadata_and_the_gallery_tags()
    {
        var facts = ManifestFacts();
        using var zip = ZipFile.OpenRead(_package);
        using var stream = zip.GetEntry("OAuthSmtp.nuspec")!.Open();
        var metadata = XDocument.Load(stream).Root!.Element(NuspecWriter.Namespace + "metadata")!;
        string Field(string name) => metadata.Element(NuspecWriter.Namespace + name)?.Value ?? string.Empty;

        Assert.Equal("OAuthSmtp", Field("id"));
        Assert.Equal(facts[0], Field("version"));
        Assert.Equal(facts[1], Field("authors"));
        Assert.Equal(facts[2], Field("description"));
        Assert.Equal(facts[3], Field("projectUrl"));
        // A license expression and the LICENSE file in the package, not NuGet's deprecated licenseUrl.
        Assert.Equal("MIT", Field("license"));
        Assert.Equal("expression", metadata.Element(NuspecWriter.Namespace + "license")!.Attribute("type")?.Value);
        Assert.Null(metadata.Element(NuspecWriter.Namespace + "licenseUrl"));
        Assert.StartsWith("https://", facts[4], StringComparison.Ordinal);
        using (var license = new StreamReader(zip.GetEntry("LICENSE")!.Open()))
        {
            Assert.Equal(File.ReadAllText(Path.Combine(PowerShellSession.RepositoryRoot, "LICENSE")), license.ReadToEnd());
        }

        Assert.Equal(facts[5], Field("releaseNotes"));
        Assert.NotEqual(string.Empty, Field("releaseNotes"));

        var tags = Field("tags").Split(' ');
        var expected = facts[6].Split(' ')
            .Concat(new[] { "PSModule", "PSIncludes_Cmdlet" })
            .Concat(facts[7].Split(' ').SelectMany(c => new[] { "PSCmdlet_" + c, "PSCommand_" + c }));
        Assert.All(expected, tag => Assert.Contains(tag, tags));
        Assert.Equal(tags.Length, tags.Distinct(StringComparer.OrdinalIgnoreCase).Count());
    }

    [Fact]
    public void The_manifest_in_the_package_passes_Test_ModuleManifest()
    {
        var extracted = Path.Combine(_workFolder, "installed", "OAuthSmtp");
        ZipFile.ExtractToDirectory(_package, extracted);

        var result = _session.Run(
            "$info = Test-ModuleManifest -Path $args[0] -ErrorAction Stop; $info.Name; $info.Version.ToString(); @($info.ExportedCmdlets.Keys).Count",
            arguments: new object?[] { Path.Combine(extracted, "OAuthSmtp.psd1") });

        Assert.False(result.HadTerminatingError, result.ErrorText);
        Assert.Empty(result.Errors);
        Assert.Equal("OAuthSmtp", result.Output[0].ToString());
        Assert.Equal(ManifestFacts()[0], result.Output[1].ToString());
        Assert.NotEqual("0", result.Output[2].ToString());
    }
}
