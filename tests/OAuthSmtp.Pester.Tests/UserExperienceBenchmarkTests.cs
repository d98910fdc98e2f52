using System;
using System.IO;
using Xunit;

namespace OAuthSmtp.Pester.Tests;

/// <summary>
/// bench/Measure-UserExperience.ps1 (issue 15, "performance as users feel it") runs in real pwsh and writes its three
/// side-by-side rows: the module against a bare pwsh and against the real Send-MailMessage. Its figures are never
/// judged here: a slow machine must not fail this test, only a broken script.
/// </summary>
// Slow (a dozen pwsh processes): CI runs it; a quick run skips it with --filter "Category!=Slow".
[Trait("Category", "Slow")]
public sealed class UserExperienceBenchmarkTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("oauthsmtp-userbench-smoke-").FullName;

    [Fact]
    public void The_script_measures_each_pair_in_real_pwsh_and_writes_the_table()
    {
        var output = Path.Combine(_folder, "user-experience.md");
        var script = Path.Combine(RealPwsh.RepositoryRoot, "bench", "Measure-UserExperience.ps1");

        // A bound against a hung script, far above what two messages per side take on two busy cores.
        // Run as an admin runs it, inside their own session: that session's HOME must be the same afterwards.
        var result = RealPwsh.Run(
            "$caller = $env:HOME; & " + RealPwsh.Quote(script) + " -Quick -Runs 1 -Messages 2 -OutputPath " + RealPwsh.Quote(output) +
            "; $code = $LASTEXITCODE; if ($env:HOME -ne $caller) { 'HOME-CHANGED'; exit 3 }; exit $code",
            TimeSpan.FromMinutes(15));

        Assert.DoesNotContain("HOME-CHANGED", result.Output, StringComparison.Ordinal);
        Assert.True(result.ExitCode == 0, result.Output);
        var table = File.ReadAllText(output);
        Assert.Contains("| Cold start: new pwsh process |", table, StringComparison.Ordinal);
        Assert.Contains("| Scheduled task: new process, send one message |", table, StringComparison.Ordinal);
        Assert.Contains("| 2 messages, inside one warm process |", table, StringComparison.Ordinal);
        Assert.Contains("Send-MailMessage", table, StringComparison.Ordinal);
        Assert.DoesNotContain("WARNING", result.Output, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // The next run's temp sweep removes it.
        }
    }
}
