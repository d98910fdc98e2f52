using System;

namespace OAuthSmtp.Emulator.PowerShell.Exchange.Output;

/// <summary>Get-OrganizationConfig output, the part an SMTP setup reads.</summary>
public sealed class OrganizationConfig
{
    public string Identity { get; init; } = "";
    public string Name { get; init; } = "";
    public string DisplayName { get; init; } = "";
    public Guid Guid { get; init; }
    public string? DefaultAuthenticationPolicy { get; init; }
    public bool OAuth2ClientProfileEnabled { get; init; } = true;
    public bool IsDehydrated { get; init; }
    public bool IsValid { get; init; } = true;

    public override string ToString() => Identity;
}
