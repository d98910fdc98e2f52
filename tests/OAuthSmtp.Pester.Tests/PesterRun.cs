using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace OAuthSmtp.Pester.Tests;

/// <summary>
/// One Invoke-Pester run of tests/Pester (tag CI) in one real pwsh (a pwsh start costs seconds on a busy machine, so
/// the files share it), with Pester from NuGet. Keeps each file's verdict and the whole output for the tests to read.
/// </summary>
public sealed class PesterRun
{
    private const string FileMarker = "PESTER-FILE|";

    public PesterRun()
    {
        var folder = Path.Combine(RealPwsh.RepositoryRoot, "tests", "Pester");
        var script = $$"""
            $ErrorActionPreference = 'Stop'
            Import-Module {{RealPwsh.Quote(RealPwsh.PesterManifest)}}
            $configuration = New-PesterConfiguration
            $configuration.Run.Path = {{RealPwsh.Quote(folder)}}
            $configuration.Run.PassThru = $true
            $configuration.Filter.Tag = 'CI'
            $configuration.Output.Verbosity = 'Detailed'
            $configuration.Output.RenderMode = 'Plaintext'
            $result = Invoke-Pester -Configuration $configuration
            foreach ($container in $result.Containers) {
                $file = Split-Path -Leaf $container.Item
                '{{FileMarker}}{0}|{1}|{2}|{3}|{4}' -f $file, $container.Result, $container.PassedCount, $container.FailedCount, $container.SkippedCount
            }
            foreach ($failed in @($result.Failed)) {
                "FAILED: $(Split-Path -Leaf $failed.Block.BlockContainer.Item): $($failed.ExpandedPath)"
                foreach ($record in @($failed.ErrorRecord)) { '    ' + ($record | Out-String).Trim() }
            }
            foreach ($failed in @($result.FailedBlocks) + @($result.FailedContainers)) {
                "FAILED: $($failed.Item) $($failed.Name)"
                foreach ($record in @($failed.ErrorRecord)) { '    ' + ($record | Out-String).Trim() }
            }
            "Pester: $($result.PassedCount) passed, $($result.FailedCount) failed, $($result.SkippedCount) skipped, $($result.FailedBlocksCount) failed blocks, $($result.FailedContainersCount) failed files"
            exit $(if ($result.Result -eq 'Passed') { 0 } else { 1 })
            """;

        // Under the 15-minute budget of the whole suite on 2 cores, with room for a busy machine (HelpExamples.Tests.ps1
        // alone runs every generated help example against the emulator: about a minute idle, four on a loaded machine).
        Result = RealPwsh.Run(script, TimeSpan.FromMinutes(14));
        Files = Result.Output.Split('\n')
            .Select(line => line.Trim())
            .Where(line => line.StartsWith(FileMarker, StringComparison.Ordinal))
            .Select(line => line[FileMarker.Length..].Split('|'))
            .ToDictionary(parts => parts[0], parts => new PesterFileResult(parts[1], int.Parse(parts[2]), int.Parse(parts[3]), int.Parse(parts[4])), StringComparer.Ordinal);
    }

    public PwshResult Result { get; }

    /// <summary>Each file's verdict, by file name.</summary>
    public IReadOnlyDictionary<string, PesterFileResult> Files { get; }
}

/// <summary>What Pester said about one file.</summary>
public sealed record PesterFileResult(string Result, int Passed, int Failed, int Skipped);
