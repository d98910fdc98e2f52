using System;
using System.Collections.Generic;
using System.Linq;
using OAuthSmtp.Engine.Profiles;

namespace OAuthSmtp.Engine.Tokens;

/// <summary>
/// Whether a token can authenticate SMTP AUTH XOAUTH2 at Exchange Online, judged from its claims as
/// Exchange judges them (EXCHANGE-FACTS sections 3 and 6.4): audience, expiry, then roles (app-only) or scp
/// (delegated). What only the tenant knows (the Exchange service principal, mailbox permissions) is not
/// judged here; Test-SmtpOAuthSetup does that.
/// </summary>
public sealed class SmtpTokenAssessment
{
    /// <summary>The application id of "Office 365 Exchange Online": the audience of v2-style Exchange tokens.</summary>
    public const string ExchangeApplicationId = "00000002-0000-0ff1-ce00-000000000000";

    public const string SendAsAppRole = "SMTP.SendAsApp";

    public const string SendScope = "SMTP.Send";

    private SmtpTokenAssessment(CloudName? cloud, IReadOnlyList<SmtpTokenFinding> findings)
    {
        Cloud = cloud;
        Findings = findings;
    }

    /// <summary>The cloud whose Exchange resource the audience names; null when it names none.</summary>
    public CloudName? Cloud { get; }

    public IReadOnlyList<SmtpTokenFinding> Findings { get; }

    /// <summary>No finding is an error: Exchange can accept the token if the tenant side is set up.</summary>
    public bool IsUsable => Findings.All(f => f.Severity != SmtpTokenFindingSeverity.Error);

    public IEnumerable<SmtpTokenFinding> Warnings => Findings.Where(f => f.Severity == SmtpTokenFindingSeverity.Warning);

    public IEnumerable<SmtpTokenFinding> Errors => Findings.Where(f => f.Severity == SmtpTokenFindingSeverity.Error);

    /// <summary>The token service returned a token that is not a JWT: Exchange Online's tokens always are.</summary>
    public static SmtpTokenAssessment NotAJwt() => new(
        null,
        new[]
        {
            new SmtpTokenFinding(
                "NotAJwt",
                SmtpTokenFindingSeverity.Error,
                "The token service returned an access token that is not a JSON Web Token; Exchange Online issues and accepts only JWTs, so SMTP AUTH will refuse it.",
                "Check the profile's authority host and cloud (Get-SmtpOAuthProfile): the token must come from Entra ID (login.microsoftonline.com for the global cloud)."),
        });

    /// <param name="claims">The decoded token.</param>
    /// <param name="now">The time to judge expiry against.</param>
    /// <param name="expectedCloud">The profile's cloud; null when any cloud's Exchange resource is acceptable.</param>
    /// <param name="expectAppOnly">true for an app-only profile, false for a delegated one, null when unknown (a pasted token).</param>
    /// <param name="managedIdentity">The token is a managed identity's (Azure caches those for up to 24 hours, which changes the advice).</param>
    public static SmtpTokenAssessment Assess(TokenClaims claims, DateTimeOffset now, CloudName? expectedCloud = null, bool? expectAppOnly = null, bool managedIdentity = false)
    {
        if (claims is null)
        {
            throw new ArgumentNullException(nameof(claims));
        }

        var findings = new List<SmtpTokenFinding>();
        var cloud = CloudOfAudience(claims.Audiences);
        AssessAudience(claims, cloud, expectedCloud, findings);
        AssessLifetime(claims, now, findings);

        var identity = claims.IdentityType;
        if (identity == TokenIdentityType.Unknown && expectAppOnly.HasValue)
        {
            identity = expectAppOnly.Value ? TokenIdentityType.App : TokenIdentityType.User;
        }

        if (expectAppOnly == true && claims.IdentityType == TokenIdentityType.User)
        {
            findings.Add(new SmtpTokenFinding(
                "DelegatedTokenForAppProfile",
                SmtpTokenFindingSeverity.Warning,
                $"The profile is app-only but this is a delegated token for {claims.UserPrincipalName ?? "a user"}; SMTP will authenticate as that user, not as the application.",
                "Check the profile's credential kind with Get-SmtpOAuthProfile."));
        }

        if (identity == TokenIdentityType.App)
        {
            AssessAppOnly(claims, managedIdentity, findings);
        }
        else if (identity == TokenIdentityType.User)
        {
            AssessDelegated(claims, findings);
        }
        else
        {
            findings.Add(new SmtpTokenFinding(
                "IdentityTypeUnknown",
                SmtpTokenFindingSeverity.Warning,
                "The token says neither that it is app-only (idtyp, roles) nor that it is delegated (scp, upn), so its permissions cannot be judged.",
                null));
        }

        return new SmtpTokenAssessment(cloud, findings);
    }

    /// <summary>The cloud whose Exchange resource (app-only or delegated form) one of the audiences names.</summary>
    public static CloudName? CloudOfAudience(IEnumerable<string> audiences)
    {
        foreach (var audience in audiences)
        {
            var normalized = audience.TrimEnd('/');
            foreach (var endpoints in new[] { CloudEndpoints.Global, CloudEndpoints.USGov, CloudEndpoints.USGovDoD, CloudEndpoints.China })
            {
                if (string.Equals(normalized, endpoints.ExchangeResource, StringComparison.OrdinalIgnoreCase)
                    || string.Equals(normalized, endpoints.DelegatedResource, StringComparison.OrdinalIgnoreCase))
                {
                    return endpoints.Cloud;
                }
            }
        }

        return null;
    }

    private static void AssessAudience(TokenClaims claims, CloudName? cloud, CloudName? expectedCloud, List<SmtpTokenFinding> findings)
    {
        var isExchangeGuid = claims.Audiences.Any(a => string.Equals(a, ExchangeApplicationId, StringComparison.OrdinalIgnoreCase));
        if (cloud is null && !isExchangeGuid)
        {
            findings.Add(new SmtpTokenFinding(
                "AudienceNotExchange",
                SmtpTokenFindingSeverity.Error,
                $"The token is for '{claims.Audience ?? "(no audience)"}', not for Exchange Online: Exchange answers 535 5.7.3 to it.",
                $"Request the scope {CloudEndpoints.For(expectedCloud ?? CloudName.Global).AppOnlyScope} (app-only) or {CloudEndpoints.For(expectedCloud ?? CloudName.Global).DelegatedScope} (delegated); a Microsoft Graph token does not work for SMTP."));
            return;
        }

        if (cloud is not null && expectedCloud is not null && cloud != expectedCloud)
        {
            findings.Add(new SmtpTokenFinding(
                "AudienceOtherCloud",
                SmtpTokenFindingSeverity.Error,
                $"The token is for Exchange in the {cloud} cloud, but the profile sends through the {expectedCloud} cloud.",
                $"Set the profile's cloud to {cloud} (Set-SmtpOAuthProfile -Cloud {cloud}), or request the token from the {expectedCloud} cloud."));
        }
    }

    private static void AssessLifetime(TokenClaims claims, DateTimeOffset now, List<SmtpTokenFinding> findings)
    {
        if (claims.ExpiresOn is null)
        {
            findings.Add(new SmtpTokenFinding("ExpiryUnknown", SmtpTokenFindingSeverity.Warning, "The token carries no expiry (exp); Exchange refuses tokens without one.", null));
        }
        else if (claims.ExpiresOn <= now)
        {
            findings.Add(new SmtpTokenFinding(
                "Expired",
                SmtpTokenFindingSeverity.Error,
                $"The token expired at {claims.ExpiresOn:u} ({Describe(now - claims.ExpiresOn.Value)} ago).",
                "Get a new token: Get-SmtpOAuthToken -Profile <name> -ForceRefresh."));
        }

        if (claims.NotBefore is not null && claims.NotBefore > now)
        {
            findings.Add(new SmtpTokenFinding(
                "NotYetValid",
                SmtpTokenFindingSeverity.Error,
                $"The token is not valid before {claims.NotBefore:u}: this computer's clock may be wrong.",
                "Synchronise the clock (w32tm /resync on Windows, timedatectl on Linux)."));
        }
    }

    private static void AssessAppOnly(TokenClaims claims, bool managedIdentity, List<SmtpTokenFinding> findings)
    {
        if (claims.Roles.Any(r => string.Equals(r, SendAsAppRole, StringComparison.Ordinal)))
        {
            return;
        }

        if (managedIdentity)
        {
            // A managed identity has no consent button, and Azure caches its tokens for up to 24 hours, so a role
            // granted an hour ago is often simply not in the token yet.
            findings.Add(new SmtpTokenFinding(
                "SendAsAppMissing",
                claims.Roles.Count == 0 ? SmtpTokenFindingSeverity.Warning : SmtpTokenFindingSeverity.Error,
                (claims.Roles.Count == 0 ? "The managed identity's token has no roles, so it lacks SMTP.SendAsApp." : $"The managed identity's token has the roles {string.Join(", ", claims.Roles)} but not SMTP.SendAsApp.")
                    + " If the role was granted recently, the token may simply predate it: Azure caches a managed identity's tokens for up to 24 hours. Otherwise the role was never assigned (a managed identity has no 'Grant admin consent' button), or the identity uses RBAC for Applications, where tokens carry no roles.",
                "If you granted SMTP.SendAsApp recently, wait (up to 24 hours) or restart the Azure resource (VM, App Service, Function) so it gets a fresh token. Otherwise assign it: New-MgServicePrincipalAppRoleAssignment -ServicePrincipalId <managed identity object id> -PrincipalId <same id> -ResourceId <Office 365 Exchange Online service principal id> -AppRoleId <id of SMTP.SendAsApp>."));
            return;
        }

        if (claims.Roles.Count == 0)
        {
            // Both are legitimate readings of the same token (EXCHANGE-FACTS 6.4); only the tenant can tell.
            findings.Add(new SmtpTokenFinding(
                "SendAsAppMissing",
                SmtpTokenFindingSeverity.Warning,
                "The app-only token has no roles, so it lacks SMTP.SendAsApp. Either admin consent for the SMTP.SendAsApp permission of 'Office 365 Exchange Online' is missing (then SMTP answers 535 5.7.3), or the app uses RBAC for Applications, where the token has no roles and an 'Application SMTP.SendAsApp' management role assignment grants the mailbox.",
                "Classic route: in Entra ID > App registrations > API permissions add Office 365 Exchange Online > Application permissions > SMTP.SendAsApp and select 'Grant admin consent'. RBAC route: check with Test-ServicePrincipalAuthorization -Identity <service principal> -Resource <mailbox>."));
            return;
        }

        findings.Add(new SmtpTokenFinding(
            "SendAsAppMissing",
            SmtpTokenFindingSeverity.Error,
            $"The app-only token has the roles {string.Join(", ", claims.Roles)} but not SMTP.SendAsApp: Exchange checks mailbox permissions for SMTP.SendAsApp and answers 535 5.7.3.",
            "Add Office 365 Exchange Online > Application permissions > SMTP.SendAsApp to the app registration and grant admin consent; then get a new token with -ForceRefresh."));
    }

    private static void AssessDelegated(TokenClaims claims, List<SmtpTokenFinding> findings)
    {
        if (claims.Scopes.Any(s => string.Equals(s, SendScope, StringComparison.OrdinalIgnoreCase)))
        {
            return;
        }

        findings.Add(new SmtpTokenFinding(
            "SmtpSendScopeMissing",
            SmtpTokenFindingSeverity.Error,
            claims.Scopes.Count == 0
                ? "The delegated token has no scopes (scp), so it lacks SMTP.Send: Exchange answers 535 5.7.3."
                : $"The delegated token has the scopes {string.Join(" ", claims.Scopes)} but not SMTP.Send: Exchange answers 535 5.7.3.",
            $"Add Office 365 Exchange Online > Delegated permissions > SMTP.Send to the app registration, grant consent, and request the scope {CloudEndpoints.Global.DelegatedScope} offline_access."));
    }

    private static string Describe(TimeSpan span) =>
        span.TotalDays >= 1 ? $"{(int)span.TotalDays} day(s)"
        : span.TotalHours >= 1 ? $"{(int)span.TotalHours} hour(s)"
        : span.TotalMinutes >= 1 ? $"{(int)span.TotalMinutes} minute(s)"
        : $"{(int)Math.Max(0, span.TotalSeconds)} second(s)";
}
