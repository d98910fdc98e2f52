using System;

namespace OAuthSmtp.Emulator.PowerShell.Exchange.Output;

/// <summary>One connection, with the properties Get-ConnectionInformation documents (PS-DOCS).</summary>
public sealed class ConnectionInformation
{
    public Guid ConnectionId { get; init; } = Guid.NewGuid();
    public string State { get; set; } = "Connected";
    public int Id { get; init; }
    public string Name { get; init; } = "";
    public string? UserPrincipalName { get; init; }
    public string ConnectionUri { get; init; } = "https://outlook.office365.com";
    public string AzureAdAuthorizationEndpointUri { get; init; } = "https://login.microsoftonline.com/organizations";
    public DateTimeOffset TokenExpiryTimeUTC { get; init; }
    public bool CertificateAuthentication { get; init; }
    public string ModuleName { get; init; } = "";
    public string ModulePrefix { get; init; } = "";
    public string? Organization { get; init; }
    public string? DelegatedOrganization { get; init; }
    public string? AppId { get; init; }
    public uint PageSize { get; init; } = 1000;
    public Guid TenantID { get; init; }
    public string TokenStatus { get; set; } = "Active";
    public bool ConnectionUsedForInbuiltCmdlets { get; init; } = true;
    public bool IsEopSession { get; init; }
}
