using System;
using System.Management.Automation;
using OAuthSmtp.Emulator.Model;

namespace OAuthSmtp.Emulator.PowerShell.Control;

/// <summary>
/// How long a kind of change takes to reach token and SMTP decisions (admin cmdlets see changes at once). An emulator
/// starts with realistic delays (PropagationDefaults.Realistic); -Quick shortens each to half a second (what tests
/// choose, so -Wait still runs), -All sets every kind at once, -Realistic puts the realistic delays back.
/// </summary>
[Cmdlet(VerbsCommon.Set, "EmuPropagationDelay", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low, DefaultParameterSetName = "Kind")]
[OutputType(typeof(void))]
public sealed class SetEmuPropagationDelayCommand : PSCmdlet
{
    [Parameter(ParameterSetName = "Kind", Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    public ChangeKind Kind { get; set; }

    [Parameter(ParameterSetName = "Kind", Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    public TimeSpan Delay { get; set; }

    /// <summary>The same delay for every kind of change.</summary>
    [Parameter(ParameterSetName = "All", Mandatory = true)]
    public TimeSpan All { get; set; }

    /// <summary>The realistic delays an emulator starts with.</summary>
    [Parameter(ParameterSetName = "Realistic", Mandatory = true)]
    public SwitchParameter Realistic { get; set; }

    /// <summary>Half a second for every kind that takes time in a real tenant (PropagationDefaults.Quick).</summary>
    [Parameter(ParameterSetName = "Quick", Mandatory = true)]
    public SwitchParameter Quick { get; set; }

    protected override void ProcessRecord()
    {
        var emulator = EmulatorSession.Get(this);
        var delay = ParameterSetName == "All" ? All : Delay;
        if (ParameterSetName is "All" or "Kind" && delay < TimeSpan.Zero)
        {
            ThrowTerminatingError(new ErrorRecord(new ArgumentOutOfRangeException(nameof(Delay), "The delay cannot be negative; use 0 for changes that take effect at once."),
                "NegativeDelay", ErrorCategory.InvalidArgument, delay));
        }

        switch (ParameterSetName)
        {
            case "All" when ShouldProcess("every kind of change", $"Set propagation delay to {All}"):
                foreach (var kind in Enum.GetValues<ChangeKind>()) emulator.Control.SetPropagationDelay(kind, All);
                break;
            case "Realistic" when ShouldProcess("every kind of change", "Set the realistic propagation delays"):
                Apply(emulator, PropagationDefaults.Realistic);
                break;
            case "Quick" when ShouldProcess("every kind of change", $"Set the quick propagation delays ({PropagationDefaults.QuickDelay.TotalSeconds} s)"):
                Apply(emulator, PropagationDefaults.Quick);
                break;
            case "Kind" when ShouldProcess($"{Kind} changes", $"Set propagation delay to {Delay}"):
                emulator.Control.SetPropagationDelay(Kind, Delay);
                break;
        }
    }

    private static void Apply(ExchangeOnlineEmulator emulator, System.Collections.Generic.IReadOnlyDictionary<ChangeKind, TimeSpan> delays)
    {
        foreach (var kind in Enum.GetValues<ChangeKind>())
        {
            emulator.Control.SetPropagationDelay(kind, delays.TryGetValue(kind, out var delay) ? delay : TimeSpan.Zero);
        }
    }
}
