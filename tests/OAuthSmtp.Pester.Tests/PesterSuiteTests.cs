using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Xunit;
using Xunit.Abstractions;

namespace OAuthSmtp.Pester.Tests;

/// <summary>
/// tests/Pester, tag CI, in a real pwsh with Pester from NuGet: `dotnet test` fails when Pester reports a failed test,
/// block or file, or ran nothing. One verdict per file, so a failure names its file.
/// </summary>
public sealed class PesterSuiteTests : IClassFixture<PesterRun>
{
    private readonly PesterRun _run;
    private readonly ITestOutputHelper _output;

    public PesterSuiteTests(PesterRun run, ITestOutputHelper output)
    {
        _run = run;
        _output = output;
    }

    public static IEnumerable<object[]> PesterFiles() =>
        Directory.GetFiles(Path.Combine(RealPwsh.RepositoryRoot, "tests", "Pester"), "*.Tests.ps1")
            .Select(Path.GetFileName)
            .Order(StringComparer.Ordinal)
            .Select(name => new object[] { name! });

    [Fact]
    public void The_suite_passes_in_real_pwsh()
    {
        _output.WriteLine(_run.Result.Output);
        Assert.True(_run.Result.ExitCode == 0, $"Pester failed in real pwsh (exit {_run.Result.ExitCode}):{Environment.NewLine}{_run.Result.Output}");
        Assert.True(_run.Files.Values.Sum(file => file.Passed) > 0, "Pester ran no test:" + Environment.NewLine + _run.Result.Output);
    }

    [Theory]
    [MemberData(nameof(PesterFiles))]
    public void Each_file_runs_and_passes(string file)
    {
        Assert.True(_run.Files.TryGetValue(file, out var verdict), $"Pester did not report {file}:{Environment.NewLine}{_run.Result.Output}");
        var failures = string.Join(Environment.NewLine, _run.Result.Output.Split('\n').Where(line => line.Contains(file, StringComparison.Ordinal)));
        Assert.True(verdict.Failed == 0 && verdict.Result != "Failed", $"{file}: {verdict}{Environment.NewLine}{failures}{Environment.NewLine}{_run.Result.Output}");
        // A file whose every test skips here (Windows PowerShell, ExchangeOnlineManagement) still has to hold tests.
        Assert.True(verdict.Passed + verdict.Skipped > 0, $"{file} holds no test tagged CI.");
    }
}
