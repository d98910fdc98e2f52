using System;
using System.Diagnostics;
using System.IO;
using OAuthSmtp.Hosting;
using Xunit;

namespace OAuthSmtp.PowerShell.Tests.Sandbox;

/// <summary>The README's "try it" command, run as a user runs it (a process of its own, output redirected).</summary>
public sealed class SandboxTests
{
    [Fact]
    public void WithoutArgumentsItPlaysTheAdminsStoryToADeliveredMessage()
    {
        var (exitCode, output) = RunSandbox();

        Assert.True(exitCode == 0, output);
        Assert.Contains("ServicePrincipal   Fail", output);
        Assert.Matches(@"Fix\s+: New-ServicePrincipal -AppId", output);
        Assert.Contains("== Test-SmtpOAuthSetup: which step is wrong? ==", output);
        Assert.Contains("Ran: Set-CASMailbox", output);
        Assert.Contains("SmtpHandshake      Pass", output);
        Assert.Contains("Sent ", output);
        Assert.Contains("Subject                  : Hello from the sandbox", output);
        Assert.DoesNotContain("\u001b[", output, StringComparison.Ordinal);
    }

    [Fact]
    public void CommandRendersFormatViewsAndATerminatingErrorSetsTheExitCode()
    {
        var (ok, shown) = RunSandbox("-Command", "Get-SmtpOAuthProfile");
        Assert.True(ok == 0, shown);
        Assert.Matches(@"Name\s+CredentialKind", shown);
        Assert.Contains("Sandbox ", shown);

        var (failed, error) = RunSandbox("-Command", "Get-SmtpOAuthProfile -Name Missing -ErrorAction Stop");
        Assert.Equal(1, failed);
        Assert.Contains("There is no profile named 'Missing'", error);
    }

    [Fact]
    public void AChildOfATestRunKeepsTheRunsHomeAndItsTrust()
    {
        var home = OAuthSmtp.Emulator.TestEnvironment.IsolatedHome;
        Assert.NotNull(home);

        // The sandbox started by a test inherits the test run's folder (and so the CA trust in it), and leaves it there.
        var (exitCode, output) = RunSandbox("-Command", "'HOME=' + $env:HOME");

        Assert.True(exitCode == 0, output);
        Assert.Contains("HOME=" + home, output);
        Assert.True(Directory.Exists(home), "The child removed the parent's test home.");
    }

    [Fact]
    public void UnknownArgumentsAreRefusedWithTheUsage()
    {
        var (exitCode, output) = RunSandbox("-Frobnicate");

        Assert.Equal(2, exitCode);
        Assert.Contains("Unknown argument '-Frobnicate'", output);
        Assert.Contains("Usage:", output);
    }

    private static (int ExitCode, string Output) RunSandbox(params string[] arguments)
    {
        var sandbox = Path.Combine(AppContext.BaseDirectory, "sandbox", "OAuthSmtp.Sandbox.dll");
        Assert.True(File.Exists(sandbox), "The sandbox was not built next to the tests: " + sandbox);
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(sandbox);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(120)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("The sandbox did not finish within 120 seconds.");
        }

        return (process.ExitCode, stdout.Result + stderr.Result);
    }
}
