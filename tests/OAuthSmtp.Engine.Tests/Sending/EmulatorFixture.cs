using System.Threading.Tasks;
using OAuthSmtp.Emulator;
using Xunit;
using OAuthSmtp.Emulator.Model;

namespace OAuthSmtp.Engine.Tests.Sending;

/// <summary>One emulator for the sender tests; each test resets it to the Ready scenario.</summary>
public sealed class EmulatorFixture : IAsyncLifetime
{
    public ExchangeOnlineEmulator Emulator { get; private set; } = null!;

    public async Task InitializeAsync() => Emulator = await ExchangeOnlineEmulator.StartAsync(new EmulatorOptions { PropagationDelays = PropagationDefaults.Quick });

    public async Task DisposeAsync() => await Emulator.DisposeAsync();

    public ScenarioInfo Reset()
    {
        var info = Emulator.Reset(Scenario.Ready);
        // The per-minute limit delays the 31st message by up to a minute; tests of it set it back.
        Emulator.Faults.SmtpSettings.MessagesPerRateWindow = 100_000;
        return info;
    }
}
