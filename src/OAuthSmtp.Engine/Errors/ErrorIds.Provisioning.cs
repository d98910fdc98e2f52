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

    /// <summary>Before any change: a session, Graph scope, directory role, Exchange command or secret store the run needs is missing (all named in one error).</summary>
    public const string ProvisioningPermissionsMissing = nameof(ProvisioningPermissionsMissing);

    /// <summary>A step failed midway; the error lists what was done and what was not, and a re-run continues from there.</summary>
    public const string ProvisioningStepFailed = nameof(ProvisioningStepFailed);

    /// <summary>The request cannot be carried out as given (two apps with the display name, an unknown -ClientId or managed identity, conflicting parameters).</summary>
    public const string ProvisioningInvalidRequest = nameof(ProvisioningInvalidRequest);

    /// <summary>Everything is set up, but the test message was not accepted (yet): propagation, or the step the error names.</summary>
    public const string ProvisioningNotVerified = nameof(ProvisioningNotVerified);
}
