using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using OAuthSmtp.Engine.Retries;
using Xunit;

namespace OAuthSmtp.Engine.Tests.Retries;

public sealed class RetryPolicyTests
{
    [Fact]
    public void Waits_double_up_to_the_cap_and_jitter_only_shortens_them()
    {
        var policy = new RetryPolicy(10, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10)) { Random = () => 0 };
        Assert.Equal(new[] { 1.0, 2, 4, 8, 10, 10 }, Enumerable.Range(1, 6).Select(n => policy.DelayBefore(n).TotalSeconds));

        policy.Random = () => 0.999999;
        Assert.InRange(policy.DelayBefore(1).TotalMilliseconds, 500, 501);
        Assert.InRange(policy.DelayBefore(4).TotalMilliseconds, 4000, 4001);

        policy.Jitter = 0;
        Assert.Equal(TimeSpan.FromSeconds(8), policy.DelayBefore(4));
    }

    [Fact]
    public void Jitter_spreads_waiters_apart()
    {
        var policy = new RetryPolicy(3, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10));

        var waits = Enumerable.Range(0, 50).Select(_ => policy.DelayBefore(1)).Distinct().Count();

        Assert.True(waits > 40, $"only {waits} distinct waits of 50");
    }

    [Fact]
    public void A_servers_Retry_After_is_never_shortened_but_is_capped()
    {
        var policy = new RetryPolicy(3, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10)) { Random = () => 0.9 };

        Assert.Equal(TimeSpan.FromSeconds(5), policy.DelayBefore(1, TimeSpan.FromSeconds(5)));
        Assert.Equal(TimeSpan.FromSeconds(10), policy.DelayBefore(1, TimeSpan.FromMinutes(5)));
    }

    [Fact]
    public async Task Retries_until_success_with_waits_on_the_injected_clock_only()
    {
        var clock = new FakeRetryClock();
        var policy = new RetryPolicy(3, TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(5)) { Clock = clock.Clock, Jitter = 0 };
        var events = new List<RetryEvent>();

        var running = policy.ExecuteAsync(
            (attempt, _) => attempt < 3 ? throw new IOException("down") : Task.FromResult(attempt),
            _ => RetryDecision.Again,
            events.Add,
            CancellationToken.None);

        // The fake clock's waits complete at once, so a policy that waits only on it has finished before the call
        // returns; any real wait (Task.Delay, a timer) would leave the task running here, however fast the machine.
        Assert.True(running.IsCompleted, "the policy waited on something other than its clock");
        var result = await running;
        Assert.Equal(3, result);
        Assert.Equal(new[] { TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(60) }, clock.Waits);
        Assert.Equal(new[] { 2, 3 }, events.Select(e => e.NextAttempt));
    }

    [Fact]
    public async Task Gives_up_after_the_attempts_with_the_last_failure_as_it_was()
    {
        var clock = new FakeRetryClock();
        var policy = new RetryPolicy(3, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10)) { Clock = clock.Clock };
        var calls = 0;

        var error = await Assert.ThrowsAsync<IOException>(() => policy.ExecuteAsync<int>(
            (attempt, _) => throw new IOException("attempt " + ++calls),
            _ => RetryDecision.Again,
            null,
            CancellationToken.None));

        Assert.Equal("attempt 3", error.Message);
        Assert.Equal(2, clock.Waits.Count);
    }

    [Fact]
    public async Task A_final_failure_is_not_retried()
    {
        var policy = new RetryPolicy(5, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10)) { Clock = new FakeRetryClock().Clock };
        var calls = 0;

        await Assert.ThrowsAsync<InvalidOperationException>(() => policy.ExecuteAsync<int>(
            (_, _) => { calls++; throw new InvalidOperationException(); },
            failure => failure is IOException ? RetryDecision.Again : RetryDecision.Stop,
            null,
            CancellationToken.None));

        Assert.Equal(1, calls);
    }

    [Fact]
    public void A_time_budget_ends_the_retries_once_it_has_passed()
    {
        var clock = new FakeRetryClock();
        var policy = new RetryPolicy(int.MaxValue, TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(100))
        {
            Budget = TimeSpan.FromSeconds(2),
            Clock = clock.Clock,
        };
        var calls = 0;

        Assert.Throws<IOException>(() => policy.Execute<int>(_ => { calls++; throw new IOException("busy"); }, _ => RetryDecision.Again));

        var waited = clock.Waits.Aggregate(TimeSpan.Zero, (a, b) => a + b);
        Assert.InRange(waited, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2.1));
        Assert.Equal(calls - 1, clock.Waits.Count);
        Assert.All(clock.Waits, wait => Assert.InRange(wait, TimeSpan.FromMilliseconds(5), TimeSpan.FromMilliseconds(100)));
    }

    [Fact]
    public async Task Cancellation_during_a_wait_stops_at_once()
    {
        using var stop = new CancellationTokenSource();
        var policy = new RetryPolicy(3, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1))
        {
            Clock = new RetryClock(() => DateTimeOffset.UtcNow, (delay, token) => { stop.Cancel(); return Task.Delay(delay, token); }),
        };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => policy.ExecuteAsync<int>(
            (_, _) => throw new IOException(),
            _ => RetryDecision.Again,
            null,
            stop.Token));
    }
}
