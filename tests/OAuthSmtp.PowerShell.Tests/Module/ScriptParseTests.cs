using System;
using System.IO;
using System.Linq;
using System.Management.Automation.Language;
using OAuthSmtp.Hosting;
using Xunit;

namespace OAuthSmtp.PowerShell.Tests.Module;

/// <summary>
/// The Pester tests, build.ps1 and the manifests run on machines we do not have (pwsh, Windows PowerShell):
/// here they at least parse with PowerShell's own parser.
/// </summary>
public sealed class ScriptParseTests
{
    public static TheoryData<string> PowerShellFiles()
    {
        var root = PowerShellSession.RepositoryRoot;
        var data = new TheoryData<string>();
        foreach (var path in Directory.EnumerateFiles(root, "*.*", SearchOption.AllDirectories)
                     .Where(p => p.EndsWith(".ps1", StringComparison.OrdinalIgnoreCase) || p.EndsWith(".psd1", StringComparison.OrdinalIgnoreCase) || p.EndsWith(".psm1", StringComparison.OrdinalIgnoreCase))
                     .Select(p => Path.GetRelativePath(root, p))
                     .Where(p => !IsBuildOutput(p))
                     .OrderBy(p => p, StringComparer.Ordinal))
        {
            data.Add(path);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(PowerShellFiles))]
    public void ParsesWithoutErrors(string relativePath)
    {
        Parser.ParseFile(Path.Combine(PowerShellSession.RepositoryRoot, relativePath), out _, out var errors);

        Assert.True(errors.Length == 0, relativePath + ": " + string.Join("; ", errors.Select(e => $"line {e.Extent.StartLineNumber}: {e.Message}")));
    }

    [Fact]
    public void FindsTheBuildScriptAndThePesterTests()
    {
        var files = ((System.Collections.Generic.IEnumerable<object[]>)PowerShellFiles()).Select(row => (string)row[0]).ToList();

        Assert.Contains("build.ps1", files);
        Assert.Contains(files, f => f.StartsWith(Path.Combine("tests", "Pester"), StringComparison.Ordinal) && f.EndsWith(".Tests.ps1", StringComparison.Ordinal));
    }

    private static bool IsBuildOutput(string relativePath)
    {
        var parts = relativePath.Split(Path.DirectorySeparatorChar);
        return parts.Any(p => p is "bin" or "obj" or "out" or ".git" or "TestResults");
    }
}
