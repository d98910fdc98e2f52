using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading.Tasks;

namespace OAuthSmtp.Benchmarks;

/// <summary>
/// Measures the module against the emulator and the real Send-MailMessage as baseline and writes BENCHMARKS.md. Figures never
/// fail the program; a measurement that could not be taken (the module or the emulator failed) is shown as such
/// and makes the exit code 1, which is what the smoke test checks.
/// Child-process modes: --import-probe (cold Import-Module), --memory-probe (peak memory of a large send).
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args.Length > 0 && args[0] == ImportProbe.Mode)
        {
            return ImportProbe.Run(warm: args.Length > 1 && args[1] == ImportProbe.WarmOption);
        }

        if (args.Length > 0 && args[0] == MemoryProbe.Mode)
        {
            return MemoryProbe.Run(args.Skip(1).ToArray());
        }

        BenchmarkOptions options;
        try
        {
            options = BenchmarkOptions.Parse(args);
        }
        catch (ArgumentException ex)
        {
            Console.Error.WriteLine(ex.Message);
            Console.Error.WriteLine(BenchmarkOptions.Usage);
            return 2;
        }

        if (options.ShowHelp)
        {
            Console.WriteLine(BenchmarkOptions.Usage);
            return 0;
        }

        var total = Stopwatch.StartNew();
        var figures = new List<Figure>();
        var notes = new List<string>();
        IReadOnlyList<string> trace = Array.Empty<string>();
        var failed = false;
        void Log(string line) => Console.WriteLine(line);

        await using (var tenant = await EmulatedTenant.StartAsync())
        {
            if (options.Includes("throughput"))
            {
                var throughput = new ThroughputBenchmark(tenant, options);
                failed |= !Measure("throughput", () => figures.AddRange(throughput.Run(Log)), figures, "Messages per second (pipeline vs baseline)", "msg/s");
                trace = throughput.MessageTrace;
            }

            if (options.Includes("import"))
            {
                failed |= !Measure("import", () => figures.AddRange(ImportBenchmark.Run(options, Log)), figures, "Cold Import-Module", "ms");
            }

            if (options.Includes("memory"))
            {
                failed |= !Measure("memory", () => figures.AddRange(MemoryBenchmark.Run(tenant, options, notes, Log)), figures, "Peak memory above idle while sending a large attachment", "MB");
            }

            if (options.Includes("setup"))
            {
                failed |= !Measure("setup", () => figures.AddRange(SetupCheckBenchmark.Run(tenant, options, Log)), figures, "Test-SmtpOAuthSetup on a Ready tenant", "s");
            }

            if (options.Includes("token"))
            {
                failed |= !Measure("token", () => figures.AddRange(TokenCacheBenchmark.Run(tenant, options, notes, Log)), figures, "Get-SmtpOAuthToken from cache", "ms");
            }
        }

        notes.AddRange(Findings.For(figures));
        Console.WriteLine();
        Console.WriteLine(ReportWriter.Machine(options));
        Console.WriteLine(ReportWriter.Table(figures));
        if (options.OutputPath is { } output)
        {
            File.WriteAllText(output, ReportWriter.Write(figures, options, notes, trace));
            Console.WriteLine($"Wrote {output}.");
        }

        Console.WriteLine($"Finished in {total.Elapsed.TotalSeconds:0.0} s{(failed ? "; some figures could not be measured" : string.Empty)}.");
        return failed ? 1 : 0;
    }

    /// <summary>Runs one group; on failure adds a row that says why instead of its figures.</summary>
    private static bool Measure(string group, Action measure, List<Figure> figures, string name, string unit)
    {
        Console.WriteLine($"[{group}]");
        try
        {
            measure();
            return true;
        }
        catch (Exception ex)
        {
            Console.Error.WriteLine($"[{group}] failed: {ex}");
            var message = ex.GetBaseException().Message.Split('\n')[0].Trim();
            figures.Add(new Figure(name, unit) { Failure = message.Length > 200 ? message[..200] + "…" : message });
            return false;
        }
    }
}
