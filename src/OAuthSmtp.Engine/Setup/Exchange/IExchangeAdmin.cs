using System.Collections.Generic;

namespace OAuthSmtp.Engine.Setup.Exchange;

/// <summary>
/// The part of Exchange Online PowerShell the setup doctor reads and, with -Fix, changes (EXCHANGE-FACTS section 6).
/// The module implements it over the admin's own session (ExchangeOnlineManagement's cmdlets); tests use a fake.
/// Every call runs on the caller's thread (a PowerShell session must be driven from its pipeline thread).
/// Failures of the underlying commands are thrown as <see cref="ExchangeAdminException"/>.
/// </summary>
public interface IExchangeAdmin
{
    /// <summary>Get-ServicePrincipal: every Exchange service principal (the list is short; filtering happens here).</summary>
    IReadOnlyList<ExchangeServicePrincipalRecord> GetServicePrincipals();

    /// <summary>Get-EXOMailbox -Identity: the mailbox, or null when Exchange finds none.</summary>
    ExchangeMailboxRecord? GetMailbox(string identity);

    /// <summary>Get-MailboxPermission -Identity.</summary>
    IReadOnlyList<MailboxPermissionRecord> GetMailboxPermissions(string mailbox);

    /// <summary>Get-RecipientPermission -Identity (Send As entries).</summary>
    IReadOnlyList<RecipientPermissionRecord> GetRecipientPermissions(string identity);

    /// <summary>Get-EXOCasMailbox -Properties SmtpClientAuthenticationDisabled: null means "follow the organisation".</summary>
    bool? GetMailboxSmtpClientAuthenticationDisabled(string mailbox);

    /// <summary>Get-TransportConfig SmtpClientAuthenticationDisabled.</summary>
    bool GetOrganizationSmtpClientAuthenticationDisabled();

    /// <summary>
    /// Test-ServicePrincipalAuthorization -Identity -Resource: the RBAC for Applications rows, or null when the
    /// cmdlet is not available in this session (older module or missing role).
    /// </summary>
    IReadOnlyList<ServicePrincipalAuthorizationRecord>? TestServicePrincipalAuthorization(string servicePrincipal, string mailbox);

    void NewServicePrincipal(string appId, string objectId, string displayName);

    void RemoveServicePrincipal(string identity);

    /// <summary>Add-MailboxPermission -AccessRights FullAccess.</summary>
    void AddMailboxPermission(string mailbox, string user);

    /// <summary>Set-CASMailbox -SmtpClientAuthenticationDisabled.</summary>
    void SetMailboxSmtpClientAuthenticationDisabled(string mailbox, bool disabled);

    /// <summary>Add-RecipientPermission -AccessRights SendAs.</summary>
    void AddRecipientPermission(string identity, string trustee);

    void NewManagementScope(string name, string recipientRestrictionFilter);

    void NewManagementRoleAssignment(string name, string role, string app, string customResourceScope);
}
