using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Threading;
using OAuthSmtp.Hosting;

namespace OAuthSmtp.Benchmarks;

/// <summary>
/// Child mode --memory-probe ATTACHMENT: a process that holds only the module (the emulator, which keeps what it
/// receives, runs in the parent). It sends one small message with a small attachment first (JIT, TLS, token), lets
/// the GC settle and takes the resident set as "idle"; then it sends ATTACHMENT and reports the peak resident set
/// during that send. On Linux the kernel's peak counter (VmHWM) is reset just before the send (clear_refs 5); where
/// that is not possible, a sampler every 2 ms stands in (it allocates, so the figures there are a little high). Tenant details come in BENCH_* environment variables.
/// </summary>
public static class MemoryProbe
{
    public const string Mode = "--memory-probe";

    public static int Run(string[] args)
    {
        if (args.Length != 1 || !File.Exists(args[0]))
        {
            Console.Error.WriteLine("Usage: --memory-probe ATTACHMENT (an existing file)");
            return 2;
        }

        var attachment = args[0];
        var small = Path.Combine(Path.GetDirectoryName(attachment)!, "warm-up.bin");
        File.WriteAllBytes(small, new byte[64 * 1024]);

        using var session = new PowerShellSession(PowerShellSessionOptions.WithOAuthSmtp());
        var parameters = new Dictionary<string, object?>
        {
            ["Tenant"] = Variable("BENCH_TENANT_ID"),
            ["Client"] = Variable("BENCH_CLIENT_ID"),
            ["Secret"] = Variable("BENCH_CLIENT_SECRET"),
            ["Mailbox"] = Variable("BENCH_MAILBOX"),
            ["Authority"] = Variable("BENCH_AUTHORITY_HOST"),
            ["Server"] = Variable("BENCH_SMTP_SERVER"),
            ["Port"] = int.Parse(Variable("BENCH_SMTP_PORT"), CultureInfo.InvariantCulture),
        };
        EmulatedTenant.Check(session.Run("""
            param($Tenant, $Client, $Secret, $Mailbox, $Authority, $Server, $Port)
            $secure = [System.Net.NetworkCredential]::new('', $Secret).SecurePassword
            $null = New-SmtpOAuthProfile -Name Memory -TenantId $Tenant -ClientId $Client -ClientSecret $secure -Mailbox $Mailbox `
                -AuthorityHost $Authority -AllowNonMicrosoftHost -SmtpServer $Server -Port $Port -AllowUnprotectedSecret -Force -Confirm:$false
            """, parameters: parameters), "New-SmtpOAuthProfile");

        const string Send = "param($Path) Send-SmtpOAuthMessage -Profile Memory -To 'memory@fabrikam.com' -Subject 'Attachment' -Body 'See attached.' -Attachments $Path";
        EmulatedTenant.Check(session.Run(Send, parameters: new Dictionary<string, object?> { ["Path"] = small }), "the warm-up send");

        for (var i = 0; i < 3; i++)
        {
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
        }

        Thread.Sleep(200);
        var idle = ResidentBytes();
        var kernelPeakReset = TryResetKernelPeak();
        using var sampler0 = Environment.GetEnvironmentVariable("BENCH_ALLOCATION_TYPES") == "1" ? new AllocationSampler() : null;
        if (sampler0 is not null) sampler0.Recording = true;
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var gcBefore = GC.CollectionCount(0);

        // The sampler only where the kernel's peak counter cannot be reset: each sample reads /proc/self/status into
        // strings (about 5 KB a read, 500 reads a second), which made up most of what the send seemed to allocate
        // (12.7 MB of System.String in a 30 MB send) and raised the very peak it measured.
        long sampledPeak = idle;
        using var stop = new CancellationTokenSource();
        var sampler = kernelPeakReset ? null : new Thread(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                var now = ResidentBytes();
                if (now > Interlocked.Read(ref sampledPeak)) Interlocked.Exchange(ref sampledPeak, now);
                Thread.Sleep(2);
            }
        }) { IsBackground = true };
        sampler?.Start();

        var watch = System.Diagnostics.Stopwatch.StartNew();
        EmulatedTenant.Check(session.Run(Send, parameters: new Dictionary<string, object?> { ["Path"] = attachment }), "sending the attachment");
        watch.Stop();
        stop.Cancel();
        sampler?.Join();

        var peak = Math.Max(Interlocked.Read(ref sampledPeak), kernelPeakReset ? KernelPeakBytes() : 0);
        Print("idle-mb", idle / 1048576.0);
        Print("peak-mb", peak / 1048576.0);
        Print("above-idle-mb", (peak - idle) / 1048576.0);
        Print("kernel-peak-reset", kernelPeakReset ? 1 : 0);
        Print("allocated-mb", (GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore) / 1048576.0);
        Print("gen0-collections", GC.CollectionCount(0) - gcBefore);
        Print("send-ms", watch.Elapsed.TotalMilliseconds);
        if (sampler0 is not null)
        {
            sampler0.Recording = false;
            foreach (var (type, bytes) in sampler0.Top(12))
            {
                Console.WriteLine($"# allocated {bytes / 1048576.0:0.0} MB of {type}");
            }
        }

        File.Delete(small);
        return 0;
    }

    private static string Variable(string name) =>
        Environment.GetEnvironmentVariable(name) ?? throw new InvalidOperationException($"{name} is not set.");

    /// <summary>The resident set now (VmRSS on Linux; the working set elsewhere).</summary>
    private static long ResidentBytes() =>
        ReadStatusKilobytes("VmRSS:") is { } kb ? kb * 1024 : Environment.WorkingSet;

    private static long KernelPeakBytes() => (ReadStatusKilobytes("VmHWM:") ?? 0) * 1024;

    private static long? ReadStatusKilobytes(string field)
    {
        if (!OperatingSystem.IsLinux()) return null;
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith(field, StringComparison.Ordinal))
            {
                return long.Parse(line[field.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
            }
        }

        return null;
    }

    /// <summary>Resets VmHWM to the current resident set ("5" to clear_refs); false where that is not possible.</summary>
    private static bool TryResetKernelPeak()
    {
        if (!OperatingSystem.IsLinux()) return false;
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
            return KernelPeakBytes() <= ResidentBytes() + 1024 * 1024;
        }
        catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static void Print(string name, double value) =>
        Console.WriteLine(name + "=" + value.ToString("0.###", CultureInfo.InvariantCulture));
}
