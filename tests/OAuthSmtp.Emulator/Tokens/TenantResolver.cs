using System;
using System.Linq;
using System.Text.RegularExpressions;
using OAuthSmtp.Emulator.Model;

namespace OAuthSmtp.Emulator.Tokens;

/// <summary>
/// The {tenant} path segment: the tenant GUID or any verified domain (EXCHANGE-FACTS §1); a well-formed but unknown
/// value is AADSTS90002, a value that is neither a GUID nor a DNS name is AADSTS900023. "common" and "organizations"
/// resolve to the one tenant [setting: Entra resolves them by the signed-in account].
/// </summary>
internal static partial class TenantResolver
{
    public static Tenant Resolve(TenantModel model, string segment)
    {
        var tenant = model.Tenant;
        if (Guid.TryParse(segment, out var id))
        {
            return id == tenant.TenantId ? tenant : throw new AadErrorException(AadError.TenantNotFound(segment));
        }

        if (string.Equals(segment, "common", StringComparison.OrdinalIgnoreCase) || string.Equals(segment, "organizations", StringComparison.OrdinalIgnoreCase))
        {
            return tenant;
        }

        if (!DnsName().IsMatch(segment))
        {
            throw new AadErrorException(AadError.MalformedTenant(segment));
        }

        return tenant.VerifiedDomains.Any(d => string.Equals(d, segment, StringComparison.OrdinalIgnoreCase))
            ? tenant
            : throw new AadErrorException(AadError.TenantNotFound(segment));
    }

    [GeneratedRegex(@"^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$")]
    private static partial Regex DnsName();
}
