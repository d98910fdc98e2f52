using System;
using System.Collections.Generic;

namespace OAuthSmtp.Benchmarks;

/// <summary>
/// Figure 4: cold Import-Module, a fresh process per run (after one unmeasured run that warms the disk cache); and,
/// to separate OAuthSmtp's own cost from PowerShell's, the same import after an empty module warmed PowerShell's
/// import code (the NuGet System.Management.Automation is IL-only, so its first import is JIT-compiled).
/// </summary>
public static class ImportBenchmark
{
    public static IEnumerable<Figure> Run(BenchmarkOptions options, Action<string> log)
    {
        var cold = new Figure("Cold Import-Module (fresh process, hosted PowerShell 7)", "ms", Goal.AtMost, 300,
            "`Import-Module out/OAuthSmtp/OAuthSmtp.psd1` timed inside a fresh process (`--import-probe`), after its runspace ran one trivial script");
        var empty = new Figure("Cold Import-Module of an empty manifest module (PowerShell's own first-import cost)", "ms",
            how: "`@{ ModuleVersion = '1.0.0' }` imported first in a fresh process (`--import-probe --warm`): no assembly, no format file");
        var warm = new Figure("Import-Module of OAuthSmtp after that empty module (OAuthSmtp's own share)", "ms",
            how: "the same fresh process, right after the empty module");
        var start = new Figure("Process start + runspace open, before Import-Module", "ms",
            how: "from the probe process's start time to its runspace having run one trivial script (not the module's cost; shown for scale)");
        var firstCommand = new Figure("First OAuthSmtp command after a cold import (Get-SmtpOAuthProfile)", "ms",
            how: "loads the engine into the module's load context and reads the profile store");

        if (!options.Quick)
        {
            ChildProcess.Run(new[] { ImportProbe.Mode });
        }

        for (var run = 1; run <= options.Runs; run++)
        {
            var outcome = ChildProcess.Run(new[] { ImportProbe.Mode });
            cold.Samples.Add(outcome.Get("import-ms"));
            start.Samples.Add(outcome.Get("process-ms"));
            firstCommand.Samples.Add(outcome.Get("first-command-ms"));
            log($"  run {run}: {ChildProcess.Describe(outcome.Values)} (wall {outcome.WallTime.TotalMilliseconds:0} ms)");

            var warmed = ChildProcess.Run(new[] { ImportProbe.Mode, ImportProbe.WarmOption });
            empty.Samples.Add(warmed.Get("empty-import-ms"));
            warm.Samples.Add(warmed.Get("import-ms"));
            log($"  run {run} --warm: {ChildProcess.Describe(warmed.Values)}");
        }

        return new[] { cold, empty, warm, start, firstCommand };
    }
}
