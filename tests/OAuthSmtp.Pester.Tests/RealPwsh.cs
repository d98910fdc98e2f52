using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text;
using System.Threading;
using OAuthSmtp.Emulator;

namespace OAuthSmtp.Pester.Tests;

/// <summary>
/// Starts the real pwsh that the tool manifest (.config/dotnet-tools.json) pins, as `dotnet tool run pwsh`, restoring
/// it first when this machine has not: nothing is installed by hand. The child keeps this run's test HOME; the
/// dotnet CLI keeps looking for its tools under the real home (DOTNET_CLI_HOME).
/// </summary>
public static class RealPwsh
{
    private static readonly Lazy<string?> Restore = new(RestoreTools, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The repository root (where the tool manifest is).</summary>
    public static string RepositoryRoot { get; } = Metadata("RepositoryRoot");

    /// <summary>Pester's manifest, from the NuGet package this project downloads.</summary>
    public static string PesterManifest { get; } = Metadata("PesterManifest");

    /// <summary>
    /// Runs <paramref name="script"/> in a fresh `pwsh -NoProfile -NonInteractive -OutputFormat Text` and returns its
    /// exit code and everything it wrote (stdout, then stderr). Kills the process tree after <paramref name="timeout"/>.
    /// </summary>
    public static PwshResult Run(string script, TimeSpan timeout, IDictionary<string, string>? environment = null)
    {
        var restoreFailure = Restore.Value;
        if (restoreFailure is not null)
        {
            return new PwshResult(-1, "dotnet tool restore failed, so no pwsh could be started:" + Environment.NewLine + restoreFailure);
        }

        var start = DotnetCli("tool", "run", "pwsh", "--", "-NoProfile", "-NonInteractive", "-OutputFormat", "Text", "-EncodedCommand", Convert.ToBase64String(Encoding.Unicode.GetBytes(script)));
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        return RunToEnd(start, timeout);
    }

    /// <summary>Quotes a value for a single-quoted PowerShell string.</summary>
    public static string Quote(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";

    private static string? RestoreTools()
    {
        var result = RunToEnd(DotnetCli("tool", "restore"), TimeSpan.FromMinutes(5));
        return result.ExitCode == 0 ? null : result.Output;
    }

    private static ProcessStartInfo DotnetCli(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = RepositoryRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // The CLI finds restored tools under its home; HOME itself stays this run's test folder.
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("DOTNET_CLI_HOME")) && TestEnvironment.OriginalHome is { Length: > 0 } realHome)
        {
            start.Environment["DOTNET_CLI_HOME"] = realHome;
        }

        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["POWERSHELL_TELEMETRY_OPTOUT"] = "1";
        start.Environment["POWERSHELL_UPDATECHECK"] = "Off";
        // No colour codes in the text the tests read.
        start.Environment["NO_COLOR"] = "1";
        start.Environment["TERM"] = "dumb";
        return start;
    }

    private static PwshResult RunToEnd(ProcessStartInfo start, TimeSpan timeout)
    {
        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            return new PwshResult(-1, $"Stopped after {timeout.TotalSeconds:0} s.{Environment.NewLine}{stdout.Result}{stderr.Result}");
        }

        process.WaitForExit();
        return new PwshResult(process.ExitCode, stdout.Result + stderr.Result);
    }

    private static string Metadata(string key) =>
        typeof(RealPwsh).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value
        ?? throw new InvalidOperationException($"The test assembly has no {key}.");
}

/// <summary>What a pwsh run left: its exit code and its output.</summary>
public sealed record PwshResult(int ExitCode, string Output);
