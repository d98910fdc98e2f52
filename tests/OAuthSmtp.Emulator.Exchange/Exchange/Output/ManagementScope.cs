using System;

namespace OAuthSmtp.Emulator.PowerShell.Exchange.Output;

/// <summary>New-ManagementScope output.</summary>
public sealed class ManagementScope
{
    public string Identity { get; init; } = "";
    public string Name { get; init; } = "";
    public Guid Guid { get; init; }
    public string RecipientRestrictionFilter { get; init; } = "";
    public string ScopeRestrictionType { get; init; } = "RecipientScope";
    public bool Exclusive { get; init; }
    public bool IsValid { get; init; } = true;

    public override string ToString() => Identity;
}
