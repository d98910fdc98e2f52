namespace OAuthSmtp.Engine.Errors;

// Initialize-SmtpOAuthSetup and the Graph admin gateway (Setup/Entra, Setup/Provisioning), which
// Update-SmtpOAuthCredential and Test-SmtpOAuthSetup -Fix use too.
public static partial class ErrorIds
{
    /// <summary>No Microsoft Graph session to act through (Connect-MgGraph not run, or the module not loaded), and no -GraphAccessToken.</summary>
    public const string GraphNotConnected = nameof(GraphNotConnected);

    /// <summary>-GraphAccessToken is not a Graph token, or has expired.</summary>
    public const string GraphAccessTokenUnusable = nameof(GraphAccessTokenUnusable);

    /// <summary>Microsoft Graph refused a call made with the admin's rights (Graph's code and message are in the error).</summary>
    public const string GraphRequestFailed = nameof(GraphRequestFailed);
}
