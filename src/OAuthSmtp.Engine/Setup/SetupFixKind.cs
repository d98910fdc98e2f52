namespace OAuthSmtp.Engine.Setup;

/// <summary>The Exchange-side changes -Fix can make (never Entra ID, never the organisation-wide SMTP AUTH switch).</summary>
public enum SetupFixKind
{
    NewServicePrincipal,
    RemoveServicePrincipal,
    AddMailboxPermission,
    SetCasMailbox,
    AddRecipientPermission,
    NewManagementScope,
    NewManagementRoleAssignment,
}
