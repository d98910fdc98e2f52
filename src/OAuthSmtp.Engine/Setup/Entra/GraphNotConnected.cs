using OAuthSmtp.Engine.Errors;

namespace OAuthSmtp.Engine.Setup.Entra;

/// <summary>The error for "there is no Graph session to act through", with the sign-in that fixes it.</summary>
public static class GraphNotConnected
{
    /// <summary>The Connect-MgGraph line that signs an admin in with every scope the setup may need.</summary>
    public const string ConnectCommand =
        "Connect-MgGraph -Scopes Application.ReadWrite.All,AppRoleAssignment.ReadWrite.All,DelegatedPermissionGrant.ReadWrite.All,User.Read";

    public static OAuthSmtpException Because(string why) => new(
        ErrorIds.GraphNotConnected,
        ErrorKind.ResourceUnavailable,
        $"Microsoft Graph is needed to change Entra ID with your rights, and no Graph session is available ({why}).",
        $"Install-Module Microsoft.Graph.Authentication; {ConnectCommand} (as a Cloud Application Administrator), then run the command again; or give -GraphAccessToken with a Graph token for runbooks.");
}
