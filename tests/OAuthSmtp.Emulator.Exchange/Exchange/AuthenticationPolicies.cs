using System;
using System.Linq;
using OAuthSmtp.Emulator.Model;

namespace OAuthSmtp.Emulator.PowerShell.Exchange;

/// <summary>Finding and showing authentication policies (by Name, Guid or DN).</summary>
internal static class AuthenticationPolicies
{
    public static AuthenticationPolicy? Find(TenantModel tenant, string identity)
    {
        lock (tenant.SyncRoot)
        {
            var value = identity.Trim();
            return tenant.AuthenticationPolicies.FirstOrDefault(p =>
                string.Equals(p.Name, value, StringComparison.OrdinalIgnoreCase)
                || string.Equals(p.Guid.ToString(), value, StringComparison.OrdinalIgnoreCase)
                || string.Equals(DistinguishedName(tenant, p), value, StringComparison.OrdinalIgnoreCase));
        }
    }

    public static string DistinguishedName(TenantModel tenant, AuthenticationPolicy policy) =>
        $"CN={policy.Name},CN=Auth Policies,CN=Configuration,CN={tenant.Tenant.InitialDomain},CN=ConfigurationUnits,DC=NAMPR01A001,DC=PROD,DC=OUTLOOK,DC=COM";

    public static Output.AuthenticationPolicy Show(TenantModel tenant, AuthenticationPolicy policy) => new()
    {
        Identity = policy.Name,
        Name = policy.Name,
        Guid = policy.Guid,
        DistinguishedName = DistinguishedName(tenant, policy),
        AllowBasicAuthSmtp = policy.AllowBasicAuthSmtp,
    };
}
