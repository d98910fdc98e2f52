using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;

namespace OAuthSmtp.Benchmarks;

/// <summary>
/// This program started again in one of its probe modes, so that a figure is taken in a clean process. Probes print
/// "name=value" lines; anything else they print is kept for the error message.
/// </summary>
public static class ChildProcess
{
    public sealed record Outcome(IReadOnlyDictionary<string, double> Values, TimeSpan WallTime, IReadOnlyList<string> Notes);

    public static Outcome Run(IEnumerable<string> arguments, IDictionary<string, string>? environment = null, TimeSpan? timeout = null)
    {
        var start = Command();
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        var watch = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException("The probe process did not start.");
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEndAsync();
        if (!process.WaitForExit(timeout ?? TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"The probe '{string.Join(' ', start.ArgumentList)}' did not finish in time.");
        }

        process.WaitForExit();
        watch.Stop();
        var lines = output.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"The probe '{string.Join(' ', start.ArgumentList)}' failed (exit code {process.ExitCode}): {error.Result.Trim()} {string.Join(" ", lines)}".Trim());
        }

        var values = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var line in lines)
        {
            var equals = line.IndexOf('=');
            if (equals > 0 && double.TryParse(line[(equals + 1)..], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var value))
            {
                values[line[..equals]] = value;
            }
        }

        return new Outcome(values, watch.Elapsed, lines.Where(line => line.StartsWith('#')).ToArray());
    }

    /// <summary>The apphost when there is one, else "dotnet exec" with this assembly.</summary>
    private static ProcessStartInfo Command()
    {
        var assembly = typeof(ChildProcess).Assembly.Location;
        var apphost = Path.Combine(Path.GetDirectoryName(assembly)!, Path.GetFileNameWithoutExtension(assembly) + (OperatingSystem.IsWindows() ? ".exe" : string.Empty));
        if (File.Exists(apphost))
        {
            return new ProcessStartInfo(apphost);
        }

        var start = new ProcessStartInfo(Environment.ProcessPath is { } host && Path.GetFileNameWithoutExtension(host) == "dotnet" ? host : "dotnet");
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add(assembly);
        return start;
    }

    public static double Get(this Outcome outcome, string name) =>
        outcome.Values.TryGetValue(name, out var value) ? value : throw new InvalidOperationException($"The probe did not report {name}.");

    public static string Describe(IReadOnlyDictionary<string, double> values) => string.Join(", ", values.Select(p => $"{p.Key} {p.Value:0.#}"));
}
