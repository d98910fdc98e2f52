using System;
using System.Collections.Generic;
using System.Linq;
using OAuthSmtp.Emulator.Model;

namespace OAuthSmtp.Emulator.Smtp;

/// <summary>
/// Decides AUTH, MAIL FROM and the From header as Exchange Online does (EXCHANGE-FACTS §3, §5a, §6), reading the
/// tenant model at the moment of each decision and honouring each grant's EffectiveAt (propagation).
/// OAuth order: token genuine and current, tenant, audience; mailbox; roles or scp; Exchange service principal by
/// the token's oid; FullAccess or RBAC scope (app) / own mailbox or FullAccess (delegated); SMTP AUTH switch.
/// </summary>
public sealed class TenantSubmissionPolicy : ISubmissionPolicy
{
    /// <summary>The app role a classic app-only token must carry.</summary>
    public const string SendAsAppRole = "SMTP.SendAsApp";

    /// <summary>The delegated scope a user token must carry.</summary>
    public const string SendScope = "SMTP.Send";

    private const string SendAsDiagnostic =
        "[BeginDiagnosticData]Cannot submit message. 0.35250:1F009983, 1.36674:0A000000, 1.61250:00000000[EndDiagnosticData]";

    /// <summary>aud values that name Exchange Online: the v1 resource URIs per cloud (§1) and the resource app id.</summary>
    private static readonly HashSet<string> ExchangeAudiences = new(StringComparer.OrdinalIgnoreCase)
    {
        "https://outlook.office365.com", "https://outlook.office.com", "https://outlook.office365.us",
        "https://outlook-dod.office365.us", "https://partner.outlook.cn", TenantModel.ExchangeResourceAppId.ToString(),
    };

    private readonly TenantModel _tenant;
    private readonly AccessTokenValidator _validator;
    private readonly SmtpBehaviorSettings _settings;

    public TenantSubmissionPolicy(TenantModel tenant, AccessTokenValidator validator, SmtpBehaviorSettings settings)
    {
        _tenant = tenant ?? throw new ArgumentNullException(nameof(tenant));
        _validator = validator ?? throw new ArgumentNullException(nameof(validator));
        _settings = settings ?? throw new ArgumentNullException(nameof(settings));
    }

    // ---- replies (§5a) ----

    public static SmtpReply AuthenticationUnsuccessful { get; } = new(535, "5.7.3 Authentication unsuccessful", AppendHostTag: true);

    public static SmtpReply SmtpAuthDisabledForTenant { get; } = new(535,
        "5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant. Visit https://aka.ms/smtp_auth_disabled for more information.", AppendHostTag: true);

    public static SmtpReply SmtpAuthDisabledForMailbox { get; } = new(535,
        "5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Mailbox. Visit https://aka.ms/smtp_auth_disabled for more information.", AppendHostTag: true);

    public static SmtpReply BasicAuthenticationDisabled { get; } = new(535, "5.7.139 Authentication unsuccessful, basic authentication is disabled.", AppendHostTag: true);

    public static SmtpReply LockedBySecurityDefaults { get; } = new(535,
        "5.7.139 Authentication unsuccessful, user is locked by your organization's security defaults policy. Contact your administrator.", AppendHostTag: true);

    public static SmtpReply CriteriaNotMet { get; } = new(535,
        "5.7.139 Authentication unsuccessful, the request did not meet the criteria to be authenticated successfully. Contact your administrator.", AppendHostTag: true);

    public static SmtpReply CredentialsIncorrect { get; } = new(535, "5.7.139 Authentication unsuccessful, the user credentials were incorrect.", AppendHostTag: true);

    public static SmtpReply BasicAuthenticationNotSupported { get; } = new(550, "5.7.30 Basic authentication is not supported for Client Submission.");

    /// <summary>Send As refused, older form [DOC: PRINTER-DOC; OBS: PHPMailer#1231]; the logs show it at the end of the data.</summary>
    public static SmtpReply SendAsDeniedForSender { get; } = new(550, "5.7.60 SMTP; Client does not have permissions to send as this sender", AppendHostTag: true)
    {
        CountsTowards = ContinuousErrorKind.SendAsDenied,
    };

    /// <summary>
    /// Send As refused, current form, verbatim up to the shortened diagnostic codes [OBS: FusionAuth/fusionauth-issues#220 (2019),
    /// jstedfast/MailKit#1176 (2021), MicrosoftDocs/OfficeDocs-Support#1187 (2021), Notifuse/notifuse#250 (2026)]. Unlike the
    /// 5.2.252 form it has no [BeginDiagnosticData] marker: the message runs straight into the codes.
    /// </summary>
    public static SmtpReply SendAsDeniedCurrent { get; } = new(554,
        "5.2.0 STOREDRV.Submission.Exception:SendAsDeniedException.MapiExceptionSendAsDenied; Failed to process message due to a permanent exception with message Cannot submit message. 0.35250:0A007C85, 1.36674:0A000000, 1.61250:00000000, 1.45378:02000000",
        AppendHostTag: true)
    {
        CountsTowards = ContinuousErrorKind.SendAsDenied,
    };

    /// <summary>
    /// Over the mailbox's MaxSendSize [OBS: pankleks/pm2-health#52, text after the code verbatim]; the code was not in
    /// the log, 554 5.2.0 is inferred from the other STOREDRV.Submission refusals.
    /// </summary>
    public static SmtpReply MaxSubmissionExceeded { get; } = new(554,
        "5.2.0 MapiExceptionMaxSubmissionExceeded; Message size exceeds maximum size limit.; STOREDRV.Submission.Exception:MessageSubmissionExceededException.MapiExceptionMaxSubmissionExceeded; Failed to process message due to a permanent exception with message [BeginDiagnosticData]Cannot save changes made to an item to store.",
        AppendHostTag: true);

    public static SmtpReply Authenticated { get; } = new(235, "2.7.0 Authentication successful");

    /// <summary>Send As refused, the form with the names [OBS: gophish/gophish#2900].</summary>
    public static SmtpReply SendAsDenied(string authenticatedUser, string from) => new(554,
        $"5.2.252 SendAsDenied; {authenticatedUser} not allowed to send as {from}; STOREDRV.Submission.Exception:SendAsDeniedException.MapiExceptionSendAsDenied; Failed to process message due to a permanent exception with message {SendAsDiagnostic}",
        AppendHostTag: true)
    {
        CountsTowards = ContinuousErrorKind.SendAsDenied,
    };

    /// <summary>ProhibitSend reached [DOC: THROTTLE-DOC, the "…MapiExceptionQuotaExceeded" variant].</summary>
    public static SmtpReply MailboxFullProhibitSend { get; } = new(554,
        "5.2.2 mailbox full; STOREDRV.Submission.Exception:QuotaExceededException.MapiExceptionQuotaExceeded", AppendHostTag: true)
    {
        CountsTowards = ContinuousErrorKind.MailboxFull,
    };

    /// <summary>ProhibitSendReceive (shut-off) quota reached [DOC: THROTTLE-DOC].</summary>
    public static SmtpReply MailboxFullShutoff { get; } = new(554,
        "5.2.2 mailbox full; STOREDRV.Submission.Exception:QuotaExceededException.MapiExceptionShutoffQuotaExceeded", AppendHostTag: true)
    {
        CountsTowards = ContinuousErrorKind.MailboxFull,
    };

    // The rows below reach a real sender as an NDR after the message was accepted; the emulator answers them at end of data.

    /// <summary>The real service's AS code varies; AS(7230) is the one in the recorded sample.</summary>
    public static SmtpReply TrafficNotAcceptedFromIp { get; } = new(550,
        "5.7.708 Service unavailable. Access denied, traffic not accepted from this IP. For more information please go to http://go.microsoft.com/fwlink/?LinkId=526653 AS(7230)");

    public static SmtpReply TenantExceededThreshold { get; } = new(550, "5.7.705 Access denied, tenant has exceeded threshold");

    public static SmtpReply SpamAbuseDetected { get; } = new(550, "5.7.501 Access denied, spam abuse detected");

    public static SmtpReply BadOutboundSender { get; } = new(550, "5.1.8 Bad outbound sender");

    public static SmtpReply ExternalForwardingNotAllowed { get; } = new(550,
        "5.7.520 Access denied, Your organization does not allow external forwarding. Please contact your administrator for further assistance. AS(7555)");

    /// <summary>Reputation throttling [OBS inbound; UNCONFIRMED on submission], with the client's address.</summary>
    public static SmtpReply RateLimitedByIpReputation(string clientAddress) => new(451,
        $"4.7.650 The mail server [{clientAddress}] has been temporarily rate limited due to IP reputation. For e-mail delivery information, see https://aka.ms/postmaster (S775)");

    // ---- AUTH ----

    public AuthDecision AuthenticateOAuth(string user, string accessToken)
    {
        var token = _validator.Validate(accessToken, out var failure);
        if (token is null) return Refuse(failure);

        lock (_tenant.SyncRoot)
        {
            if (token.TenantId != _tenant.Tenant.TenantId) return Refuse($"The token is for tenant {token.TenantId}, not this tenant ({_tenant.Tenant.TenantId}).");
            if (!ExchangeAudiences.Contains(token.Audience.TrimEnd('/')))
            {
                return Refuse($"The token's audience is '{token.Audience}', not Exchange Online (https://outlook.office365.com); request the scope https://outlook.office365.com/.default.");
            }

            var mailbox = FindEffectiveMailbox(user);
            if (mailbox is null) return Refuse($"user={user} names no mailbox (or the mailbox is too new to have propagated).");

            var isApplication = token.IsAppOnly || (token.Scopes.Count == 0 && token.Upn is null);
            var decision = isApplication ? AuthorizeApplication(token, mailbox) : AuthorizeUser(token, mailbox);
            if (decision is not null) return decision;

            var disabled = SmtpAuthDisabledReply(mailbox);
            if (disabled is not null) return disabled;

            var principal = isApplication
                ? new AuthenticatedPrincipal(mailbox.PrimarySmtpAddress, token.ObjectId.ToString(), IsApplication: true,
                    TenantQueries.FindServicePrincipalByObjectId(_tenant, token.ObjectId.ToString(), effectiveOnly: true)?.DisplayName ?? "")
                : new AuthenticatedPrincipal(mailbox.PrimarySmtpAddress, token.ObjectId.ToString(), IsApplication: false, token.Upn ?? "")
                {
                    UserPrincipalName = token.Upn,
                };
            return new AuthDecision(principal, Authenticated) { Reason = isApplication ? "app-only token accepted" : "delegated token accepted" };
        }
    }

    private AuthDecision? AuthorizeApplication(ValidatedAccessToken token, Mailbox mailbox)
    {
        var hasSendAsAppRole = token.Roles.Contains(SendAsAppRole, StringComparer.Ordinal);
        var objectId = token.ObjectId.ToString();
        var servicePrincipal = TenantQueries.FindServicePrincipalByObjectId(_tenant, objectId, effectiveOnly: true);
        if (servicePrincipal is null) return Refuse(MissingServicePrincipalReason(token));

        if (hasSendAsAppRole)
        {
            // Classic route. With SMTP.SendAsApp in roles the mailbox-permission check runs, so an RBAC scope alone does not do (§6.4).
            if (TenantQueries.HasFullAccess(_tenant, mailbox, servicePrincipal, effectiveOnly: true)) return null;
            if (TenantQueries.HasFullAccess(_tenant, mailbox, servicePrincipal, effectiveOnly: false))
            {
                return Refuse($"FullAccess of {servicePrincipal.ObjectId} on {mailbox.PrimarySmtpAddress} has not propagated yet.");
            }

            var rbacOnly = TenantQueries.IsInSmtpRbacScope(_tenant, mailbox, servicePrincipal, effectiveOnly: true);
            return Refuse(rbacOnly
                ? $"The token carries SMTP.SendAsApp, so FullAccess on {mailbox.PrimarySmtpAddress} is required; the RBAC scope alone does not count (remove the API permission to use RBAC for Applications)."
                : $"Service principal {servicePrincipal.ObjectId} holds no FullAccess on {mailbox.PrimarySmtpAddress}.");
        }

        // RBAC for Applications: no SMTP.SendAsApp role, an "Application SMTP.SendAsApp" assignment scoped over the mailbox.
        if (TenantQueries.IsInSmtpRbacScope(_tenant, mailbox, servicePrincipal, effectiveOnly: true)) return null;
        if (TenantQueries.IsInSmtpRbacScope(_tenant, mailbox, servicePrincipal, effectiveOnly: false))
        {
            return Refuse($"The RBAC assignment covering {mailbox.PrimarySmtpAddress} has not propagated yet.");
        }

        return Refuse(token.HasRolesClaim
            ? $"The token's roles ({string.Join(", ", token.Roles)}) lack SMTP.SendAsApp and no Application SMTP.SendAsApp assignment covers {mailbox.PrimarySmtpAddress}."
            : $"The token has no roles (admin consent missing?) and no Application SMTP.SendAsApp assignment covers {mailbox.PrimarySmtpAddress}.");
    }

    private string MissingServicePrincipalReason(ValidatedAccessToken token)
    {
        var objectId = token.ObjectId.ToString();
        if (TenantQueries.FindServicePrincipalByObjectId(_tenant, objectId, effectiveOnly: false) is not null)
        {
            return $"The Exchange service principal with ObjectId {objectId} has not propagated yet.";
        }

        var appObjectIds = _tenant.Applications.Where(a => a.AppId == token.AppId).Select(a => a.ObjectId.ToString()).ToList();
        var registered = _tenant.ExchangeServicePrincipals.FirstOrDefault(sp =>
            string.Equals(sp.AppId, token.AppId.ToString(), StringComparison.OrdinalIgnoreCase));
        if (registered is not null && appObjectIds.Contains(registered.ObjectId, StringComparer.OrdinalIgnoreCase))
        {
            return $"The Exchange service principal for app {token.AppId} was registered with the app registration's object id ({registered.ObjectId}), not the enterprise application's ({objectId}).";
        }

        return registered is not null
            ? $"The Exchange service principal for app {token.AppId} has ObjectId {registered.ObjectId}, but the token's oid is {objectId}."
            : $"No Exchange service principal has ObjectId {objectId} (New-ServicePrincipal was not run).";
    }

    private AuthDecision? AuthorizeUser(ValidatedAccessToken token, Mailbox mailbox)
    {
        if (!token.Scopes.Contains(SendScope, StringComparer.OrdinalIgnoreCase))
        {
            return Refuse($"The delegated token's scp ({string.Join(" ", token.Scopes)}) lacks SMTP.Send.");
        }

        var userMailbox = FindUserMailbox(token.ObjectId, token.Upn);
        if (userMailbox is not null && ReferenceEquals(userMailbox, mailbox)) return null;
        if (TenantQueries.HasFullAccess(_tenant, mailbox, trustee => UserTrusteeMatches(trustee, token.Upn, userMailbox), effectiveOnly: true)) return null;
        return Refuse($"user={mailbox.PrimarySmtpAddress} is not the signed-in user ({token.Upn}) and the user holds no FullAccess on it.");
    }

    public AuthDecision AuthenticateBasic(string user, string password)
    {
        if (_settings.BasicAuthRetired) return new AuthDecision(null, BasicAuthenticationNotSupported) { Reason = "Basic SMTP AUTH is retired (setting BasicAuthRetired)." };

        lock (_tenant.SyncRoot)
        {
            if (_tenant.Tenant.SecurityDefaultsEnabled) return Refuse(LockedBySecurityDefaults, "Security defaults block Basic authentication.");

            var mailbox = FindEffectiveMailbox(user);
            var policyName = mailbox?.AuthenticationPolicy ?? _tenant.DefaultAuthenticationPolicy;
            if (!string.IsNullOrEmpty(policyName))
            {
                var policy = _tenant.AuthenticationPolicies.FirstOrDefault(p =>
                    string.Equals(p.Name, policyName, StringComparison.OrdinalIgnoreCase) || string.Equals(p.Guid.ToString(), policyName, StringComparison.OrdinalIgnoreCase));
                if (policy is not null && !policy.AllowBasicAuthSmtp)
                {
                    return Refuse(BasicAuthenticationDisabled, $"Authentication policy '{policy.Name}' does not allow Basic SMTP AUTH.");
                }
            }

            var account = mailbox is null ? null : _tenant.Users.FirstOrDefault(u =>
                string.Equals(u.UserPrincipalName, mailbox.UserPrincipalName, StringComparison.OrdinalIgnoreCase) || u.ObjectId == mailbox.ExternalDirectoryObjectId);
            if (mailbox is null || account is null || account.Password is null || account.Password != password || !account.AccountEnabled)
            {
                return Refuse(CredentialsIncorrect, $"No enabled account with that password signs in as {user}.");
            }

            var conditionalAccess = _tenant.Tenant.ConditionalAccessBlock || account.MfaRequired ||
                _tenant.ConditionalAccessPolicies.Any(p => string.Equals(p.State, "enabled", StringComparison.OrdinalIgnoreCase));
            if (conditionalAccess) return Refuse(CriteriaNotMet, "Conditional Access or MFA refuses Basic authentication for this user.");

            var disabled = SmtpAuthDisabledReply(mailbox);
            if (disabled is not null) return disabled;

            var principal = new AuthenticatedPrincipal(mailbox.PrimarySmtpAddress, account.ObjectId.ToString(), IsApplication: false, account.DisplayName)
            {
                UserPrincipalName = account.UserPrincipalName,
            };
            return new AuthDecision(principal, Authenticated) { Reason = "Basic authentication accepted" };
        }
    }

    private AuthDecision? SmtpAuthDisabledReply(Mailbox mailbox)
    {
        if (TenantQueries.IsSmtpClientAuthenticationEnabled(_tenant, mailbox)) return null;
        return TenantQueries.EffectiveMailboxSmtpClientAuthenticationDisabled(_tenant, mailbox) == true
            ? Refuse(SmtpAuthDisabledForMailbox, $"SmtpClientAuthenticationDisabled is $true on {mailbox.PrimarySmtpAddress}.")
            : Refuse(SmtpAuthDisabledForTenant, $"SmtpClientAuthenticationDisabled is $true for the organisation and $null on {mailbox.PrimarySmtpAddress}.");
    }

    // ---- the message (end of data) ----

    public SmtpReply? CheckRecipient(AuthenticatedPrincipal principal, string clientAddress, string recipient)
    {
        if (!_settings.ThrottleLowReputationIpAtRcpt) return null;
        lock (_tenant.SyncRoot)
        {
            return _tenant.Tenant.LowReputationOutboundIp ? RateLimitedByIpReputation(clientAddress) : null;
        }
    }

    /// <summary>
    /// The store's checks first: an unlicensed user mailbox cannot submit, then Send As for every From address and the
    /// envelope sender, then the mailbox's MaxSendSize, then its quota (the sent copy cannot be saved); then the states
    /// EOP reports in an NDR: restricted sender, tenant blocked, outbound IP, onmicrosoft.com spam block, forwarding.
    /// </summary>
    public SmtpReply? CheckMessage(AuthenticatedPrincipal principal, SubmittedMessage message)
    {
        lock (_tenant.SyncRoot)
        {
            var mailbox = TenantQueries.FindMailbox(_tenant, principal.Mailbox);
            if (mailbox is not null && TenantQueries.NeedsLicenceToSend(mailbox) && !TenantQueries.IsLicensedForSubmission(_tenant, mailbox)) return InvalidLicense();

            var senders = message.FromHeaderAddresses.ToList();
            if (message.EnvelopeSender.Length > 0 && !senders.Contains(message.EnvelopeSender, StringComparer.OrdinalIgnoreCase)) senders.Add(message.EnvelopeSender);
            foreach (var from in senders)
            {
                if (!MaySendAs(principal, mailbox, from)) return SendAsRefusal(principal.Mailbox, from);
            }

            if (message.Size > (mailbox?.MaxSendSize ?? _settings.MaxMessageSize)) return MaxSubmissionExceeded;

            switch (mailbox?.StorageLimitStatus)
            {
                case "ProhibitSend":
                    return MailboxFullProhibitSend;
                case "MailboxDisabled" or "ProhibitSendReceive":
                    return MailboxFullShutoff;
            }

            if (mailbox is { IsRestrictedSender: true }) return BadOutboundSender;

            var tenant = _tenant.Tenant;
            if (tenant.OutboundSendingBlocked) return TenantExceededThreshold;
            if (tenant.LowReputationOutboundIp) return TrafficNotAcceptedFromIp;

            var fromAddresses = message.FromHeaderAddresses.Count > 0 ? message.FromHeaderAddresses : new[] { principal.Mailbox };
            if (tenant.InitialDomainSpamBlock && fromAddresses.Any(IsOnMicrosoftAddress)) return SpamAbuseDetected;
            if (tenant.ExternalForwardingBlocked && message.Recipients.Any(r => !IsTenantAddress(r))) return ExternalForwardingNotAllowed;
        }

        return null;
    }

    private SmtpReply SendAsRefusal(string authenticatedMailbox, string from) => _settings.SendAsDeniedReply switch
    {
        SendAsDeniedReplyForm.SendAsDenied => SendAsDenied(authenticatedMailbox, from),
        SendAsDeniedReplyForm.Legacy => SendAsDeniedForSender,
        _ => SendAsDeniedCurrent,
    };

    private SmtpReply InvalidLicense()
    {
        var text = _settings.InvalidLicenseReply;
        var code = text.Length > 3 && int.TryParse(text.AsSpan(0, 3), out var parsed) ? parsed : 554;
        return new SmtpReply(code, text.Length > 4 ? text.Substring(4) : text, AppendHostTag: true) { CountsTowards = ContinuousErrorKind.InvalidLicense };
    }

    private static bool IsOnMicrosoftAddress(string address) =>
        DomainOf(address).EndsWith(".onmicrosoft.com", StringComparison.OrdinalIgnoreCase);

    private bool IsTenantAddress(string address)
    {
        var domain = DomainOf(address);
        return string.Equals(domain, _tenant.Tenant.InitialDomain, StringComparison.OrdinalIgnoreCase)
            || _tenant.Tenant.VerifiedDomains.Contains(domain, StringComparer.OrdinalIgnoreCase);
    }

    private static string DomainOf(string address)
    {
        var at = address.LastIndexOf('@');
        return at < 0 ? "" : address.Substring(at + 1).TrimEnd('>', ' ');
    }

    /// <summary>
    /// The authenticated mailbox itself, or a recipient on which the right trustee holds an effective SendAs. With an app
    /// token the session acts as the user= mailbox, so that mailbox is the trustee; a grant to the service principal alone
    /// does not count [OBS: Notifuse/notifuse#250, the enaio guide; EXCHANGE-FACTS §6.2]. With a delegated token or Basic
    /// the signed-in user (or the user= mailbox the user acts for) is the trustee.
    /// </summary>
    private bool MaySendAs(AuthenticatedPrincipal principal, Mailbox? authenticated, string address)
    {
        if (authenticated is not null && TenantQueries.IsSameMailbox(_tenant, address, authenticated)) return true;
        if (string.Equals(address, principal.Mailbox, StringComparison.OrdinalIgnoreCase)) return true;

        var sender = TenantQueries.FindMailbox(_tenant, address);
        if (sender is null) return false;

        bool IsAuthenticatedMailbox(string trustee) => authenticated is not null && TenantQueries.TrusteeIsMailboxUser(_tenant, trustee, authenticated);
        if (principal.IsApplication) return TenantQueries.HasSendAs(_tenant, sender, IsAuthenticatedMailbox, effectiveOnly: true);

        var userMailbox = Guid.TryParse(principal.PrincipalId, out var oid) ? FindUserMailbox(oid, principal.UserPrincipalName) : null;
        return TenantQueries.HasSendAs(_tenant, sender, trustee => UserTrusteeMatches(trustee, principal.UserPrincipalName, userMailbox) || IsAuthenticatedMailbox(trustee), effectiveOnly: true);
    }

    // ---- lookups ----

    private Mailbox? FindEffectiveMailbox(string identity)
    {
        var mailbox = TenantQueries.FindMailbox(_tenant, identity);
        return mailbox is not null && _tenant.IsEffective(mailbox.EffectiveAt) ? mailbox : null;
    }

    private Mailbox? FindUserMailbox(Guid objectId, string? upn) =>
        _tenant.Mailboxes.FirstOrDefault(m => objectId != Guid.Empty && m.ExternalDirectoryObjectId == objectId)
        ?? (upn is null ? null : _tenant.Mailboxes.FirstOrDefault(m => string.Equals(m.UserPrincipalName, upn, StringComparison.OrdinalIgnoreCase)));

    private bool UserTrusteeMatches(string trustee, string? upn, Mailbox? userMailbox) =>
        (upn is not null && string.Equals(trustee.Trim(), upn, StringComparison.OrdinalIgnoreCase))
        || (userMailbox is not null && TenantQueries.TrusteeIsMailboxUser(_tenant, trustee, userMailbox));

    private static AuthDecision Refuse(string reason) => new(null, AuthenticationUnsuccessful) { Reason = reason };

    private static AuthDecision Refuse(SmtpReply reply, string reason) => new(null, reply) { Reason = reason };
}
