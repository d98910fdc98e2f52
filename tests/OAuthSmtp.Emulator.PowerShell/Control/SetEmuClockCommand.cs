using System;
using System.Management.Automation;

namespace OAuthSmtp.Emulator.PowerShell.Control;

/// <summary>Moves the emulator's clock forward (token expiry, secret expiry, propagation delays) or back to real time.</summary>
[Cmdlet(VerbsCommon.Set, "EmuClock", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low, DefaultParameterSetName = AdvanceSet)]
[OutputType(typeof(DateTimeOffset))]
public sealed class SetEmuClockCommand : PSCmdlet
{
    private const string AdvanceSet = "Advance";
    private const string ResetSet = "Reset";

    [Parameter(Mandatory = true, Position = 0, ParameterSetName = AdvanceSet)]
    public TimeSpan Advance { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = ResetSet)]
    public SwitchParameter Reset { get; set; }

    protected override void ProcessRecord()
    {
        var emulator = EmulatorSession.Get(this);
        if (ParameterSetName == ResetSet)
        {
            if (ShouldProcess("emulator clock", "Reset to real time"))
            {
                emulator.Clock.Reset();
            }
        }
        else
        {
            if (Advance < TimeSpan.Zero)
            {
                ThrowTerminatingError(new ErrorRecord(new ArgumentOutOfRangeException(nameof(Advance), "The clock only moves forward; use -Reset to return to real time."),
                    "NegativeAdvance", ErrorCategory.InvalidArgument, Advance));
            }

            if (ShouldProcess("emulator clock", $"Advance by {Advance}"))
            {
                emulator.Clock.Advance(Advance);
            }
        }

        WriteObject(emulator.Clock.UtcNow);
    }
}
