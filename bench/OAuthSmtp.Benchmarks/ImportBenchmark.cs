using System;
using System.Collections.Generic;

namespace OAuthSmtp.Benchmarks;

/// <summary>Figure 4: cold Import-Module, a fresh process per run (after one unmeasured run that warms the disk cache).</summary>
public static class ImportBenchmark
{
    public static IEnumerable<Figure> Run(BenchmarkOptions options, Action<string> log)
    {
        var import = new Figure("Cold Import-Module (fresh process, hosted PowerShell 7)", "ms", Goal.AtMost, 300,
            "`Import-Module out/OAuthSmtp/OAuthSmtp.psd1` timed inside a fresh process (`--import-probe`), after its runspace ran one trivial script");
        var start = new Figure("Process start + runspace open, before Import-Module", "ms",
            how: "from the probe process's start time to its runspace having run one trivial script (not the module's cost; shown for scale)");
        var firstCommand = new Figure("First OAuthSmtp command after a cold import (Get-SmtpOAuthProfile)", "ms",
            how: "loads the engine into the module's load context");

        ChildProcess.Run(new[] { ImportProbe.Mode });
        for (var run = 1; run <= options.Runs; run++)
        {
            var outcome = ChildProcess.Run(new[] { ImportProbe.Mode });
            import.Samples.Add(outcome.Get("import-ms"));
            start.Samples.Add(outcome.Get("process-ms"));
            firstCommand.Samples.Add(outcome.Get("first-command-ms"));
            log($"  run {run}: {ChildProcess.Describe(outcome.Values)} (wall {outcome.WallTime.TotalMilliseconds:0} ms)");
        }

        return new[] { import, start, firstCommand };
    }
}
