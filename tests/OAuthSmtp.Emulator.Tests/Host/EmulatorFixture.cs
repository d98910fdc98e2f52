using System;
using System.Threading.Tasks;
using Xunit;
using OAuthSmtp.Emulator.Model;

namespace OAuthSmtp.Emulator.Tests.Host;

/// <summary>One emulator per test class (tests reset the scenario they need); stopped when the class ends.</summary>
public sealed class EmulatorFixture : IAsyncLifetime
{
    private ExchangeOnlineEmulator? _emulator;

    public ExchangeOnlineEmulator Emulator => _emulator ?? throw new InvalidOperationException("The emulator has not started.");

    public async Task InitializeAsync() => _emulator = await ExchangeOnlineEmulator.StartAsync(new EmulatorOptions { StartSmtpServer = false, PropagationDelays = PropagationDefaults.Quick });

    public async Task DisposeAsync()
    {
        if (_emulator is not null)
        {
            await _emulator.DisposeAsync();
        }
    }
}
