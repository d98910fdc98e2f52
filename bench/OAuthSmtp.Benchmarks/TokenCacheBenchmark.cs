using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Reflection;
using System.Threading;
using System.Threading.Tasks;

namespace OAuthSmtp.Benchmarks;

/// <summary>
/// Figure 7: Get-SmtpOAuthToken from the cache, per call: many calls in one script, divided. Beside it the same loop
/// around a trivial core cmdlet (what any cmdlet call costs in the loop) and the engine's cache hit alone
/// (TokenProvider.Shared.GetTokenAsync, reached by reflection in the module's load context: this program must not
/// reference the engine).
/// </summary>
public static class TokenCacheBenchmark
{
    public static IEnumerable<Figure> Run(EmulatedTenant tenant, BenchmarkOptions options, List<string> notes, Action<string> log)
    {
        var calls = options.TokenCalls;
        var cmdlet = new Figure("Get-SmtpOAuthToken from cache, per call", "ms", Goal.AtMost, 1,
            $"`foreach ($i in 1..{calls}) {{ $null = Get-SmtpOAuthToken -Profile {EmulatedTenant.ProfileName} }}` after one call that filled the cache, time / {calls}");
        var loop = new Figure("Same loop around a trivial core cmdlet (Get-History), per call", "ms",
            how: "the cost any cmdlet call has in that loop");
        var quiet = new Figure("Get-SmtpOAuthToken from cache with $ProgressPreference = 'SilentlyContinue', per call", "ms",
            how: "the same loop without the two progress records each call writes");
        var profileRead = new Figure("Get-SmtpOAuthProfile -Name (profile store read), per call", "ms",
            how: "the same loop: the profile lookup every Get-SmtpOAuthToken -Profile call does first");
        var engine = new Figure("Engine cache hit (TokenProvider.Shared.GetTokenAsync), per call", "ms",
            how: $"{calls * 10} calls with the profile's engine object, no cmdlet");

        tenant.ResetReady();
        using var session = tenant.NewSession();
        tenant.CreateProfile(session);
        EmulatedTenant.Check(session.Run($"$null = Get-SmtpOAuthToken -Profile {EmulatedTenant.ProfileName}"), "Get-SmtpOAuthToken");
        var profile = EmulatedTenant.Check(session.Run($"Get-SmtpOAuthProfile -Name {EmulatedTenant.ProfileName}"), "Get-SmtpOAuthProfile").Output.Single().BaseObject;
        var engineCall = EngineCacheHit(profile, tenant.Current.ClientSecret!);
        engineCall();

        for (var run = 0; run <= options.Runs; run++)
        {
            var before = tenant.Emulator.Statistics.TokenRequests;
            var perCall = PerCall(session, $"foreach ($i in 1..{calls}) {{ $null = Get-SmtpOAuthToken -Profile {EmulatedTenant.ProfileName} }}", calls);
            if (tenant.Emulator.Statistics.TokenRequests != before)
            {
                throw new InvalidOperationException("Get-SmtpOAuthToken asked the token service again although its token was cached.");
            }

            var perQuiet = PerCall(session, $"$ProgressPreference = 'SilentlyContinue'; foreach ($i in 1..{calls}) {{ $null = Get-SmtpOAuthToken -Profile {EmulatedTenant.ProfileName} }}", calls);
            var perProfile = PerCall(session, $"foreach ($i in 1..{calls}) {{ $null = Get-SmtpOAuthProfile -Name {EmulatedTenant.ProfileName} }}", calls);
            var perTrivial = PerCall(session, $"foreach ($i in 1..{calls}) {{ $null = Get-History -Count 1 }}", calls);
            var watch = Stopwatch.StartNew();
            for (var i = 0; i < calls * 10; i++)
            {
                engineCall();
            }

            var perEngine = watch.Elapsed.TotalMilliseconds / (calls * 10);
            if (run == 0) continue;
            cmdlet.Samples.Add(perCall);
            loop.Samples.Add(perTrivial);
            quiet.Samples.Add(perQuiet);
            profileRead.Samples.Add(perProfile);
            engine.Samples.Add(perEngine);
            log($"  run {run}: cmdlet {perCall * 1000:0} µs, without progress {perQuiet * 1000:0} µs, profile read {perProfile * 1000:0} µs, trivial cmdlet {perTrivial * 1000:0} µs, engine {perEngine * 1000:0.0} µs");
        }

        return new[] { cmdlet, quiet, profileRead, loop, engine };
    }

    private static double PerCall(OAuthSmtp.Hosting.PowerShellSession session, string script, int calls)
    {
        var watch = Stopwatch.StartNew();
        EmulatedTenant.Check(session.Run(script), script);
        return watch.Elapsed.TotalMilliseconds / calls;
    }

    /// <summary>A call of TokenProvider.Shared.GetTokenAsync(new TokenRequest(profile) { Secret }) through reflection.</summary>
    private static Action EngineCacheHit(object profile, string secret)
    {
        var engine = profile.GetType().Assembly;
        var providerType = engine.GetType("OAuthSmtp.Engine.Tokens.TokenProvider", throwOnError: true)!;
        var requestType = engine.GetType("OAuthSmtp.Engine.Tokens.TokenRequest", throwOnError: true)!;
        var provider = providerType.GetProperty("Shared", BindingFlags.Public | BindingFlags.Static)!.GetValue(null)!;
        var getToken = providerType.GetMethod("GetTokenAsync", new[] { requestType, typeof(CancellationToken) })!;
        var secretProperty = requestType.GetProperty("Secret")!;
        var sourceProperty = getToken.ReturnType.GetProperty("Result")!;
        return () =>
        {
            var request = Activator.CreateInstance(requestType, profile)!;
            secretProperty.SetValue(request, secret);
            var task = (Task)getToken.Invoke(provider, new object[] { request, CancellationToken.None })!;
            task.GetAwaiter().GetResult();
            _ = sourceProperty.GetValue(task);
        };
    }
}
