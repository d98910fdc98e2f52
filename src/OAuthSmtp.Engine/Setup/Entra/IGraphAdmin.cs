using System.Threading;

namespace OAuthSmtp.Engine.Setup.Entra;

/// <summary>
/// Microsoft Graph with the ADMIN's rights (not the app's): the gateway through which Initialize-SmtpOAuthSetup,
/// Update-SmtpOAuthCredential and Test-SmtpOAuthSetup -Fix change Entra ID. Two implementations:
/// <see cref="CommandGraphAdmin"/> over the admin's own Connect-MgGraph session (Invoke-MgGraphRequest and
/// Get-MgContext, run by the PowerShell layer), and <see cref="HttpGraphAdmin"/> over HTTPS with a Graph access token
/// (-GraphAccessToken, for runbooks), which sends it only where HostTrustPolicy allows. Tests use a fake.
/// Calls run on the caller's thread (a PowerShell session must be driven from its pipeline thread).
/// </summary>
public interface IGraphAdmin
{
    /// <summary>Who the gateway acts as and with which scopes and directory roles (read once, then cached).</summary>
    /// <exception cref="Errors.OAuthSmtpException">GraphNotConnected when there is no session to act through.</exception>
    GraphAdminSession DescribeSession();

    /// <summary>
    /// Sends one request and returns Graph's answer whatever its status (call <see cref="GraphResponse.EnsureSuccess"/>
    /// to turn a refusal into <see cref="GraphAdminException"/>). Only a failure to reach Graph at all throws.
    /// </summary>
    GraphResponse Send(GraphRequest request, CancellationToken cancellationToken = default);
}
