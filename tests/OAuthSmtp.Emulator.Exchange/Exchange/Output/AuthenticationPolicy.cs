using System;

namespace OAuthSmtp.Emulator.PowerShell.Exchange.Output;

/// <summary>Get-/New-AuthenticationPolicy output (the Basic-auth switch that matters here is AllowBasicAuthSmtp).</summary>
public sealed class AuthenticationPolicy
{
    public string Identity { get; init; } = "";
    public string Name { get; init; } = "";
    public Guid Guid { get; init; }
    public string DistinguishedName { get; init; } = "";
    public bool AllowBasicAuthSmtp { get; init; }
    public bool IsValid { get; init; } = true;

    public override string ToString() => Identity;
}
