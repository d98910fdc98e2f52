using System;
using System.Diagnostics;
using System.IO;
using OAuthSmtp.Hosting;
using Xunit;

namespace OAuthSmtp.PowerShell.Tests.Module;

/// <summary>
/// OAuthSmtp (MSAL 4.92) and another module's MSAL (4.61, as ExchangeOnlineManagement ships an MSAL of its own)
/// in one PowerShell process, in both import orders. Each order runs in a fresh process (tests/OAuthSmtp.IsolationProbe),
/// because a loaded assembly never leaves a process.
/// </summary>
public sealed class DependencyIsolationTests
{
    [Theory]
    [InlineData("other-first")]
    [InlineData("oauthsmtp-first")]
    public void BothModulesMsalKeepWorkingWhicheverLoadsFirst(string order)
    {
        var (exitCode, output) = RunProbe(order);

        Assert.True(exitCode == 0, output);
        Assert.Equal(2, CountLines(output, "other-token ok"));
        Assert.Equal(2, CountLines(output, "oauthsmtp-token ok"));
        Assert.Contains("context Microsoft.Identity.Client 4.61.3.0 Default", output);
        Assert.Contains("context Microsoft.Identity.Client 4.92.0.0 OAuthSmtp", output);
        Assert.Contains("context OAuthSmtp.Engine 0.1.0.0 OAuthSmtp", output);
        Assert.DoesNotContain("MailKit 4.18.0.0 Default", output);
    }

    private static int CountLines(string output, string start)
    {
        var count = 0;
        foreach (var line in output.Split('\n'))
        {
            if (line.StartsWith(start, StringComparison.Ordinal))
            {
                count++;
            }
        }

        return count;
    }

    private static (int ExitCode, string Output) RunProbe(string order)
    {
        var probe = Path.Combine(AppContext.BaseDirectory, "probe", "OAuthSmtp.IsolationProbe.dll");
        Assert.True(File.Exists(probe), "The isolation probe was not built next to the tests: " + probe);
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(probe);
        start.ArgumentList.Add(order);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(90)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("The isolation probe did not finish within 90 seconds.");
        }

        return (process.ExitCode, stdout.Result + stderr.Result);
    }
}
