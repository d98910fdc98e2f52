using System;
using System.Collections.Generic;
using OAuthSmtp.Engine.Errors;
using OAuthSmtp.Engine.Profiles;
using OAuthSmtp.Engine.Setup.Probes;

namespace OAuthSmtp.Engine.Setup.Checks;

/// <summary>The tenant exists in the profile's cloud: OpenID discovery at the authority, no credential needed.</summary>
public sealed class TenantCheck : SetupCheck
{
    private static readonly SetupStep[] Dependencies = { SetupStep.Profile };

    public override SetupStep Step => SetupStep.Tenant;

    public override IReadOnlyList<SetupStep> DependsOn => Dependencies;

    public override string Activity => "Looking up the tenant (OpenID discovery)";

    public override SetupCheckResult Run(SetupContext context)
    {
        var profile = context.Profile;
        if (string.IsNullOrWhiteSpace(profile.TenantId))
        {
            return Skipped("Not checked: the managed identity's own tenant is used.");
        }

        var authority = profile.AuthorityHost;
        var result = context.Wait(ct => context.Services.Discovery.DiscoverAsync(authority, profile.TenantId, ct));
        if (result.Found)
        {
            context.TenantGuid = result.TenantId;
            var resolved = result.TenantId is not null && !string.Equals(result.TenantId, profile.TenantId, StringComparison.OrdinalIgnoreCase)
                ? $" (tenant id {result.TenantId})"
                : string.Empty;
            return Pass($"Tenant '{profile.TenantId}'{resolved} exists at {authority.ToString().TrimEnd('/')} ({profile.Cloud} cloud).");
        }

        var set = $"Set-SmtpOAuthProfile -Name {context.ProfileArgument}";
        if (result.Unreachable)
        {
            return Fail(
                $"The authority {authority.ToString().TrimEnd('/')} could not be reached: {result.Error}",
                "Without the authority no token can be had. A proxy or firewall may block it, or the profile's authority host is mistyped.",
                $"Check that https://{authority.Host} is reachable from this computer (proxy, firewall); if the authority host is wrong: {set} -Cloud {profile.Cloud}",
                SetupDocumentation.NationalClouds,
                ErrorIds.SetupTenantUnreachable);
        }

        var malformed = result.AadstsCode == 900023;
        var otherClouds = string.Join(", ", Array.FindAll((CloudName[])Enum.GetValues(typeof(CloudName)), c => c != profile.Cloud));
        return Fail(
            malformed
                ? $"AADSTS900023: '{profile.TenantId}' is neither a valid tenant GUID nor a domain name ({result.Error})."
                : $"AADSTS90002: tenant '{profile.TenantId}' was not found at {authority.ToString().TrimEnd('/')} ({profile.Cloud} cloud).",
            malformed
                ? "The tenant value is malformed, so Entra ID cannot even look it up."
                : $"The tenant id or domain is mistyped, or the tenant lives in another cloud ({otherClouds}); every token request will fail with the same error.",
            $"{set} -TenantId <Tenant ID from Entra ID > Overview>" + (malformed ? string.Empty : $"{Environment.NewLine}or, for a national cloud: {set} -Cloud <{otherClouds.Replace(", ", "|")}>"),
            SetupDocumentation.NationalClouds,
            ErrorIds.SetupTenantNotFound);
    }
}
