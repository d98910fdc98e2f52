using System;
using System.Collections.Generic;
using System.Linq;

namespace OAuthSmtp.Emulator.Model;

/// <summary>
/// Lookups over the tenant model shared by the admin cmdlets and the SMTP policy, so both resolve identities and
/// grants the same way. Every method locks <see cref="TenantModel.SyncRoot"/> itself (the lock is re-entrant, so a
/// caller that already holds it may call freely).
///
/// Conventions the admin cmdlets write (scenario builders should write the same):
/// - <see cref="MailboxPermission.MailboxIdentity"/> and <see cref="RecipientPermission.Identity"/>: the mailbox's
///   PrimarySmtpAddress (any identity form of the mailbox is matched, though).
/// - <see cref="MailboxPermission.User"/>, <see cref="RecipientPermission.Trustee"/>: for a service principal its
///   ObjectId exactly as registered with New-ServicePrincipal; for a user, the mailbox's UserPrincipalName.
/// - <see cref="ManagementRoleAssignment.App"/>: the service principal's ObjectId as registered;
///   <see cref="ManagementRoleAssignment.CustomResourceScope"/>: the management scope's Name (null = organisation).
/// </summary>
public static class TenantQueries
{
    /// <summary>The only role RBAC for Applications supports for SMTP (RBAC-SMTP-DOC).</summary>
    public const string SmtpSendAsAppRole = "Application SMTP.SendAsApp";

    /// <summary>The trustee Exchange lists on every mailbox: the mailbox's own account.</summary>
    public const string SelfTrustee = @"NT AUTHORITY\SELF";

    /// <summary>Mailboxes that an identity names: Name, Alias, DisplayName, DN, PrimarySmtpAddress, UPN, any proxy address, ExchangeGuid or ExternalDirectoryObjectId.</summary>
    public static IReadOnlyList<Mailbox> FindMailboxes(TenantModel tenant, string identity)
    {
        lock (tenant.SyncRoot)
        {
            return tenant.Mailboxes.Where(m => IsSameMailbox(tenant, identity, m)).ToList();
        }
    }

    /// <summary>The one mailbox an identity names, or null when none does.</summary>
    public static Mailbox? FindMailbox(TenantModel tenant, string identity) => FindMailboxes(tenant, identity).FirstOrDefault();

    /// <summary>A user (not shared, room or equipment) mailbox needs an Exchange licence to submit mail.</summary>
    public static bool NeedsLicenceToSend(Mailbox mailbox) =>
        string.Equals(mailbox.RecipientTypeDetails, "UserMailbox", StringComparison.OrdinalIgnoreCase);

    public static bool IsSameMailbox(TenantModel tenant, string identity, Mailbox mailbox)
    {
        if (string.IsNullOrWhiteSpace(identity)) return false;
        var value = identity.Trim();
        return RecipientFilter.IsSameRecipient(value, mailbox)
            || string.Equals(value, MailboxDistinguishedName(tenant, mailbox), StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Exchange service principals an identity names: ObjectId (= Identity, Name, ServiceId), AppId, DisplayName, Guid or DN.</summary>
    public static IReadOnlyList<ExchangeServicePrincipal> FindServicePrincipals(TenantModel tenant, string identity)
    {
        lock (tenant.SyncRoot)
        {
            return tenant.ExchangeServicePrincipals.Where(sp => IsSameServicePrincipal(tenant, identity, sp)).ToList();
        }
    }

    public static ExchangeServicePrincipal? FindServicePrincipal(TenantModel tenant, string identity) =>
        FindServicePrincipals(tenant, identity).FirstOrDefault();

    public static bool IsSameServicePrincipal(TenantModel tenant, string identity, ExchangeServicePrincipal sp)
    {
        if (string.IsNullOrWhiteSpace(identity)) return false;
        var value = identity.Trim();
        return Same(value, sp.ObjectId) || Same(value, sp.AppId) || Same(value, sp.DisplayName)
            || Same(value, sp.Guid.ToString()) || Same(value, ServicePrincipalDistinguishedName(tenant, sp));
    }

    /// <summary>The Exchange service principal a token's oid finds: exact ObjectId match, as Exchange matches it.</summary>
    public static ExchangeServicePrincipal? FindServicePrincipalByObjectId(TenantModel tenant, string objectId, bool effectiveOnly)
    {
        lock (tenant.SyncRoot)
        {
            return tenant.ExchangeServicePrincipals.FirstOrDefault(sp =>
                Same(sp.ObjectId, objectId) && (!effectiveOnly || tenant.IsEffective(sp.EffectiveAt)));
        }
    }

    /// <summary>Whether a stored trustee (MailboxPermission.User, RecipientPermission.Trustee) names this service principal.</summary>
    public static bool TrusteeIsServicePrincipal(TenantModel tenant, string trustee, ExchangeServicePrincipal sp) =>
        IsSameServicePrincipal(tenant, trustee, sp);

    /// <summary>Whether a stored trustee names this mailbox's user.</summary>
    public static bool TrusteeIsMailboxUser(TenantModel tenant, string trustee, Mailbox user) => IsSameMailbox(tenant, trustee, user);

    /// <summary>Allow entries (not Deny) with FullAccess that the trustee holds on the mailbox.</summary>
    public static bool HasFullAccess(TenantModel tenant, Mailbox mailbox, Func<string, bool> trusteeMatches, bool effectiveOnly)
    {
        lock (tenant.SyncRoot)
        {
            var relevant = tenant.MailboxPermissions
                .Where(p => IsSameMailbox(tenant, p.MailboxIdentity, mailbox) && trusteeMatches(p.User)
                    && p.AccessRights.Any(r => Same(r, "FullAccess"))
                    && (!effectiveOnly || tenant.IsEffective(p.EffectiveAt)))
                .ToList();
            return relevant.Any(p => !p.Deny) && !relevant.Any(p => p.Deny);
        }
    }

    /// <summary>FullAccess of a service principal on a mailbox (the classic SMTP app-only route).</summary>
    public static bool HasFullAccess(TenantModel tenant, Mailbox mailbox, ExchangeServicePrincipal sp, bool effectiveOnly) =>
        HasFullAccess(tenant, mailbox, trustee => TrusteeIsServicePrincipal(tenant, trustee, sp), effectiveOnly);

    /// <summary>Whether the trustee holds SendAs on the sender (Add-RecipientPermission).</summary>
    public static bool HasSendAs(TenantModel tenant, Mailbox sender, Func<string, bool> trusteeMatches, bool effectiveOnly)
    {
        lock (tenant.SyncRoot)
        {
            return tenant.RecipientPermissions.Any(p =>
                IsSameMailbox(tenant, p.Identity, sender) && trusteeMatches(p.Trustee)
                && p.AccessRights.Any(r => Same(r, "SendAs")) && Same(p.AccessControlType, "Allow")
                && (!effectiveOnly || tenant.IsEffective(p.EffectiveAt)));
        }
    }

    /// <summary>Role assignments made to this service principal with -App.</summary>
    public static IReadOnlyList<ManagementRoleAssignment> RoleAssignmentsFor(TenantModel tenant, ExchangeServicePrincipal sp, bool effectiveOnly)
    {
        lock (tenant.SyncRoot)
        {
            return tenant.ManagementRoleAssignments
                .Where(a => TrusteeIsServicePrincipal(tenant, a.App, sp) && (!effectiveOnly || tenant.IsEffective(a.EffectiveAt)))
                .ToList();
        }
    }

    public static ManagementScope? FindScope(TenantModel tenant, string name)
    {
        lock (tenant.SyncRoot)
        {
            return tenant.ManagementScopes.FirstOrDefault(s => Same(s.Name, name) || Same(s.Guid.ToString(), name));
        }
    }

    /// <summary>Whether a role assignment's scope covers the mailbox: no custom scope means the whole organisation.</summary>
    public static bool AssignmentCovers(TenantModel tenant, ManagementRoleAssignment assignment, Mailbox mailbox)
    {
        lock (tenant.SyncRoot)
        {
            if (string.IsNullOrEmpty(assignment.CustomResourceScope)) return true;
            var scope = FindScope(tenant, assignment.CustomResourceScope!);
            return scope is not null && RecipientFilter.Matches(mailbox, scope.RecipientRestrictionFilter, tenant);
        }
    }

    /// <summary>The App-RBAC route: an "Application SMTP.SendAsApp" assignment whose scope covers the mailbox.</summary>
    public static bool IsInSmtpRbacScope(TenantModel tenant, Mailbox mailbox, ExchangeServicePrincipal sp, bool effectiveOnly)
    {
        lock (tenant.SyncRoot)
        {
            return RoleAssignmentsFor(tenant, sp, effectiveOnly)
                .Any(a => Same(a.Role, SmtpSendAsAppRole) && AssignmentCovers(tenant, a, mailbox));
        }
    }

    /// <summary>The organisation's SmtpClientAuthenticationDisabled in force now (the previous value until a change propagates).</summary>
    public static bool EffectiveOrganizationSmtpClientAuthenticationDisabled(TenantModel tenant)
    {
        lock (tenant.SyncRoot)
        {
            var config = tenant.TransportConfig;
            return !tenant.IsEffective(config.EffectiveAt) && config.PreviousSmtpClientAuthenticationDisabled.HasValue
                ? config.PreviousSmtpClientAuthenticationDisabled.Value
                : config.SmtpClientAuthenticationDisabled;
        }
    }

    /// <summary>The mailbox's SmtpClientAuthenticationDisabled in force now (null follows the organisation).</summary>
    public static bool? EffectiveMailboxSmtpClientAuthenticationDisabled(TenantModel tenant, Mailbox mailbox)
    {
        lock (tenant.SyncRoot)
        {
            return tenant.IsEffective(mailbox.SmtpSettingEffectiveAt)
                ? mailbox.SmtpClientAuthenticationDisabled
                : mailbox.PreviousSmtpClientAuthenticationDisabled;
        }
    }

    /// <summary>EXCHANGE-FACTS 6.3: enabled = (mailbox value is null) ? !org : !mailbox.</summary>
    public static bool IsSmtpClientAuthenticationEnabled(TenantModel tenant, Mailbox mailbox)
    {
        var perMailbox = EffectiveMailboxSmtpClientAuthenticationDisabled(tenant, mailbox);
        return perMailbox.HasValue ? !perMailbox.Value : !EffectiveOrganizationSmtpClientAuthenticationDisabled(tenant);
    }

    /// <summary>
    /// The licence SMTP sees: Get-Mailbox shows SKUAssigned at once, but a newly assigned licence lets the mailbox
    /// submit only after the Mailbox propagation delay; a removed one stops it at once.
    /// </summary>
    public static bool IsLicensedForSubmission(TenantModel tenant, Mailbox mailbox)
    {
        lock (tenant.SyncRoot)
        {
            return mailbox.SkuAssigned && tenant.IsEffective(mailbox.LicenceEffectiveAt);
        }
    }

    /// <summary>Assigns or removes the mailbox's Exchange licence (Set-EmuMailboxState -Licensed); an assignment propagates like a new mailbox.</summary>
    public static void SetLicensed(TenantModel tenant, Mailbox mailbox, bool licensed)
    {
        lock (tenant.SyncRoot)
        {
            if (licensed && !mailbox.SkuAssigned)
            {
                mailbox.LicenceEffectiveAt = tenant.EffectiveFromNow(ChangeKind.Mailbox);
            }

            mailbox.SkuAssigned = licensed;
        }
    }

    /// <summary>Changes the mailbox's SMTP AUTH switch, keeping the value in force until the change propagates.</summary>
    public static void SetMailboxSmtpClientAuthenticationDisabled(TenantModel tenant, Mailbox mailbox, bool? value)
    {
        lock (tenant.SyncRoot)
        {
            mailbox.PreviousSmtpClientAuthenticationDisabled = EffectiveMailboxSmtpClientAuthenticationDisabled(tenant, mailbox);
            mailbox.SmtpClientAuthenticationDisabled = value;
            mailbox.SmtpSettingEffectiveAt = tenant.EffectiveFromNow(ChangeKind.CasMailbox);
        }
    }

    /// <summary>Changes the organisation's SMTP AUTH switch, keeping the value in force until the change propagates.</summary>
    public static void SetOrganizationSmtpClientAuthenticationDisabled(TenantModel tenant, bool value)
    {
        lock (tenant.SyncRoot)
        {
            var config = tenant.TransportConfig;
            config.PreviousSmtpClientAuthenticationDisabled = EffectiveOrganizationSmtpClientAuthenticationDisabled(tenant);
            config.SmtpClientAuthenticationDisabled = value;
            config.EffectiveAt = tenant.EffectiveFromNow(ChangeKind.TransportConfig);
        }
    }

    /// <summary>The directory partition every object of this tenant lives in, as Exchange Online spells it.</summary>
    public static string OrganizationDistinguishedName(TenantModel tenant) =>
        $"OU={tenant.Tenant.InitialDomain},OU=Microsoft Exchange Hosted Organizations,DC=NAMPR01A001,DC=PROD,DC=OUTLOOK,DC=COM";

    public static string MailboxDistinguishedName(TenantModel tenant, Mailbox mailbox) =>
        $"CN={RecipientFilter.NameOf(mailbox)},{OrganizationDistinguishedName(tenant)}";

    public static string ServicePrincipalDistinguishedName(TenantModel tenant, ExchangeServicePrincipal sp) =>
        $"CN={sp.ObjectId},{OrganizationDistinguishedName(tenant)}";

    private static bool Same(string? a, string? b) =>
        !string.IsNullOrEmpty(a) && !string.IsNullOrEmpty(b) && string.Equals(a!.Trim(), b!.Trim(), StringComparison.OrdinalIgnoreCase);
}
