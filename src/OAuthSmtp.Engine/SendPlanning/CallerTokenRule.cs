using OAuthSmtp.Engine.Errors;
using OAuthSmtp.Engine.Tokens;

namespace OAuthSmtp.Engine.SendPlanning;

/// <summary>
/// A token the caller hands over (-AccessToken, or -Credential's password as Send-MailMessage scripts pass it) must be
/// an access token, that is a JWT. Anything else is almost always a password kept from the Basic authentication days;
/// it is refused before any connection, so a password never leaves the process (sent as a bearer token it would
/// reach the server, and the error would then blame the service principal).
/// </summary>
public static class CallerTokenRule
{
    public const string ProfileCommand =
        "New-SmtpOAuthProfile -Name <name> -TenantId <tenant> -ClientId <application id> -ClientSecret (Read-Host -AsSecureString) -Mailbox <mailbox>";

    /// <summary>Returns the token without a "Bearer " prefix, or throws <see cref="ErrorIds.NotAnAccessToken"/>.</summary>
    /// <param name="token">The text given.</param>
    /// <param name="parameter">Where it was given: "-AccessToken" or "-Credential".</param>
    public static string Check(string token, string parameter)
    {
        var text = token.Trim();
        if (text.StartsWith("Bearer ", System.StringComparison.OrdinalIgnoreCase))
        {
            text = text.Substring("Bearer ".Length).Trim();
        }

        if (JwtClaimsDecoder.TryDecode(text) is null)
        {
            var what = parameter == "-Credential" ? "The password of -Credential" : "The value of -AccessToken";
            throw new OAuthSmtpException(
                ErrorIds.NotAnAccessToken,
                ErrorKind.InvalidArgument,
                $"{what} is not an OAuth2 access token (a JWT); it looks like a password. Basic authentication (user name and password) is gone from Exchange Online SMTP, and Send-SmtpOAuthMessage never sends a password: nothing was sent.",
                $"Create a profile once and send with it: {ProfileCommand}; then Send-SmtpOAuthMessage -Profile <name> (or pass a token from Get-SmtpOAuthToken -Profile <name> -AsSecureString).",
                parameter);
        }

        return text;
    }
}
