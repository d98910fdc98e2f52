using System.Text.Json;
using OAuthSmtp.Emulator.Model;

namespace OAuthSmtp.Emulator.PowerShell.Exchange;

/// <summary>
/// The Exchange half of the tenant as one string, so a cmdlet can tell whether it changed anything (statistics prove
/// that -WhatIf changes nothing). The model is small; serialising it per changing cmdlet costs well under a millisecond.
/// </summary>
internal static class ExchangeState
{
    public static string Fingerprint(TenantModel tenant)
    {
        lock (tenant.SyncRoot)
        {
            return JsonSerializer.Serialize(new object?[]
            {
                tenant.ExchangeServicePrincipals, tenant.Mailboxes, tenant.MailboxPermissions, tenant.RecipientPermissions, tenant.TransportConfig,
                tenant.AuthenticationPolicies, tenant.DefaultAuthenticationPolicy, tenant.ManagementScopes, tenant.ManagementRoleAssignments,
            });
        }
    }
}
