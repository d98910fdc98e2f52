using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Reflection;
using OAuthSmtp.Hosting;
using Xunit;

namespace OAuthSmtp.PowerShell.Tests.Module;

/// <summary>The laid-out module folder loads as a user would load it, and says what it exports.</summary>
public sealed class ModuleManifestTests : IDisposable
{
    private readonly PowerShellSession _session = new(PowerShellSessionOptions.WithOAuthSmtp());

    [Fact]
    public void GetCommandListsExactlyTheCmdletsTheManifestExports()
    {
        // A bare runspace has no Import-PowerShellDataFile or Sort-Object: the language and .NET do.
        var result = _session.Run(@"
            $path = [System.IO.Path]::Combine((Get-Module OAuthSmtp).ModuleBase, 'OAuthSmtp.psd1')
            $manifest = & ([scriptblock]::Create([System.IO.File]::ReadAllText($path)))
            $declared = [string[]]@($manifest.CmdletsToExport); [array]::Sort($declared)
            $actual = [string[]]@(Get-Command -Module OAuthSmtp | ForEach-Object { $_.Name }); [array]::Sort($actual)
            [string]::Join(',', $declared)
            [string]::Join(',', $actual)");

        Assert.False(result.HadTerminatingError, result.ErrorText);
        Assert.Equal(2, result.Output.Count);
        Assert.NotEqual(string.Empty, result.Output[0].ToString());
        Assert.Equal(result.Output[0].ToString(), result.Output[1].ToString());
    }

    [Fact]
    public void EveryExportedCmdletDeclaresItsOutputTypeAndUsesAnApprovedVerb()
    {
        var approved = new[] { typeof(VerbsCommon), typeof(VerbsCommunications), typeof(VerbsData), typeof(VerbsDiagnostic), typeof(VerbsLifecycle), typeof(VerbsOther), typeof(VerbsSecurity) }
            .SelectMany(t => t.GetFields(BindingFlags.Public | BindingFlags.Static))
            .Select(f => (string)f.GetValue(null)!)
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        var result = _session.Run(@"
            foreach ($command in Get-Command -Module OAuthSmtp) {
                $command.Name + ' ' + $command.Verb + ' ' + @($command.OutputType).Count
            }");

        Assert.False(result.HadTerminatingError, result.ErrorText);
        Assert.NotEmpty(result.Output);
        foreach (var line in result.Output.Select(o => o.ToString().Split(' ')))
        {
            Assert.True(approved.Contains(line[1]), $"{line[0]} uses the unapproved verb {line[1]}.");
            Assert.True(int.Parse(line[2]) > 0, $"{line[0]} declares no [OutputType].");
        }
    }

    [Fact]
    public void ManifestVersionIsTheBuiltAssemblyVersion()
    {
        var result = _session.Run("(Get-Module OAuthSmtp).Version.ToString()");
        var assembly = AssemblyName.GetAssemblyName(Path.Combine(PowerShellSession.ModuleFolder, "OAuthSmtp.PowerShell.dll"));

        Assert.Equal($"{assembly.Version!.Major}.{assembly.Version.Minor}.{assembly.Version.Build}", result.Output.Single().ToString());
    }

    [Fact]
    public void TestModuleManifestAcceptsTheManifest()
    {
        var result = _session.Run(@"
            $info = Test-ModuleManifest -Path ([System.IO.Path]::Combine((Get-Module OAuthSmtp).ModuleBase, 'OAuthSmtp.psd1')) -ErrorAction Stop
            $info.Name
            [string]::Join(',', @($info.CompatiblePSEditions))
            $info.PowerShellVersion.ToString()
            [string]::Join(',', @($info.Tags))");

        Assert.False(result.HadTerminatingError, result.ErrorText);
        Assert.Empty(result.Errors);
        Assert.Equal("OAuthSmtp", result.Output[0].ToString());
        Assert.Equal("Desktop,Core", result.Output[1].ToString());
        Assert.Equal("5.1", result.Output[2].ToString());
        Assert.Contains("PSEdition_Core", result.Output[3].ToString());
    }

    [Fact]
    public void DependenciesStayOutOfTheModuleRoot()
    {
        var root = Directory.GetFiles(PowerShellSession.ModuleFolder, "*.dll").Select(Path.GetFileName).OrderBy(n => n).ToArray();

        Assert.Equal(new[] { "OAuthSmtp.DependencyLoader.dll", "OAuthSmtp.LoadContext.dll", "OAuthSmtp.PowerShell.dll" }, root);
        Assert.True(File.Exists(Path.Combine(PowerShellSession.ModuleFolder, "dependencies", "Microsoft.Identity.Client.dll")));
        Assert.True(File.Exists(Path.Combine(PowerShellSession.ModuleFolder, "dependencies", "MailKit.dll")));
    }

    public void Dispose() => _session.Dispose();
}
