namespace OAuthSmtp.Emulator.Graph;

/// <summary>
/// The permissions each Graph API of this surface accepts (learn.microsoft.com/graph/api/…, "Permissions" tables):
/// delegated scopes and application roles, least privileged first.
/// </summary>
internal static class GraphPermissions
{
    public static readonly string[] ReadApplicationsScopes = { "Application.Read.All", "Application.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All", "Directory.AccessAsUser.All" };
    public static readonly string[] ReadApplicationsRoles = { "Application.Read.All", "Application.ReadWrite.All", "Application.ReadWrite.OwnedBy", "Directory.Read.All" };

    public static readonly string[] WriteApplicationsScopes = { "Application.ReadWrite.All", "Directory.AccessAsUser.All" };
    public static readonly string[] WriteApplicationsRoles = { "Application.ReadWrite.All", "Application.ReadWrite.OwnedBy" };

    /// <summary>appRoleAssignedTo / appRoleAssignments writes: AppRoleAssignment.ReadWrite.All (together with a read of the apps).</summary>
    public static readonly string[] AssignAppRolesScopes = { "AppRoleAssignment.ReadWrite.All", "Directory.AccessAsUser.All" };
    public static readonly string[] AssignAppRolesRoles = { "AppRoleAssignment.ReadWrite.All" };

    public static readonly string[] ReadGrantsScopes = { "DelegatedPermissionGrant.Read.All", "DelegatedPermissionGrant.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All", "Directory.AccessAsUser.All" };
    public static readonly string[] ReadGrantsRoles = { "DelegatedPermissionGrant.ReadWrite.All", "Directory.Read.All" };

    public static readonly string[] WriteGrantsScopes = { "DelegatedPermissionGrant.ReadWrite.All", "Directory.AccessAsUser.All" };
    public static readonly string[] WriteGrantsRoles = { "DelegatedPermissionGrant.ReadWrite.All" };

    public static readonly string[] ReadPoliciesScopes = { "Policy.Read.All" };
    public static readonly string[] ReadPoliciesRoles = { "Policy.Read.All" };

    /// <summary>/me and /me/memberOf: User.Read is enough for the signed-in user's own memberships.</summary>
    public static readonly string[] ReadSelfScopes = { "User.Read", "User.Read.All", "Directory.Read.All", "Directory.ReadWrite.All", "Directory.AccessAsUser.All" };
}
