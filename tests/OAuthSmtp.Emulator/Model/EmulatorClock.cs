using System;

namespace OAuthSmtp.Emulator.Model;

/// <summary>The emulator's notion of now: real time plus an offset tests can advance (Set-EmuClock).</summary>
public sealed class EmulatorClock
{
    private TimeSpan _offset;

    public DateTimeOffset UtcNow => DateTimeOffset.UtcNow + _offset;

    public void Advance(TimeSpan by) => _offset += by;

    public void Reset() => _offset = TimeSpan.Zero;
}
