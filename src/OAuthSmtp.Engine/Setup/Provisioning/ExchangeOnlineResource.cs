using System;
using System.Linq;
using System.Text.Json;
using OAuthSmtp.Engine.Errors;
using OAuthSmtp.Engine.Setup.Entra;

namespace OAuthSmtp.Engine.Setup.Provisioning;

/// <summary>
/// "Office 365 Exchange Online" in this tenant (appId 00000002-0000-0ff1-ce00-000000000000): its service principal's
/// id (the resourceId of consent) and the ids of its SMTP.SendAsApp app role and SMTP.Send delegated scope, read at
/// run time (EXCHANGE-FACTS section 7: the role GUID is confirmed by no source, so it is never hard-coded).
/// </summary>
public sealed class ExchangeOnlineResource
{
    public const string AppId = "00000002-0000-0ff1-ce00-000000000000";
    public const string SendAsAppRole = "SMTP.SendAsApp";
    public const string SendScope = "SMTP.Send";

    private ExchangeOnlineResource(string servicePrincipalId, string? sendAsAppRoleId, string? sendScopeId)
    {
        ServicePrincipalId = servicePrincipalId;
        SendAsAppRoleId = sendAsAppRoleId;
        SendScopeId = sendScopeId;
    }

    public string ServicePrincipalId { get; }

    public string? SendAsAppRoleId { get; }

    public string? SendScopeId { get; }

    public static GraphRequest Lookup => GraphRequest.Get($"servicePrincipals?$filter=appId eq '{AppId}'&$select=id,appId,appRoles,oauth2PermissionScopes");

    /// <exception cref="OAuthSmtpException">ProvisioningInvalidRequest when the tenant has no Exchange Online.</exception>
    public static ExchangeOnlineResource Read(IGraphAdmin graph)
    {
        var request = Lookup;
        using var document = graph.Send(request).EnsureSuccess(request).Json();
        var sp = GraphJson.Items(document.RootElement).FirstOrDefault();
        if (sp.ValueKind != JsonValueKind.Object)
        {
            throw new OAuthSmtpException(
                ErrorIds.ProvisioningInvalidRequest,
                ErrorKind.ObjectNotFound,
                "This tenant has no 'Office 365 Exchange Online' service principal (appId 00000002-0000-0ff1-ce00-000000000000), so no Exchange permission can be granted. Nothing was changed.",
                "Check that the Graph session is signed in to the tenant with the Exchange Online licence (Get-MgContext shows TenantId).");
        }

        return new ExchangeOnlineResource(
            GraphJson.Text(sp, "id") ?? string.Empty,
            IdOf(sp, "appRoles", SendAsAppRole),
            IdOf(sp, "oauth2PermissionScopes", SendScope));
    }

    private static string? IdOf(JsonElement sp, string list, string value) =>
        sp.TryGetProperty(list, out var items) && items.ValueKind == JsonValueKind.Array
            ? items.EnumerateArray().Where(i => string.Equals(GraphJson.Text(i, "value"), value, StringComparison.Ordinal)).Select(i => GraphJson.Text(i, "id")).FirstOrDefault()
            : null;
}
