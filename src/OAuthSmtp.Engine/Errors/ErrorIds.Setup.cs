namespace OAuthSmtp.Engine.Errors;

// Test-SmtpOAuthSetup: the reasons a check fails (SetupCheckResult.ReasonId, for scripts that act on results)
// and the errors of the command itself.
public static partial class ErrorIds
{
    // Reasons on check results.

    /// <summary>The profile lacks a value or has a malformed one.</summary>
    public const string SetupProfileIncomplete = nameof(SetupProfileIncomplete);

    /// <summary>OpenID discovery did not find the tenant in the profile's cloud (AADSTS90002 / 900023).</summary>
    public const string SetupTenantNotFound = nameof(SetupTenantNotFound);

    /// <summary>The OpenID discovery endpoint could not be reached.</summary>
    public const string SetupTenantUnreachable = nameof(SetupTenantUnreachable);

    /// <summary>The client secret or certificate expires within 30 days.</summary>
    public const string SetupCredentialExpiring = nameof(SetupCredentialExpiring);

    /// <summary>The token is not for Exchange Online, or for another cloud's Exchange.</summary>
    public const string SetupTokenAudienceWrong = nameof(SetupTokenAudienceWrong);

    /// <summary>The app-only token lacks SMTP.SendAsApp and no RBAC for Applications assignment exists: admin consent is missing.</summary>
    public const string SetupConsentMissing = nameof(SetupConsentMissing);

    /// <summary>The app has Microsoft Graph's Mail.Send (for Graph's sendMail) but not Exchange Online's SMTP.SendAsApp, which SMTP needs.</summary>
    public const string SetupGraphMailSendOnly = nameof(SetupGraphMailSendOnly);

    /// <summary>The delegated token lacks SMTP.Send.</summary>
    public const string SetupDelegatedScopeMissing = nameof(SetupDelegatedScopeMissing);

    /// <summary>Exchange has no service principal for the app (New-ServicePrincipal never run).</summary>
    public const string SetupServicePrincipalMissing = nameof(SetupServicePrincipalMissing);

    /// <summary>The Exchange service principal carries another ObjectId than the token's oid (often the app registration's object id).</summary>
    public const string SetupServicePrincipalWrongObjectId = nameof(SetupServicePrincipalWrongObjectId);

    /// <summary>Exchange finds no mailbox for the profile's address.</summary>
    public const string SetupMailboxNotFound = nameof(SetupMailboxNotFound);

    /// <summary>The mailbox is of a type that cannot send through SMTP AUTH as expected.</summary>
    public const string SetupMailboxTypeUnsupported = nameof(SetupMailboxTypeUnsupported);

    /// <summary>The sending mailbox is a user mailbox without an Exchange Online licence (shared mailboxes need none).</summary>
    public const string SetupMailboxUnlicensed = nameof(SetupMailboxUnlicensed);

    /// <summary>The service principal (or delegated user) holds no FullAccess on the mailbox.</summary>
    public const string SetupFullAccessMissing = nameof(SetupFullAccessMissing);

    /// <summary>An "Application SMTP.SendAsApp" role assignment exists but its scope does not cover the mailbox.</summary>
    public const string SetupRbacScopeNotCovering = nameof(SetupRbacScopeNotCovering);

    /// <summary>RBAC route: the app holds no "Application SMTP.SendAsApp" role assignment.</summary>
    public const string SetupRbacAssignmentMissing = nameof(SetupRbacAssignmentMissing);

    /// <summary>The token carries SMTP.SendAsApp while only an RBAC scope grants the mailbox: Exchange then checks FullAccess.</summary>
    public const string SetupRbacWithRoles = nameof(SetupRbacWithRoles);

    /// <summary>SMTP AUTH is off for the organisation and the mailbox does not override it.</summary>
    public const string SetupSmtpAuthDisabledByOrganization = nameof(SetupSmtpAuthDisabledByOrganization);

    /// <summary>SMTP AUTH is off for the mailbox itself.</summary>
    public const string SetupSmtpAuthDisabledForMailbox = nameof(SetupSmtpAuthDisabledForMailbox);

    /// <summary>Send As is missing on a -From sender.</summary>
    public const string SetupSendAsMissing = nameof(SetupSendAsMissing);

    /// <summary>Send As on a -From sender is granted to the app's service principal only, not to the authenticating mailbox (which is what Exchange checks).</summary>
    public const string SetupSendAsGrantedToAppOnly = nameof(SetupSendAsGrantedToAppOnly);

    /// <summary>A -From sender is not a recipient Exchange knows.</summary>
    public const string SetupSenderNotFound = nameof(SetupSenderNotFound);

    /// <summary>The Exchange checks could not run: no Exchange Online session.</summary>
    public const string SetupExchangeNotConnected = nameof(SetupExchangeNotConnected);

    /// <summary>Everything checks out in Exchange, but SMTP still refuses: recent changes have not propagated yet.</summary>
    public const string SetupPropagationPending = nameof(SetupPropagationPending);

    // Errors of the command itself.

    /// <summary>An Exchange admin command that a check or a fix ran failed.</summary>
    public const string ExchangeCommandFailed = nameof(ExchangeCommandFailed);

    /// <summary>-Fix could not apply a change; the others still ran.</summary>
    public const string SetupFixFailed = nameof(SetupFixFailed);

    /// <summary>-Wait reached its -Timeout with changes still pending.</summary>
    public const string SetupWaitTimedOut = nameof(SetupWaitTimedOut);
}
