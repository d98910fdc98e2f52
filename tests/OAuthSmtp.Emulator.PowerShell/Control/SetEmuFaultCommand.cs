using System;
using System.Management.Automation;
using OAuthSmtp.Emulator.Smtp;

namespace OAuthSmtp.Emulator.PowerShell.Control;

/// <summary>Injects faults: SMTP latency, dropped connections, transient replies, token service outage, token lifetime.</summary>
[Cmdlet(VerbsCommon.Set, "EmuFault", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(void))]
public sealed class SetEmuFaultCommand : PSCmdlet
{
    /// <summary>Delay before each SMTP reply, in milliseconds.</summary>
    [Parameter]
    [ValidateRange(0, 600_000)]
    public int SmtpReplyLatencyMs { get; set; }

    /// <summary>The SMTP stage at which the server drops the connection without a reply (-Count times, default once).</summary>
    [Parameter]
    public SmtpStage DropConnectionAt { get; set; }

    /// <summary>The SMTP stage at which the server answers a transient 4xx reply (-Count times, default once).</summary>
    [Parameter]
    public SmtpStage TransientReplyAt { get; set; }

    /// <summary>How many times -DropConnectionAt / -TransientReplyAt fire.</summary>
    [Parameter]
    [ValidateRange(1, 1_000_000)]
    public int Count { get; set; } = 1;

    /// <summary>The service is busy: the next this-many RCPT TO commands get 451 4.7.500 Server busy … (S77); 0 clears it.</summary>
    [Parameter]
    [ValidateRange(0, 1_000_000)]
    public int ServerBusyCount { get; set; }

    /// <summary>The next this-many token service requests answer 503.</summary>
    [Parameter]
    [ValidateRange(0, 1_000_000)]
    public int TokenServiceOutage { get; set; }

    /// <summary>Lifetime of issued access tokens in seconds; 0 returns to Entra's random 60–90 minutes.</summary>
    [Parameter]
    [ValidateRange(0, 86_400)]
    public int TokenLifetimeSeconds { get; set; }

    /// <summary>Clear every fault first.</summary>
    [Parameter]
    public SwitchParameter Clear { get; set; }

    protected override void ProcessRecord()
    {
        var emulator = EmulatorSession.Get(this);
        var faults = emulator.Faults;
        bool Bound(string name) => MyInvocation.BoundParameters.ContainsKey(name);
        if (!ShouldProcess("emulator", "Set faults"))
        {
            return;
        }

        if (Clear)
        {
            faults.Reset();
        }

        if (Bound(nameof(SmtpReplyLatencyMs)))
        {
            faults.SmtpReplyLatencyMs = SmtpReplyLatencyMs;
        }

        if (Bound(nameof(DropConnectionAt)))
        {
            faults.DropConnectionAt = DropConnectionAt;
            faults.DropConnectionCount = Count;
        }

        if (Bound(nameof(TransientReplyAt)))
        {
            faults.TransientReplyAt = TransientReplyAt;
            faults.TransientReplyCount = Count;
        }

        if (Bound(nameof(ServerBusyCount)))
        {
            faults.ServerBusyCount = ServerBusyCount;
        }

        if (Bound(nameof(TokenServiceOutage)))
        {
            faults.TokenServiceOutageCount = TokenServiceOutage;
        }

        if (Bound(nameof(TokenLifetimeSeconds)))
        {
            faults.TokenLifetimeSeconds = TokenLifetimeSeconds == 0 ? null : TokenLifetimeSeconds;
        }
    }
}
