using System;

namespace OAuthSmtp.Emulator.PowerShell.Exchange;

/// <summary>
/// Named as Exchange's own exception (Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException), so
/// scripts that test <c>$_.Exception.GetType().Name</c> or catch by the short name behave as against the real service.
/// </summary>
public sealed class ManagementObjectNotFoundException : Exception
{
    public ManagementObjectNotFoundException(string message)
        : base(message)
    {
    }
}
