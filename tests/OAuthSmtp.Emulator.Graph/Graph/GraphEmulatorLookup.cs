using System;
using System.Management.Automation;

namespace OAuthSmtp.Emulator.PowerShell.Graph;

/// <summary>The emulator the Graph cmdlets work on: the session variable OAuthSmtpEmulator (as the other emulator modules).</summary>
internal static class GraphEmulatorLookup
{
    public const string VariableName = "OAuthSmtpEmulator";

    public static ExchangeOnlineEmulator Get(PSCmdlet cmdlet)
    {
        var value = cmdlet.SessionState.PSVariable.GetValue(VariableName);
        if ((value is PSObject wrapped ? wrapped.BaseObject : value) is ExchangeOnlineEmulator emulator) return emulator;
        cmdlet.ThrowTerminatingError(new ErrorRecord(
            new InvalidOperationException(
                $"No Exchange Online emulator is attached to this session. Start one with [OAuthSmtp.Emulator.ExchangeOnlineEmulator]::StartAsync() and put it in the variable ${VariableName} (the sandbox and the test fixtures do this)."),
            "EmulatorNotAttached",
            ErrorCategory.ResourceUnavailable,
            null));
        throw new InvalidOperationException("unreachable");
    }
}
