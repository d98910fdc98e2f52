using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using OAuthSmtp.Emulator.Model;

namespace OAuthSmtp.Benchmarks;

/// <summary>Figure 5: peak resident memory above idle while Send-SmtpOAuthMessage sends a large attachment, a fresh process per run.</summary>
public static class MemoryBenchmark
{
    public static IEnumerable<Figure> Run(EmulatedTenant tenant, BenchmarkOptions options, List<string> notes, Action<string> log)
    {
        var megabytes = options.AttachmentBytes / 1048576.0;
        var above = new Figure($"Peak memory above idle while sending a {megabytes:0} MB attachment", "MB", Goal.AtMost, 10,
            "a fresh process (`--memory-probe`) with only the module: one small send to warm up, GC, resident set = idle; then the peak resident set during the send (Linux VmHWM reset just before; a 2 ms sampler only where that reset is not possible)");
        var allocated = new Figure($"Managed bytes allocated while sending the {megabytes:0} MB attachment", "MB",
            how: "GC.GetTotalAllocatedBytes in the probe: what the GC had to clean up, which drives the peak");
        var idle = new Figure("Idle resident set of the probe (runspace + module, after one send)", "MB", how: "for scale");

        var folder = Directory.CreateTempSubdirectory("oauthsmtp-bench-memory-").FullName;
        try
        {
            var attachment = Path.Combine(folder, "attachment.bin");
            WriteRandomFile(attachment, options.AttachmentBytes);
            // The last, extra run only names what the send allocates (the listener's own events would blur the figure).
            for (var run = 1; run <= options.Runs + (options.Quick ? 0 : 1); run++)
            {
                var diagnostic = run > options.Runs;
                var info = tenant.ResetReady();

                // In base64 the attachment outgrows the default 35 MB MaxSendSize; an admin raises it (Set-Mailbox -MaxSendSize 150MB).
                TenantQueries.FindMailbox(tenant.Emulator.Tenant, info.Mailbox)!.MaxSendSize = 150L * 1024 * 1024;
                var outcome = ChildProcess.Run(
                    new[] { MemoryProbe.Mode, attachment },
                    new Dictionary<string, string>
                    {
                        ["BENCH_TENANT_ID"] = info.TenantId.ToString(),
                        ["BENCH_CLIENT_ID"] = info.ClientId!.Value.ToString(),
                        ["BENCH_CLIENT_SECRET"] = info.ClientSecret!,
                        ["BENCH_MAILBOX"] = info.Mailbox,
                        ["BENCH_AUTHORITY_HOST"] = info.AuthorityHost.ToString(),
                        ["BENCH_SMTP_SERVER"] = info.SmtpServer,
                        ["BENCH_SMTP_PORT"] = info.SmtpPort.ToString(CultureInfo.InvariantCulture),
                        ["BENCH_ALLOCATION_TYPES"] = diagnostic ? "1" : "0",
                    },
                    TimeSpan.FromMinutes(3));
                RunStatistics.Read(tenant.Emulator, expectedMessages: 2);
                if (diagnostic)
                {
                    notes.Add($"Allocation ticks during the {megabytes:0} MB send (diagnostic run, by type): " + string.Join("; ", outcome.Notes.Select(n => n.TrimStart('#', ' ').Replace("allocated ", string.Empty))) + ".");
                    // Shown in the log too: with --no-output the note would be lost.
                    log($"  diagnostic run: {ChildProcess.Describe(outcome.Values)}");
                    foreach (var note in outcome.Notes)
                    {
                        log("    " + note);
                    }

                    continue;
                }


                above.Samples.Add(outcome.Get("above-idle-mb"));
                allocated.Samples.Add(outcome.Get("allocated-mb"));
                idle.Samples.Add(outcome.Get("idle-mb"));
                log($"  run {run}: {ChildProcess.Describe(outcome.Values)}");
                foreach (var note in outcome.Notes)
                {
                    log("    " + note);
                }

                tenant.Emulator.Delivered.Clear();
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }

        return new[] { above, allocated, idle };
    }

    /// <summary>Random bytes, so nothing on the way can compress them.</summary>
    private static void WriteRandomFile(string path, long bytes)
    {
        var random = new Random(8);
        var buffer = new byte[1024 * 1024];
        using var file = File.Create(path);
        for (long written = 0; written < bytes; written += buffer.Length)
        {
            random.NextBytes(buffer);
            file.Write(buffer, 0, (int)Math.Min(buffer.Length, bytes - written));
        }
    }
}
