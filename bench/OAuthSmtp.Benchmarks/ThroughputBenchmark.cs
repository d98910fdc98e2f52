using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using OAuthSmtp.Hosting;

namespace OAuthSmtp.Benchmarks;

/// <summary>
/// Figures 1–3: a pipeline of N message objects through Send-SmtpOAuthMessage (one profile, a hosted runspace)
/// against the baseline, N calls of the real Send-MailMessage (<see cref="SendMailMessageBaseline"/>, a connection per
/// message) in the same runspace, at 0 ms and 20 ms reply latency; round trips, token requests and connections from
/// the emulator's statistics. Module and baseline runs alternate so drift hits both alike.
/// </summary>
public sealed class ThroughputBenchmark
{
    private static readonly int[] Latencies = { 0, 20 };
    private readonly EmulatedTenant _tenant;
    private readonly BenchmarkOptions _options;

    public ThroughputBenchmark(EmulatedTenant tenant, BenchmarkOptions options)
    {
        _tenant = tenant;
        _options = options;
    }

    /// <summary>The SMTP dialogue of one message in the middle of the module's pipeline (for the report).</summary>
    public IReadOnlyList<string> MessageTrace { get; private set; } = Array.Empty<string>();

    public IEnumerable<Figure> Run(Action<string> log)
    {
        var n = _options.Messages;
        var figures = new List<Figure>();
        var roundTrips = new Figure(
            "Round trips per message after authentication (module)", "round trips", Goal.AtMost, 1.2,
            $"(round trips of the {n}-message pipeline − those of a 1-message pipeline) / {n - 1}, from the emulator's counter");
        var tokens = new Figure($"Token requests for {n} messages (module)", "requests", Goal.AtMost, 1, "emulator statistics, new tenant each run (nothing cached)");
        var connections = new Figure($"SMTP connections for {n} messages (module)", "connections", Goal.AtMost, 1, "emulator statistics");
        var baselineRoundTrips = new Figure("Round trips per message (baseline Send-MailMessage, connection per message)", "round trips", how: "emulator's counter / messages");

        using var session = _tenant.NewSession();
        var fixedRoundTrips = WarmUp(session, log);

        foreach (var latency in Latencies)
        {
            var module = new Figure($"Messages per second, {n}-message pipeline, {latency} ms reply latency: Send-SmtpOAuthMessage", "msg/s",
                how: $"`$messages | Send-SmtpOAuthMessage -Profile {EmulatedTenant.ProfileName}` in a hosted runspace, {n} [pscustomobject] with To, Subject, Body");
            var baseline = new Figure($"Messages per second, {n} messages, {latency} ms reply latency: baseline Send-MailMessage", "msg/s",
                how: $"`foreach ($i in 1..{n}) {{ Send-MailMessage -UseSsl -Credential $c ... }}` in the same runspace: the real cmdlet of PowerShell 7, Basic AUTH LOGIN, a connection per message");
            var ratio = latency == 20
                ? new Figure($"Speed-up at {latency} ms (module ÷ baseline)", "×", Goal.AtLeast, 10, "per run, paired")
                : new Figure($"Speed-up at {latency} ms (module ÷ baseline)", "×", how: "per run, paired");

            for (var run = 1; run <= _options.Runs; run++)
            {
                var (moduleRate, stats) = TimeModule(session, latency);
                module.Samples.Add(moduleRate);
                if (latency == 0)
                {
                    roundTrips.Samples.Add((stats.RoundTrips - fixedRoundTrips) / (double)(n - 1));
                }

                tokens.Samples.Add(stats.TokenRequests);
                connections.Samples.Add(stats.Connections);

                var (baselineRate, baselineStats) = TimeBaseline(session, latency);
                baseline.Samples.Add(baselineRate);
                baselineRoundTrips.Samples.Add(baselineStats.RoundTrips / (double)n);
                ratio.Samples.Add(moduleRate / baselineRate);
                log($"  {latency,2} ms run {run}: module {moduleRate:0.0} msg/s ({stats.RoundTrips} round trips, {stats.Connections} connection(s), {stats.TokenRequests} token request(s)); baseline {baselineRate:0.0} msg/s");
            }

            figures.Add(module);
            figures.Add(baseline);
            figures.Add(ratio);
        }

        figures.Add(roundTrips);
        figures.Add(baselineRoundTrips);
        figures.Add(tokens);
        figures.Add(connections);
        return figures;
    }

    /// <summary>JIT and first-use costs out of the way; returns the round trips of a one-message pipeline.</summary>
    private long WarmUp(PowerShellSession session, Action<string> log)
    {
        TimeModule(session, 0, messages: 10);
        _tenant.ResetReady();
        SendMailMessageBaseline.ForTenant(_tenant, session).SendEach(3, _tenant);
        var (_, one) = TimeModule(session, 0, messages: 1);
        log($"  warm-up done; a 1-message pipeline costs {one.RoundTrips} round trips");
        return one.RoundTrips;
    }

    private (double Rate, RunStatistics Stats) TimeModule(PowerShellSession session, int latency, int? messages = null)
    {
        var n = messages ?? _options.Messages;
        _tenant.ResetReady();
        _tenant.CreateProfile(session);
        EmulatedTenant.Check(session.Run($$"""
            $global:BenchMessages = foreach ($i in 1..{{n}}) { [pscustomobject]@{ To = "user$i@fabrikam.com"; Subject = "Bulk $i"; Body = "Hello $i" } }
            """), "building the messages");
        _tenant.Emulator.Faults.SmtpReplyLatencyMs = latency;
        _tenant.Emulator.Statistics.Reset();

        var watch = Stopwatch.StartNew();
        var result = session.Run($"$BenchMessages | Send-SmtpOAuthMessage -Profile {EmulatedTenant.ProfileName}");
        watch.Stop();

        EmulatedTenant.Check(result, "Send-SmtpOAuthMessage");
        var stats = RunStatistics.Read(_tenant.Emulator, n);
        if (messages is null)
        {
            MessageTrace = TraceOfMiddleMessage();
        }

        return (n / watch.Elapsed.TotalSeconds, stats);
    }

    private (double Rate, RunStatistics Stats) TimeBaseline(PowerShellSession session, int latency)
    {
        var n = _options.Messages;
        _tenant.ResetReady();
        var sender = SendMailMessageBaseline.ForTenant(_tenant, session);
        _tenant.Emulator.Faults.SmtpReplyLatencyMs = latency;
        _tenant.Emulator.Statistics.Reset();

        var watch = Stopwatch.StartNew();
        sender.SendEach(n, _tenant);
        watch.Stop();

        return (n / watch.Elapsed.TotalSeconds, RunStatistics.Read(_tenant.Emulator, n));
    }

    /// <summary>The transcript lines from the second MAIL FROM of the last session up to the third.</summary>
    private IReadOnlyList<string> TraceOfMiddleMessage()
    {
        var transcript = _tenant.Emulator.Statistics.SmtpTranscripts.LastOrDefault();
        if (transcript is null) return Array.Empty<string>();
        var lines = transcript.Lines;
        var mails = lines.Select((line, index) => (line, index)).Where(p => p.line.StartsWith("C: MAIL FROM", StringComparison.OrdinalIgnoreCase)).Select(p => p.index).ToArray();
        if (mails.Length < 3) return Array.Empty<string>();
        return lines.Skip(mails[1]).Take(mails[2] - mails[1]).ToArray();
    }
}
