using System;
using System.Management.Automation;
using OAuthSmtp.Emulator.Model;

namespace OAuthSmtp.Emulator.PowerShell.Control;

/// <summary>How long a kind of change takes to reach token and SMTP decisions (admin cmdlets see changes at once).</summary>
[Cmdlet(VerbsCommon.Set, "EmuPropagationDelay", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(void))]
public sealed class SetEmuPropagationDelayCommand : PSCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    public ChangeKind Kind { get; set; }

    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    public TimeSpan Delay { get; set; }

    protected override void ProcessRecord()
    {
        var emulator = EmulatorSession.Get(this);
        if (Delay < TimeSpan.Zero)
        {
            ThrowTerminatingError(new ErrorRecord(new ArgumentOutOfRangeException(nameof(Delay), "The delay cannot be negative; use 0 for changes that take effect at once."),
                "NegativeDelay", ErrorCategory.InvalidArgument, Delay));
        }

        if (ShouldProcess($"{Kind} changes", $"Set propagation delay to {Delay}"))
        {
            emulator.Control.SetPropagationDelay(Kind, Delay);
        }
    }
}
