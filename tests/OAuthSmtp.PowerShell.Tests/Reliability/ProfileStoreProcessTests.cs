using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading;
using OAuthSmtp.Hosting;
using OAuthSmtp.PowerShell.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace OAuthSmtp.PowerShell.Tests.Reliability;

/// <summary>
/// The profile store between real processes (the sandbox, which runs PowerShell with the module): two processes
/// saving 100 profiles each at the same time lose none, and a process killed while it saves leaves a store that
/// reads, holds everything saved before, and takes the next save at once.
/// </summary>
// Slow (processes of their own, about a minute): CI runs them; a quick run skips them with --filter "Category!=Slow".
[Trait("Category", "Slow")]
public sealed class ProfileStoreProcessTests : IClassFixture<EmulatorFixture>, IDisposable
{
    private const int SavesPerProcess = 100;
    private readonly EmulatorFixture _fixture;
    private readonly ITestOutputHelper _output;
    private readonly string _store = Directory.CreateTempSubdirectory("oauthsmtp-store-race-").FullName;
    private readonly List<Process> _started = new();

    public ProfileStoreProcessTests(EmulatorFixture fixture, ITestOutputHelper output)
    {
        _fixture = fixture;
        _output = output;
    }

    [Fact]
    public void Two_processes_saving_100_profiles_each_at_once_lose_none()
    {
        var first = StartSaver("A", SavesPerProcess);
        var second = StartSaver("B", SavesPerProcess);
        foreach (var process in new[] { first, second })
        {
            // A hang guard, not a speed claim: two processes of 100 saves each on a busy CI machine.
            Assert.True(process.WaitForExit(TimeSpan.FromMinutes(10)), "a saving process did not finish within 10 minutes");
            Assert.True(process.ExitCode == 0, $"a saving process failed ({process.ExitCode}): {process.StandardError.ReadToEnd()}");
        }

        var names = NamesInStore();
        var expected = Enumerable.Range(1, SavesPerProcess).SelectMany(i => new[] { $"A{i:000}", $"B{i:000}" }).ToHashSet();
        var missing = expected.Except(names).ToList();
        ReliabilityFigures.Record("store.concurrent.saves", 2 * SavesPerProcess);
        ReliabilityFigures.Record("store.concurrent.lost", missing.Count);
        Assert.True(missing.Count == 0, "lost: " + string.Join(", ", missing));
        Assert.Equal(2 * SavesPerProcess, names.Count);
    }

    [Fact]
    public void A_process_killed_while_saving_leaves_the_previous_store_intact_and_usable()
    {
        var kills = 0;
        var random = new Random(9);
        foreach (var round in new[] { "K", "L", "M" })
        {
            var saver = StartSaver(round, 100_000);
            var before = WaitForProfiles(minimum: (kills + 1) * 10, TimeSpan.FromMinutes(5));

            // A random moment to kill it at (anywhere in a save), not a wait for anything.
            Thread.Sleep(random.Next(5, 60));
            saver.Kill(entireProcessTree: true);
            saver.WaitForExit();
            kills++;

            // The file is whole JSON, every profile seen before the kill is still there, and the next save succeeds: a
            // lock left behind by the killed process would make it fail ProfileStoreBusy after the store's 10 s lock
            // timeout, so success itself shows the lock died with the process (no elapsed time is asserted).
            var after = NamesInStore();
            Assert.Superset(before, after);
            var watch = Stopwatch.StartNew();
            using var session = _fixture.NewSession(connectExchange: false);
            var result = session.Run($$"""
                $env:OAUTHSMTP_HOME = '{{_store}}'
                $s = [System.Net.NetworkCredential]::new('', 'after-kill').SecurePassword
                $null = New-SmtpOAuthProfile -Name 'AfterKill{{round}}' -TenantId contoso.onmicrosoft.com -ClientId 9f1b2d3c-1111-4a5b-8c7d-0123456789ab -ClientSecret $s -Mailbox alerts@contoso.com -AllowUnprotectedSecret -Confirm:$false
                @(Get-SmtpOAuthProfile).Count
                """);
            Assert.True(!result.AllErrors.Any(), result.ErrorText);
            Assert.Equal(after.Count + 1, (int)result.Output.Single().BaseObject);
            _output.WriteLine($"round {round}: {before.Count} profiles before the kill, {after.Count} after; next save {watch.ElapsedMilliseconds} ms");
        }

        ReliabilityFigures.Record("store.kills", kills);
        ReliabilityFigures.Record("store.kills.damaged", 0);
    }

    public void Dispose()
    {
        foreach (var process in _started)
        {
            try
            {
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                }
            }
            catch (InvalidOperationException)
            {
            }

            process.Dispose();
        }

        try
        {
            Directory.Delete(_store, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>A sandbox process that creates <paramref name="count"/> profiles named prefix001… in the shared store.</summary>
    private Process StartSaver(string prefix, int count)
    {
        var sandbox = Path.Combine(PowerShellSession.RepositoryRoot, "tests", "OAuthSmtp.Sandbox", "bin", Configuration, "net10.0", "OAuthSmtp.Sandbox.dll");
        Assert.True(File.Exists(sandbox), "The sandbox was not built: " + sandbox);
        var script = $$"""
            $env:OAUTHSMTP_HOME = '{{_store}}'
            $s = [System.Net.NetworkCredential]::new('', 'saver-secret').SecurePassword
            foreach ($i in 1..{{count}}) {
                $null = New-SmtpOAuthProfile -Name ('{{prefix}}{0:000}' -f $i) -TenantId contoso.onmicrosoft.com -ClientId 9f1b2d3c-1111-4a5b-8c7d-0123456789ab -ClientSecret $s -Mailbox alerts@contoso.com -AllowUnprotectedSecret -Confirm:$false -ErrorAction Stop
            }
            """;
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(sandbox);
        start.ArgumentList.Add("-Command");
        start.ArgumentList.Add(script);
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        _started.Add(process);
        return process;
    }

    private static string Configuration => AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";

    private HashSet<string> WaitForProfiles(int minimum, TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < timeout)
        {
            var names = NamesInStore();
            if (names.Count >= minimum)
            {
                return names;
            }

            Thread.Sleep(20);
        }

        throw new TimeoutException($"fewer than {minimum} profiles after {timeout}");
    }

    /// <summary>The profile names in profiles.json, read as another program would: it must always be whole JSON.</summary>
    private HashSet<string> NamesInStore()
    {
        var path = Path.Combine(_store, "profiles.json");
        if (!File.Exists(path))
        {
            return new HashSet<string>();
        }

        using var document = JsonDocument.Parse(File.ReadAllBytes(path));
        var names = new HashSet<string>(StringComparer.Ordinal);
        CollectNames(document.RootElement, names);
        return names;
    }

    private static void CollectNames(JsonElement element, HashSet<string> names)
    {
        if (element.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in element.EnumerateObject())
            {
                if (property.NameEquals("Name") || property.NameEquals("name"))
                {
                    if (property.Value.ValueKind == JsonValueKind.String)
                    {
                        names.Add(property.Value.GetString()!);
                    }
                }
                else
                {
                    CollectNames(property.Value, names);
                }
            }
        }
        else if (element.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in element.EnumerateArray())
            {
                CollectNames(item, names);
            }
        }
    }
}
