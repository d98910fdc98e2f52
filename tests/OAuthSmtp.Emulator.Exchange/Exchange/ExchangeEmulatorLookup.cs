using System;
using System.Management.Automation;

namespace OAuthSmtp.Emulator.PowerShell.Exchange;

/// <summary>
/// The emulator the admin cmdlets work on: the one in the session variable OAuthSmtpEmulator (the same variable
/// EmulatorSession reads for the control cmdlets).
/// </summary>
internal static class ExchangeEmulatorLookup
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
