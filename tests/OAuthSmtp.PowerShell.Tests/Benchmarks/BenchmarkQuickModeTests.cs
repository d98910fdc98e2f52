using System;
using System.Diagnostics;
using System.IO;
using System.Threading.Tasks;
using OAuthSmtp.Hosting;
using Xunit;

namespace OAuthSmtp.PowerShell.Tests.Benchmarks;

/// <summary>
/// The benchmark program's quick mode (what CI runs) still measures every figure: it runs as a child process, as a
/// user runs it, and must finish with exit code 0 and a table without "not measured" rows. Its figures are never
/// judged here: a slow machine must not fail this test, only a broken program.
/// </summary>
// Slow (processes of their own, about a minute): CI runs them; a quick run skips them with --filter "Category!=Slow".
[Trait("Category", "Slow")]
public sealed class BenchmarkQuickModeTests : IDisposable
{
    // A bound against a hung program, far above the ~20 s the quick mode takes on two busy cores.
    private static readonly TimeSpan HangBound = TimeSpan.FromMinutes(5);
    private readonly string _folder = Directory.CreateTempSubdirectory("oauthsmtp-bench-smoke-").FullName;

    [Fact]
    public async Task Quick_mode_measures_every_figure_and_writes_the_table()
    {
        var output = Path.Combine(_folder, "BENCHMARKS.md");
        var start = new ProcessStartInfo(DotnetHost()) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "exec", BenchmarkAssembly(), "--quick", "--output", output })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(HangBound))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"The benchmark's quick mode did not end within {HangBound.TotalMinutes} minutes.");
        }

        process.WaitForExit();
        var (standardOutput, standardError) = (await stdout, await stderr);
        Assert.True(process.ExitCode == 0, $"Exit code {process.ExitCode}.{Environment.NewLine}{standardOutput}{Environment.NewLine}{standardError}");
        var report = File.ReadAllText(output);
        Assert.Contains("| figure | median | min | max | unit | target | |", report);
        Assert.DoesNotContain("not measured", report);
        foreach (var figure in new[]
                 {
                     "Send-SmtpOAuthMessage", "baseline", "Speed-up at 20 ms", "Round trips per message after authentication",
                     "Token requests for", "SMTP connections for", "Cold Import-Module", "Peak memory above idle",
                     "Test-SmtpOAuthSetup on a Ready tenant", "Get-SmtpOAuthToken from cache",
                 })
        {
            Assert.Contains(figure, report);
        }

        Assert.Contains($"{Environment.ProcessorCount} cores", report);
    }

    /// <summary>The benchmark program built next to this test assembly's configuration (the project reference builds it).</summary>
    private static string BenchmarkAssembly()
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
        var path = Path.Combine(PowerShellSession.RepositoryRoot, "bench", "OAuthSmtp.Benchmarks", "bin", configuration, "net10.0", "OAuthSmtp.Benchmarks.dll");
        Assert.True(File.Exists(path), $"The benchmark program is not built at {path}.");
        return path;
    }

    private static string DotnetHost() =>
        Environment.ProcessPath is { } host && Path.GetFileNameWithoutExtension(host) == "dotnet" ? host : "dotnet";

    public void Dispose()
    {
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
