using OAuthSmtp.Engine.Errors;

namespace OAuthSmtp.Engine.Setup.Entra;

/// <summary>Microsoft Graph refused a call made with the admin's rights; Graph's own code and message are kept.</summary>
public sealed class GraphAdminException : OAuthSmtpException
{
    public GraphAdminException(GraphRequest request, GraphResponse response)
        : base(
            ErrorIds.GraphRequestFailed,
            KindOf(response.StatusCode),
            $"Microsoft Graph refused {request}: {Describe(response)}",
            FixFor(response),
            request.ToString())
    {
        Request = request;
        StatusCode = response.StatusCode;
        GraphErrorCode = response.ErrorCode;
    }

    public GraphRequest Request { get; }

    public int StatusCode { get; }

    /// <summary>Authorization_RequestDenied, Request_ResourceNotFound, Request_BadRequest, …</summary>
    public string? GraphErrorCode { get; }

    private static string Describe(GraphResponse response)
    {
        var status = response.StatusCode == 0 ? "no answer" : "HTTP " + response.StatusCode;
        return response.ErrorCode is null
            ? status + "."
            : $"{status} {response.ErrorCode}: {response.ErrorMessage}";
    }

    private static ErrorKind KindOf(int status) => status switch
    {
        401 or 403 => ErrorKind.PermissionDenied,
        404 => ErrorKind.ObjectNotFound,
        409 => ErrorKind.ResourceExists,
        400 => ErrorKind.InvalidOperation,
        429 => ErrorKind.LimitsExceeded,
        _ => ErrorKind.ResourceUnavailable,
    };

    private static string FixFor(GraphResponse response) => response.StatusCode switch
    {
        401 => "The Graph sign-in has expired or is not for this tenant: run Connect-MgGraph again (or get a new -GraphAccessToken).",
        403 => "Your Graph session lacks a permission or directory role for this call. Sign in with the scopes and role the error of Initialize-SmtpOAuthSetup names, e.g. Connect-MgGraph -Scopes Application.ReadWrite.All,AppRoleAssignment.ReadWrite.All as a Cloud Application Administrator.",
        429 or 503 or 0 => "Graph is busy or unreachable; run the command again in a minute (what was done is kept, and a re-run continues from there).",
        _ => "Run the command again with -Verbose to see each Graph call; what was done is kept, and a re-run continues from there.",
    };
}
