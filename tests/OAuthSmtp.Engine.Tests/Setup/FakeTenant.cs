using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using OAuthSmtp.Engine.Errors;
using OAuthSmtp.Engine.Profiles;
using OAuthSmtp.Engine.Sending;
using OAuthSmtp.Engine.Setup;
using OAuthSmtp.Engine.Setup.Entra;
using OAuthSmtp.Engine.Setup.Exchange;
using OAuthSmtp.Engine.Setup.Probes;
using OAuthSmtp.Engine.Tests.Tokens;
using OAuthSmtp.Engine.Tokens;

namespace OAuthSmtp.Engine.Tests.Setup;

/// <summary>
/// A small in-memory tenant behind every seam of the doctor: Entra ID (discovery, tokens, Graph), Exchange admin
/// (reads and fixes) and an SMTP server that decides AUTH the way Exchange does (EXCHANGE-FACTS 3 and 6), so the
/// doctor's verdicts can be compared with what SMTP would really say.
/// </summary>
internal sealed class FakeTenant : IExchangeAdmin, ISetupTokenSource, ITenantDiscovery, ISmtpProbe, IEntraDirectory
{
    public const string TenantId = "8f5a3c1e-2b4d-4e6f-9a0b-1c2d3e4f5a6b";
    public const string Mailbox = "alerts@contoso.com";
    public const string Shared = "sales@contoso.com";
    public const string Billing = "billing@contoso.com";
    public static readonly string ClientId = "11111111-2222-3333-4444-555555555555";
    public static readonly string AppObjectId = "aaaaaaaa-0000-0000-0000-000000000001";
    public static readonly string EnterpriseObjectId = "bbbbbbbb-0000-0000-0000-000000000002";

    public DateTimeOffset Now { get; set; } = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    // Entra side.
    public bool TenantExists { get; set; } = true;
    public bool Consented { get; set; } = true;
    public string? TokenErrorId { get; set; }

    /// <summary>When set, decides consent and the token error at each token request (an Entra directory behind it).</summary>
    public Func<bool>? ConsentedNow { get; set; }

    public Func<string?>? TokenErrorNow { get; set; }
    public bool GraphReadable { get; set; } = true;
    public DateTimeOffset SecretEnds { get; set; } = new(2026, 9, 1, 0, 0, 0, TimeSpan.Zero);
    public bool SecurityDefaults { get; set; }

    // Exchange side.
    public List<ExchangeServicePrincipalRecord> ServicePrincipals { get; } = new();
    public Dictionary<string, string> Mailboxes { get; } = new(StringComparer.OrdinalIgnoreCase) { [Mailbox] = "UserMailbox", [Shared] = "SharedMailbox", [Billing] = "SharedMailbox" };

    /// <summary>User mailboxes whose user holds no licence (SKUAssigned False); shared mailboxes never have one.</summary>
    public HashSet<string> Unlicensed { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Licensed in Get-Mailbox, but the licence has not reached SMTP yet (EXCHANGE-FACTS §8: up to 24 h).</summary>
    public HashSet<string> LicenceNotPropagated { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The profile is a managed identity's (no Graph, no secret).</summary>
    public bool ManagedIdentity { get; set; }
    public List<MailboxPermissionRecord> MailboxPermissions { get; } = new();
    public List<RecipientPermissionRecord> RecipientPermissions { get; } = new();
    public bool OrganizationSmtpAuthDisabled { get; set; } = true;
    public Dictionary<string, bool?> MailboxSmtpAuthDisabled { get; } = new(StringComparer.OrdinalIgnoreCase);
    public List<(string Scope, string Filter)> Scopes { get; } = new();
    public List<(string Name, string App, string Scope)> RoleAssignments { get; } = new();

    /// <summary>Changes made through the fix operations but not yet seen by SMTP (propagation).</summary>
    public bool PropagationPending { get; set; }
    public List<string> Commands { get; } = new();
    public int SmtpAuthentications { get; private set; }
    public List<(string From, string To)> Delivered { get; } = new();

    public static FakeTenant Ready()
    {
        var tenant = new FakeTenant();
        tenant.ServicePrincipals.Add(new ExchangeServicePrincipalRecord(EnterpriseObjectId, ClientId, EnterpriseObjectId, "Mailer"));
        tenant.MailboxPermissions.Add(new MailboxPermissionRecord(Mailbox, EnterpriseObjectId, new[] { "FullAccess" }, false, false));
        tenant.MailboxSmtpAuthDisabled[Mailbox] = false;
        return tenant;
    }

    /// <summary>After the Entra portal steps only (app, secret, consent), as the emulator's Fresh scenario.</summary>
    public static FakeTenant Fresh() => new();

    public SmtpOAuthProfile Profile() => new()
    {
        Name = "Mail",
        TenantId = TenantId,
        ClientId = Guid.Parse(ClientId),
        CredentialKind = ManagedIdentity ? CredentialKind.SystemManagedIdentity : CredentialKind.ClientSecret,
        Mailbox = Mailbox,
    };

    public SetupServices Services(bool exchangeConnected = true) => new(this, this, this, (_, _) => this)
    {
        Exchange = exchangeConnected ? this : null,
        UtcNow = () => Now,
    };

    // ISetupTokenSource
    public string? ClientSecretHint => "abc";
    public DateTimeOffset? CertificateNotAfter => null;
    public string? CertificateThumbprint => null;

    public Task<AccessToken> GetSmtpTokenAsync(CancellationToken cancellationToken)
    {
        var tokenError = TokenErrorNow is null ? TokenErrorId : TokenErrorNow();
        if (tokenError is not null)
        {
            throw new OAuthSmtpException(tokenError, ErrorKind.AuthenticationError, "Entra ID refused: " + tokenError + ".", "Fix for " + tokenError);
        }

        var exp = Now.AddHours(1);
        var jwt = (ConsentedNow?.Invoke() ?? Consented)
            ? TestJwt.Create(new { aud = "https://outlook.office365.com", tid = TenantId, appid = ClientId, oid = EnterpriseObjectId, sub = EnterpriseObjectId, idtyp = "app", roles = new[] { "SMTP.SendAsApp" }, exp = TestJwt.Unix(exp), appidacr = "1" })
            : TestJwt.Create(new { aud = "https://outlook.office365.com", tid = TenantId, appid = ClientId, oid = EnterpriseObjectId, sub = EnterpriseObjectId, idtyp = "app", exp = TestJwt.Unix(exp), appidacr = "1" });
        return Task.FromResult(new AccessToken(jwt, exp));
    }

    public Task<AccessToken?> GetGraphTokenAsync(string scope, CancellationToken cancellationToken) =>
        Task.FromResult(GraphReadable ? new AccessToken("graph-token", Now.AddHours(1)) : null);

    // ITenantDiscovery
    public Task<TenantDiscoveryResult> DiscoverAsync(Uri authorityHost, string tenant, CancellationToken cancellationToken) =>
        Task.FromResult(TenantExists ? TenantDiscoveryResult.Exists(TenantId, $"https://login.microsoftonline.com/{TenantId}/v2.0") : TenantDiscoveryResult.Refused(90002, "AADSTS90002: Tenant not found."));

    // IEntraDirectory
    public Task<EntraApplicationRecord?> GetApplicationAsync(string appId, CancellationToken cancellationToken) =>
        Task.FromResult<EntraApplicationRecord?>(new EntraApplicationRecord(AppObjectId, ClientId, "Mailer", new[] { new EntraCredentialRecord("key-1", "oauthsmtp", "abc", SecretEnds) }, Array.Empty<EntraCredentialRecord>()));

    public Task<EntraServicePrincipalRecord?> GetServicePrincipalAsync(string appId, CancellationToken cancellationToken) =>
        Task.FromResult<EntraServicePrincipalRecord?>(new EntraServicePrincipalRecord(EnterpriseObjectId, ClientId, "Mailer", true));

    public Task<bool?> GetSecurityDefaultsEnabledAsync(CancellationToken cancellationToken) => Task.FromResult<bool?>(SecurityDefaults);

    public Task<IReadOnlyList<string>?> GetEnabledConditionalAccessPolicyNamesAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<string>?>(Array.Empty<string>());

    // IExchangeAdmin reads
    public IReadOnlyList<ExchangeServicePrincipalRecord> GetServicePrincipals() => ServicePrincipals.ToList();

    public ExchangeMailboxRecord? GetMailbox(string identity) =>
        Mailboxes.TryGetValue(identity, out var type)
            ? new ExchangeMailboxRecord(identity.Split('@')[0], identity, identity, type, ObjectIdOf(identity), new[] { "SMTP:" + identity }, type == "UserMailbox" && !Unlicensed.Contains(identity))
            : null;

    /// <summary>A stable Entra object id per mailbox user.</summary>
    public static string ObjectIdOf(string mailbox) => new Guid(System.Security.Cryptography.MD5.HashData(System.Text.Encoding.UTF8.GetBytes(mailbox.ToLowerInvariant()))).ToString();

    public IReadOnlyList<MailboxPermissionRecord> GetMailboxPermissions(string mailbox) =>
        MailboxPermissions.Where(p => Same(p.Identity, mailbox)).ToList();

    public IReadOnlyList<RecipientPermissionRecord> GetRecipientPermissions(string identity) =>
        RecipientPermissions.Where(p => Same(p.Identity, identity)).ToList();

    public bool? GetMailboxSmtpClientAuthenticationDisabled(string mailbox) => MailboxSmtpAuthDisabled.TryGetValue(mailbox, out var value) ? value : null;

    public bool GetOrganizationSmtpClientAuthenticationDisabled() => OrganizationSmtpAuthDisabled;

    public IReadOnlyList<ServicePrincipalAuthorizationRecord>? TestServicePrincipalAuthorization(string servicePrincipal, string mailbox)
    {
        if (!ServicePrincipals.Any(sp => Same(sp.ObjectId, servicePrincipal)))
        {
            throw new ExchangeAdminException("Test-ServicePrincipalAuthorization", $"The operation couldn't be performed because object '{servicePrincipal}' couldn't be found.");
        }

        return RoleAssignments.Where(a => Same(a.App, servicePrincipal))
            .Select(a => new ServicePrincipalAuthorizationRecord(ServicePrincipalAuthorizationRecord.SmtpSendAsAppRole, a.Scope, "CustomRecipientScope", InScope(a.Scope, mailbox) ? "True" : "False"))
            .ToList();
    }

    // IExchangeAdmin fixes
    public void NewServicePrincipal(string appId, string objectId, string displayName)
    {
        Commands.Add($"New-ServicePrincipal {appId} {objectId}");
        ServicePrincipals.Add(new ExchangeServicePrincipalRecord(objectId, appId, objectId, displayName));
    }

    public void RemoveServicePrincipal(string identity)
    {
        Commands.Add($"Remove-ServicePrincipal {identity}");
        ServicePrincipals.RemoveAll(sp => Same(sp.Identity, identity) || Same(sp.ObjectId, identity));
    }

    public void AddMailboxPermission(string mailbox, string user)
    {
        Commands.Add($"Add-MailboxPermission {mailbox} {user}");
        MailboxPermissions.Add(new MailboxPermissionRecord(mailbox, user, new[] { "FullAccess" }, false, false));
    }

    public void SetMailboxSmtpClientAuthenticationDisabled(string mailbox, bool disabled)
    {
        Commands.Add($"Set-CASMailbox {mailbox} {disabled}");
        MailboxSmtpAuthDisabled[mailbox] = disabled;
    }

    public void AddRecipientPermission(string identity, string trustee)
    {
        Commands.Add($"Add-RecipientPermission {identity} {trustee}");
        RecipientPermissions.Add(new RecipientPermissionRecord(identity, trustee, new[] { "SendAs" }, "Allow"));
    }

    public void NewManagementScope(string name, string recipientRestrictionFilter)
    {
        Commands.Add($"New-ManagementScope {name}");
        Scopes.Add((name, recipientRestrictionFilter));
    }

    public void NewManagementRoleAssignment(string name, string role, string app, string customResourceScope)
    {
        Commands.Add($"New-ManagementRoleAssignment {name} {app} {customResourceScope}");
        RoleAssignments.Add((name, app, customResourceScope));
    }

    // ISmtpProbe: Exchange's AUTH decision (EXCHANGE-FACTS 3, 6.3, 6.4).
    public Task<SmtpHandshakeResult> HandshakeAsync(string server, int port, string mailbox, AccessToken token, CancellationToken cancellationToken)
    {
        SmtpAuthentications++;
        var refusal = Refusal(mailbox, token);
        if (refusal is not null)
        {
            throw SmtpReplyTranslator.Translate(SmtpReply.Parse(refusal, SmtpStage.Authenticate), new SmtpReplyTranslator.Context(mailbox));
        }

        return Task.FromResult(new SmtpHandshakeResult(server, port, "Tls13", "LOGIN XOAUTH2", "235 2.7.0 Authentication successful"));
    }

    public Task<string> SendTestMessageAsync(string server, int port, string mailbox, AccessToken token, string from, string recipient, CancellationToken cancellationToken)
    {
        var refusal = Refusal(mailbox, token);
        if (refusal is not null)
        {
            throw SmtpReplyTranslator.Translate(SmtpReply.Parse(refusal, SmtpStage.MailFrom), new SmtpReplyTranslator.Context(mailbox, from));
        }

        // The store refuses an unlicensed user mailbox after the data (EXCHANGE-FACTS 5a; the one-off text is inferred).
        if (Unlicensed.Contains(mailbox) || LicenceNotPropagated.Contains(mailbox))
        {
            const string InvalidLicense = "554 5.2.0 STOREDRV.Submission.Exception:InvalidLicenseException; Failed to process message due to a permanent exception with message [BeginDiagnosticData]The license is invalid for this mailbox.[EndDiagnosticData] [FAKE]";
            throw SmtpReplyTranslator.Translate(SmtpReply.Parse(InvalidLicense, SmtpStage.Data), new SmtpReplyTranslator.Context(mailbox, from));
        }

        // Send As is checked for the authenticating mailbox (user=), after the data (EXCHANGE-FACTS 5a, 6.2).
        if (!Same(from, mailbox) && !RecipientPermissions.Any(p => Same(p.Identity, from) && Same(p.Trustee, mailbox)))
        {
            const string Denied = "554 5.2.0 STOREDRV.Submission.Exception:SendAsDeniedException.MapiExceptionSendAsDenied; Failed to process message due to a permanent exception with message [BeginDiagnosticData]Cannot submit message. [FAKE]";
            throw SmtpReplyTranslator.Translate(SmtpReply.Parse(Denied, SmtpStage.Data), new SmtpReplyTranslator.Context(mailbox, from));
        }

        Delivered.Add((from, recipient));
        return Task.FromResult("250 2.0.0 OK");
    }

    private string? Refusal(string mailbox, AccessToken token)
    {
        var claims = JwtClaimsDecoder.Decode(token.Value);
        const string Failed = "535 5.7.3 Authentication unsuccessful [FAKE.prod.outlook.com]";
        if (PropagationPending)
        {
            return Failed;
        }

        var sp = ServicePrincipals.FirstOrDefault(s => Same(s.ObjectId, claims.ObjectId));
        if (sp is null)
        {
            return Failed;
        }

        var permitted = claims.Roles.Contains("SMTP.SendAsApp")
            ? MailboxPermissions.Any(p => Same(p.Identity, mailbox) && p.GrantsFullAccess && !p.Deny && (Same(p.User, sp.ObjectId) || Same(p.User, sp.AppId)))
            : RoleAssignments.Any(a => Same(a.App, sp.ObjectId) && InScope(a.Scope, mailbox));
        if (!permitted)
        {
            return Failed;
        }

        var perMailbox = GetMailboxSmtpClientAuthenticationDisabled(mailbox);
        if (perMailbox == true)
        {
            return "535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Mailbox. Visit https://aka.ms/smtp_auth_disabled for more information. [FAKE]";
        }

        if (perMailbox is null && OrganizationSmtpAuthDisabled)
        {
            return "535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant. Visit https://aka.ms/smtp_auth_disabled for more information. [FAKE]";
        }

        return null;
    }

    private bool InScope(string scope, string mailbox) =>
        Scopes.Any(s => Same(s.Scope, scope) && s.Filter.IndexOf("'" + mailbox + "'", StringComparison.OrdinalIgnoreCase) >= 0);

    private static bool Same(string? a, string? b) => string.Equals(a?.Trim(), b?.Trim(), StringComparison.OrdinalIgnoreCase);
}
