using System;

namespace OAuthSmtp.Emulator.PowerShell.Exchange;

/// <summary>Named as Exchange's exception for an identity that matches more than one object.</summary>
public sealed class ManagementObjectAmbiguousException : Exception
{
    public ManagementObjectAmbiguousException(string message)
        : base(message)
    {
    }
}
