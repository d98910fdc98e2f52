using System;
using System.Collections.Generic;

namespace OAuthSmtp.Emulator.Model;

// The tenant model's entities. Plain mutable classes guarded by TenantModel.SyncRoot.
// EffectiveAt: when a change becomes visible to SMTP/token decisions (propagation delay); admin cmdlets see it at once.

public sealed class Tenant
{
    public Guid TenantId { get; set; }
    public string InitialDomain { get; set; } = "";
    public List<string> VerifiedDomains { get; } = new();
    public string Cloud { get; set; } = "Global";
    public string DisplayName { get; set; } = "Contoso";
    public bool SecurityDefaultsEnabled { get; set; }
    /// <summary>A conditional access policy that blocks token issuance (AADSTS53003).</summary>
    public bool ConditionalAccessBlock { get; set; }
    /// <summary>EOP blocked the whole tenant from sending (spam, compromise or an expired subscription): 550 5.7.705.</summary>
    public bool OutboundSendingBlocked { get; set; }
    /// <summary>The tenant's outbound traffic comes from a low-reputation IP (new or trial tenants): 550 5.7.708.</summary>
    public bool LowReputationOutboundIp { get; set; }
    /// <summary>Spam abuse detected for mail sent from the initial *.onmicrosoft.com domain: 550 5.7.501.</summary>
    public bool InitialDomainSpamBlock { get; set; }
    /// <summary>The outbound spam policy blocks external forwarding (AutoForwardingMode Off): 550 5.7.520.</summary>
    public bool ExternalForwardingBlocked { get; set; }
    /// <summary>User settings "Users can register applications" (default Yes): any member may create app registrations.</summary>
    public bool UsersCanRegisterApplications { get; set; } = true;
}

public sealed class ClientSecret
{
    public Guid KeyId { get; set; } = Guid.NewGuid();
    public string DisplayName { get; set; } = "secret";
    public string Value { get; set; } = "";
    public string Hint => Value.Length >= 3 ? Value.Substring(0, 3) : Value;
    public DateTimeOffset StartDateTime { get; set; }
    public DateTimeOffset EndDateTime { get; set; }
    /// <summary>When the token service first accepts it (directory replication after addPassword); default: always.</summary>
    public DateTimeOffset AvailableAt { get; set; } = DateTimeOffset.MinValue;
}

public sealed class ClientCertificate
{
    public Guid KeyId { get; set; } = Guid.NewGuid();
    /// <summary>DER bytes of the public certificate (what the portal's "Upload certificate" stores).</summary>
    public byte[] RawData { get; set; } = Array.Empty<byte>();
    public string Thumbprint { get; set; } = "";
    public string DisplayName { get; set; } = "";
    public DateTimeOffset StartDateTime { get; set; }
    public DateTimeOffset EndDateTime { get; set; }
    /// <summary>When the token service first accepts it (directory replication after a keyCredentials PATCH); default: always.</summary>
    public DateTimeOffset AvailableAt { get; set; } = DateTimeOffset.MinValue;
}

/// <summary>An app registration (Entra "App registrations").</summary>
public sealed class AppRegistration
{
    public Guid AppId { get; set; }
    /// <summary>The application object's id: NOT the id Exchange wants.</summary>
    public Guid ObjectId { get; set; }
    public string DisplayName { get; set; } = "";
    public List<ClientSecret> Secrets { get; } = new();
    public List<ClientCertificate> Certificates { get; } = new();
    /// <summary>API permissions as Graph stores them (requiredResourceAccess): per resource app, role and scope ids.</summary>
    public List<RequiredResourceAccess> RequiredResourceAccess { get; } = new();
    /// <summary>"Allow public client flows" (isFallbackPublicClient).</summary>
    public bool IsPublicClient { get; set; }
    /// <summary>publicClient.redirectUris (mobile and desktop platform).</summary>
    public List<string> RedirectUris { get; } = new();
    /// <summary>web.redirectUris (web platform: the authorization code flow of a server product).</summary>
    public List<string> WebRedirectUris { get; } = new();
    public string SignInAudience { get; set; } = "AzureADMyOrg";
    public DateTimeOffset CreatedDateTime { get; set; }
    /// <summary>When the token service first knows the app (directory replication after POST /applications); default: always.</summary>
    public DateTimeOffset AvailableAt { get; set; } = DateTimeOffset.MinValue;
    /// <summary>Object ids of the owners (the user who created it through Graph becomes one).</summary>
    public List<Guid> Owners { get; } = new();
}

/// <summary>An enterprise application / service principal in the tenant (also a managed identity).</summary>
public sealed class EntraServicePrincipal
{
    /// <summary>The enterprise app's object id: the token's oid, and the ObjectId New-ServicePrincipal wants.</summary>
    public Guid ObjectId { get; set; }
    public Guid AppId { get; set; }
    public string DisplayName { get; set; } = "";
    public bool AccountEnabled { get; set; } = true;
    public bool IsManagedIdentity { get; set; }
    /// <summary>For a user-assigned managed identity: its Azure resource id.</summary>
    public string? ManagedIdentityResourceId { get; set; }
    public bool IsSystemAssignedManagedIdentity { get; set; }
    /// <summary>When the token service first knows it (directory replication after POST /servicePrincipals); default: always.</summary>
    public DateTimeOffset AvailableAt { get; set; } = DateTimeOffset.MinValue;
    public DateTimeOffset CreatedDateTime { get; set; }
}

/// <summary>Admin consent: an app role assignment on the Exchange resource (appRoleAssignments in Graph).</summary>
public sealed class AppRoleAssignment
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid PrincipalId { get; set; }
    public Guid ResourceId { get; set; }
    public Guid AppRoleId { get; set; }
    public string RoleValue { get; set; } = "";
    public DateTimeOffset EffectiveAt { get; set; }
}

/// <summary>Delegated consent (oauth2PermissionGrant): scopes of one resource granted to one client, for all users or one.</summary>
public sealed class DelegatedGrant
{
    /// <summary>Graph's grant id: an opaque base64url string, not a GUID.</summary>
    public string Id { get; set; } = NewId();
    /// <summary>The client's service principal object id.</summary>
    public Guid ClientId { get; set; }
    /// <summary>The resource's service principal object id (Exchange's unless said otherwise).</summary>
    public Guid ResourceId { get; set; }
    /// <summary>AllPrincipals (admin consent for everyone) or Principal (one user's consent).</summary>
    public string ConsentType { get; set; } = "AllPrincipals";
    public Guid? PrincipalId { get; set; }
    public string Scope { get; set; } = "";

    private static string NewId() =>
        System.Buffers.Text.Base64Url.EncodeToString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
}

/// <summary>A user account (for delegated flows).</summary>
public sealed class EntraUser
{
    public Guid ObjectId { get; set; }
    public string UserPrincipalName { get; set; } = "";
    public string DisplayName { get; set; } = "";
    public bool MfaRequired { get; set; }
    /// <summary>The account's password for Basic SMTP AUTH (AUTH LOGIN); null = no password ever works.</summary>
    public string? Password { get; set; }
    /// <summary>The user must register for MFA before any token (AADSTS50079).</summary>
    public bool MfaRegistrationRequired { get; set; }
    public bool AccountEnabled { get; set; } = true;
    /// <summary>Directory roles held (role template ids, <see cref="DirectoryRoleTemplates"/>); the token's wids.</summary>
    public List<Guid> DirectoryRoles { get; } = new();
}

/// <summary>An Exchange service principal pointer (New-ServicePrincipal): ids exactly as typed, never validated.</summary>
public sealed class ExchangeServicePrincipal
{
    public string AppId { get; set; } = "";
    public string ObjectId { get; set; } = "";
    public string DisplayName { get; set; } = "";
    public Guid Guid { get; set; } = Guid.NewGuid();
    public DateTimeOffset EffectiveAt { get; set; }
}

public sealed class Mailbox
{
    public Guid ExchangeGuid { get; set; } = Guid.NewGuid();
    public Guid ExternalDirectoryObjectId { get; set; }
    public string Alias { get; set; } = "";
    /// <summary>Exchange's Name (the recipient's common name); empty means "same as Alias" (RecipientFilter.NameOf).</summary>
    public string Name { get; set; } = "";
    public string DisplayName { get; set; } = "";
    public string PrimarySmtpAddress { get; set; } = "";
    public string UserPrincipalName { get; set; } = "";
    public List<string> ProxyAddresses { get; } = new();
    /// <summary>UserMailbox, SharedMailbox, RoomMailbox.</summary>
    public string RecipientTypeDetails { get; set; } = "UserMailbox";
    /// <summary>Set-CASMailbox -SmtpClientAuthenticationDisabled: null follows the organisation.</summary>
    public bool? SmtpClientAuthenticationDisabled { get; set; }
    public DateTimeOffset SmtpSettingEffectiveAt { get; set; }
    /// <summary>The value in force before the last change, until it propagates.</summary>
    public bool? PreviousSmtpClientAuthenticationDisabled { get; set; }
    public string? AuthenticationPolicy { get; set; }
    public long MaxSendSize { get; set; } = 35L * 1024 * 1024;

    /// <summary>
    /// Get-Mailbox SKUAssigned: an Exchange Online licence is assigned to the mailbox's user. A UserMailbox needs one to
    /// submit (CET-DOC "invalid license"); a SharedMailbox does not (EXCHANGE-FACTS §5a, §6.4). Shows False for shared mailboxes.
    /// </summary>
    public bool SkuAssigned { get; set; } = true;
    /// <summary>When an assigned licence reaches SMTP ("a new mailbox or licence: up to 24 h", EXCHANGE-FACTS §8; ChangeKind.Mailbox); a removal counts at once.</summary>
    public DateTimeOffset LicenceEffectiveAt { get; set; }
    public DateTimeOffset EffectiveAt { get; set; }
    /// <summary>Get-MailboxStatistics StorageLimitStatus: BelowLimit, IssueWarning, ProhibitSend or MailboxDisabled (ProhibitSendReceive). The last two refuse submission with 554 5.2.2.</summary>
    public string StorageLimitStatus { get; set; } = "BelowLimit";
    /// <summary>On the Restricted Users list (Microsoft Defender) after outbound spam: 550 5.1.8.</summary>
    public bool IsRestrictedSender { get; set; }
}

public sealed class MailboxPermission
{
    public string MailboxIdentity { get; set; } = "";
    /// <summary>The trustee as the admin typed it, resolved to an ObjectId/UPN where known.</summary>
    public string User { get; set; } = "";
    public List<string> AccessRights { get; } = new();
    public bool IsInherited { get; set; }
    public bool Deny { get; set; }
    public string InheritanceType { get; set; } = "All";
    public DateTimeOffset EffectiveAt { get; set; }
}

public sealed class RecipientPermission
{
    public string Identity { get; set; } = "";
    public string Trustee { get; set; } = "";
    public string AccessControlType { get; set; } = "Allow";
    public List<string> AccessRights { get; } = new() { "SendAs" };
    public bool IsInherited { get; set; }
    public string InheritanceType { get; set; } = "None";
    public DateTimeOffset EffectiveAt { get; set; }
}

public sealed class TransportConfig
{
    public bool SmtpClientAuthenticationDisabled { get; set; } = true;
    public bool? PreviousSmtpClientAuthenticationDisabled { get; set; }
    public DateTimeOffset EffectiveAt { get; set; }
}

public sealed class AuthenticationPolicy
{
    public string Name { get; set; } = "";
    public Guid Guid { get; set; } = Guid.NewGuid();
    public bool AllowBasicAuthSmtp { get; set; }
}

public sealed class ManagementScope
{
    public string Name { get; set; } = "";
    public string RecipientRestrictionFilter { get; set; } = "";
    public Guid Guid { get; set; } = Guid.NewGuid();
}

public sealed class ManagementRoleAssignment
{
    public string Name { get; set; } = "";
    public string Role { get; set; } = "";
    /// <summary>The service principal's ObjectId as given to -App.</summary>
    public string App { get; set; } = "";
    public string? CustomResourceScope { get; set; }
    public Guid Guid { get; set; } = Guid.NewGuid();
    public DateTimeOffset EffectiveAt { get; set; }
}

/// <summary>A group (for MemberOfGroup recipient filters).</summary>
public sealed class DistributionGroup
{
    public string Name { get; set; } = "";
    public string DistinguishedName { get; set; } = "";
    public List<string> Members { get; } = new();
}

/// <summary>A conditional access policy as Graph lists it; an enabled block policy stops token issuance (AADSTS53003).</summary>
public sealed class ConditionalAccessPolicy
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public string DisplayName { get; set; } = "";
    /// <summary>enabled, disabled, enabledForReportingButNotEnforced.</summary>
    public string State { get; set; } = "enabled";
    /// <summary>Grant control: "block" or "mfa".</summary>
    public string GrantControl { get; set; } = "block";
    /// <summary>Whether it targets workload identities (service principals) as well as users.</summary>
    public bool IncludesServicePrincipals { get; set; } = true;
    public DateTimeOffset CreatedDateTime { get; set; }
}
