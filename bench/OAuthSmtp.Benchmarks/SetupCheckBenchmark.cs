using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;

namespace OAuthSmtp.Benchmarks;

/// <summary>
/// Figure 6: Test-SmtpOAuthSetup on a Ready tenant, wall time, each run a new tenant (so the token is requested,
/// not cached) in a new session connected to the emulated Exchange Online, after one unmeasured run.
/// </summary>
public static class SetupCheckBenchmark
{
    public static IEnumerable<Figure> Run(EmulatedTenant tenant, BenchmarkOptions options, Action<string> log)
    {
        var figure = new Figure("Test-SmtpOAuthSetup on a Ready tenant (every step, no test message)", "s", Goal.AtMost, 2,
            $"`Test-SmtpOAuthSetup -Profile {EmulatedTenant.ProfileName}` in a session connected to the emulated Exchange Online; new tenant each run (token not cached); after one unmeasured run");
        for (var run = 0; run <= options.Runs; run++)
        {
            tenant.ResetReady();
            using var session = tenant.NewSession(connectExchange: true);
            tenant.CreateProfile(session);
            var watch = Stopwatch.StartNew();
            var result = session.Run($"$global:SetupResults = Test-SmtpOAuthSetup -Profile {EmulatedTenant.ProfileName}");
            watch.Stop();
            EmulatedTenant.Check(result, "Test-SmtpOAuthSetup");
            var notPassing = EmulatedTenant.Check(
                session.Run("foreach ($r in $SetupResults) { if ($r.Status -ne 'Pass' -and $r.Step -ne 'TestMessage') { '{0}: {1}' -f $r.Step, $r.Status } }"),
                "reading the results").Output.Select(o => o.ToString()).ToArray();
            if (notPassing.Length > 0)
            {
                throw new InvalidOperationException("A Ready tenant did not pass: " + string.Join("; ", notPassing));
            }

            if (run == 0)
            {
                log($"  warm-up: {watch.Elapsed.TotalSeconds:0.000} s");
                continue;
            }

            figure.Samples.Add(watch.Elapsed.TotalSeconds);
            log($"  run {run}: {watch.Elapsed.TotalSeconds:0.000} s ({tenant.Emulator.Statistics.TokenRequests} token request(s), {tenant.Emulator.Statistics.SmtpRoundTrips} SMTP round trips, {tenant.Emulator.Statistics.GraphRequests} Graph requests)");
        }

        return new[] { figure };
    }
}
