using System;
using System.Management.Automation;

namespace OAuthSmtp.Emulator.PowerShell;

/// <summary>
/// Finds the emulator a cmdlet works on: the session variable $OAuthSmtpEmulator, which the host (tests, sandbox)
/// sets through PowerShellSessionOptions.Variables. Shared by the control and the admin cmdlets.
/// </summary>
public static class EmulatorSession
{
    public const string VariableName = "OAuthSmtpEmulator";

    /// <summary>The attached emulator; a terminating EmulatorNotAttached error (ResourceUnavailable) when there is none.</summary>
    public static ExchangeOnlineEmulator Get(PSCmdlet cmdlet)
    {
        var value = cmdlet.SessionState.PSVariable.GetValue(VariableName);
        if ((value is PSObject wrapped ? wrapped.BaseObject : value) is ExchangeOnlineEmulator emulator)
        {
            return emulator;
        }

        cmdlet.ThrowTerminatingError(new ErrorRecord(
            new InvalidOperationException(
                $"No Exchange Online emulator is attached to this session. Start one with [OAuthSmtp.Emulator.ExchangeOnlineEmulator]::StartAsync() and put it in the variable ${VariableName} (the sandbox and the test fixtures do this)."),
            "EmulatorNotAttached",
            ErrorCategory.ResourceUnavailable,
            null));
        throw new InvalidOperationException("ThrowTerminatingError returned.");
    }
}
