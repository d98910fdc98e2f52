namespace OAuthSmtp.Emulator.PowerShell.Exchange.Output;

/// <summary>One row of Test-ServicePrincipalAuthorization (PS-DOCS example columns).</summary>
public sealed class ServicePrincipalAuthorization
{
    public string RoleName { get; init; } = "";
    public string GrantedPermissions { get; init; } = "";
    public string AllowedResourceScope { get; init; } = "";
    /// <summary>CustomRecipientScope or Organization.</summary>
    public string ScopeType { get; init; } = "";
    /// <summary>"True", "False", or "Not Run" when -Resource was not given.</summary>
    public string InScope { get; init; } = "Not Run";

    public override string ToString() => $"{RoleName} {AllowedResourceScope} {InScope}";
}
