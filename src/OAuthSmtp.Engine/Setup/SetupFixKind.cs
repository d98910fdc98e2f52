namespace OAuthSmtp.Engine.Setup;

/// <summary>
/// The changes -Fix can make: Exchange Online through the admin's Exchange session, and Entra ID through the admin's
/// Graph session (Connect-MgGraph or -GraphAccessToken). Never the organisation-wide SMTP AUTH switch.
/// </summary>
public enum SetupFixKind
{
    NewServicePrincipal,
    RemoveServicePrincipal,
    AddMailboxPermission,
    SetCasMailbox,
    AddRecipientPermission,
    NewManagementScope,
    NewManagementRoleAssignment,

    /// <summary>Entra: admin consent for SMTP.SendAsApp (appRoleAssignedTo on Office 365 Exchange Online's service principal).</summary>
    GrantAdminConsent,

    /// <summary>Entra: add the SMTP.SendAsApp application permission to the app registration's requiredResourceAccess.</summary>
    AddSmtpPermission,

    /// <summary>Entra: create the app's enterprise application (service principal).</summary>
    NewEnterpriseApplication,

    /// <summary>Entra: a new client secret through Update-SmtpOAuthCredential's rotation, stored in the profile.</summary>
    RotateClientSecret,
}
