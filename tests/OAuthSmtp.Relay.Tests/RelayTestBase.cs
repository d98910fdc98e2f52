using System;
using System.Linq;
using System.Threading.Tasks;
using OAuthSmtp.Emulator;
using Xunit;
using Xunit.Abstractions;

namespace OAuthSmtp.Relay.Tests;

/// <summary>A fresh tenant and a fresh relay home per test; the relay is disposed (stopped) after it.</summary>
[Collection(RelayCollection.Name)]
public abstract class RelayTestBase : IAsyncLifetime
{
    protected const string Password = "Dev1ce-Pa55word-Rx7q";

    protected RelayTestBase(RelayEmulatorFixture fixture, ITestOutputHelper output)
    {
        Fixture = fixture;
        Output = output;
        Tenant = fixture.Reset();
        Relay = new RelayHarness(Tenant, output);
    }

    protected RelayEmulatorFixture Fixture { get; }

    protected ExchangeOnlineEmulator Emulator => Fixture.Emulator;

    protected ITestOutputHelper Output { get; }

    protected ScenarioInfo Tenant { get; }

    protected RelayHarness Relay { get; }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await Relay.DisposeAsync();

    /// <summary>Waits until the emulator stored this many messages (or the time is up) and returns them.</summary>
    protected async Task<System.Collections.Generic.IReadOnlyList<DeliveredMessage>> WaitForDeliveredAsync(int count, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + RelayHarness.Ceiling(timeout);
        while (Emulator.Delivered.Count < count && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        return Emulator.Delivered.All.ToList();
    }
}
