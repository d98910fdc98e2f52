using System.Threading;

namespace OAuthSmtp.Emulator;

/// <summary>
/// Faults a test injects (Set-EmuFault). Partial: the SMTP server adds its own members in Smtp/EmulatorFaults.Smtp.cs
/// and may implement <see cref="ResetSmtp"/>. Set-EmuFault binds its parameters to these properties by name.
/// </summary>
public sealed partial class EmulatorFaults
{
    private int _tokenServiceOutageCount;

    /// <summary>The next this-many token service requests answer 503 with a JSON body; then service resumes.</summary>
    public int TokenServiceOutageCount
    {
        get => Volatile.Read(ref _tokenServiceOutageCount);
        set => Volatile.Write(ref _tokenServiceOutageCount, value < 0 ? 0 : value);
    }

    /// <summary>Fixed lifetime of issued access tokens; null = random 60–90 minutes as Entra does.</summary>
    public int? TokenLifetimeSeconds { get; set; }

    /// <summary>Consumes one outage slot; true when this request must fail with 503.</summary>
    public bool TryConsumeTokenServiceOutage()
    {
        while (true)
        {
            var current = Volatile.Read(ref _tokenServiceOutageCount);
            if (current <= 0)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _tokenServiceOutageCount, current - 1, current) == current)
            {
                return true;
            }
        }
    }

    /// <summary>Clears every fault (Reset-EmuTenant does this).</summary>
    public void Reset()
    {
        TokenServiceOutageCount = 0;
        TokenLifetimeSeconds = null;
        ResetSmtp();
        ResetHostile();
    }

    /// <summary>Implemented by the SMTP part to clear its own faults.</summary>
    partial void ResetSmtp();

    /// <summary>Implemented in Faults/EmulatorFaults.Hostile.cs.</summary>
    partial void ResetHostile();
}
