using System;
using OAuthSmtp.Emulator.Model;

namespace OAuthSmtp.Emulator.PowerShell.Exchange.Output;

/// <summary>
/// New-/Get-ServicePrincipal output. The docs list no OUTPUTS; these are the properties seen in use (EXCHANGE-FACTS 6.1):
/// Identity = ObjectId, ServiceId = ObjectId, RecipientTypeDetails "ServicePrinciple" as the service misspells it.
/// </summary>
public sealed class ServicePrincipal
{
    public string Identity { get; init; } = "";
    public string DisplayName { get; init; } = "";
    public string AppId { get; init; } = "";
    public string ObjectId { get; init; } = "";
    public string ServiceId { get; init; } = "";
    public string Name { get; init; } = "";
    public Guid Guid { get; init; }
    public string DistinguishedName { get; init; } = "";
    public string Organization { get; init; } = "";
    public string RecipientType { get; init; } = "User";
    public string RecipientTypeDetails { get; init; } = "ServicePrinciple";
    public bool IsValid { get; init; } = true;

    internal static ServicePrincipal From(TenantModel tenant, ExchangeServicePrincipal sp) => new()
    {
        Identity = sp.ObjectId,
        DisplayName = sp.DisplayName,
        AppId = sp.AppId,
        ObjectId = sp.ObjectId,
        ServiceId = sp.ObjectId,
        Name = sp.ObjectId,
        Guid = sp.Guid,
        DistinguishedName = TenantQueries.ServicePrincipalDistinguishedName(tenant, sp),
        Organization = tenant.Tenant.InitialDomain,
    };

    public override string ToString() => Identity;
}
