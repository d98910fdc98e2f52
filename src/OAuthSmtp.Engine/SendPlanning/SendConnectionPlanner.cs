using OAuthSmtp.Engine.Errors;
using OAuthSmtp.Engine.Profiles;
using OAuthSmtp.Engine.Trust;

namespace OAuthSmtp.Engine.SendPlanning;

/// <summary>
/// Decides, once per Send-SmtpOAuthMessage call, which server, port, mailbox and token source win:
/// server: -SmtpServer, then the profile's, then $PSEmailServer (no profile), then the Global cloud's; and only a
/// host the trust rule allows (HostTrustPolicy: the cloud's Exchange hosts, or one named on purpose);
/// port: -Port, then the profile's, then 587;
/// token: -AccessToken, then -Credential's password (each must be a JWT), then the profile's credential;
/// mailbox: the profile's, then -Credential's user name, then -From.
/// </summary>
public static class SendConnectionPlanner
{
    public static SendConnectionPlan Plan(SendConnectionRequest request)
    {
        var profile = request.Profile;
        var host = NotBlank(request.SmtpServer)
            ?? (profile is null ? null : NotBlank(profile.SmtpServer))
            ?? (profile is null ? NotBlank(request.PSEmailServer) : null)
            ?? CloudEndpoints.Global.SmtpServer;
        var port = request.Port > 0 ? request.Port : profile?.Port ?? CloudEndpoints.SmtpPort;

        // The token goes only to the cloud's Exchange SMTP hosts, or to a host the admin named on purpose: typed as
        // -SmtpServer, or saved in the profile with -AllowNonMicrosoftHost ($PSEmailServer is neither).
        var explicitlyNamed = NotBlank(request.SmtpServer) is not null || (profile?.AllowNonMicrosoftHost ?? false);
        HostTrustPolicy.RequireSmtpServer(profile?.Cloud ?? CloudName.Global, host, explicitlyNamed);

        string? callerToken = null;
        if (request.AccessToken is not null)
        {
            callerToken = CallerTokenRule.Check(request.AccessToken, "-AccessToken");
        }
        else if (!string.IsNullOrEmpty(request.CredentialPassword))
        {
            callerToken = CallerTokenRule.Check(request.CredentialPassword!, "-Credential");
        }
        else if (profile is null)
        {
            throw new OAuthSmtpException(
                ErrorIds.SendCredentialMissing,
                ErrorKind.InvalidArgument,
                "Nothing says how to authenticate: give -Profile, -AccessToken, or -Credential (UserName: the mailbox, Password: an access token).",
                "Create a profile once (New-SmtpOAuthProfile) and add -Profile <name> to the command.");
        }

        var mailbox = (profile is null ? null : NotBlank(profile.Mailbox))
            ?? NotBlank(request.CredentialUserName)
            ?? NotBlank(request.From);
        if (mailbox is null)
        {
            throw new OAuthSmtpException(
                ErrorIds.SenderRequired,
                ErrorKind.InvalidArgument,
                "The mailbox to authenticate as is unknown: with -AccessToken and no profile, it is the -From address.",
                "Give -From (or -Credential with the mailbox as UserName, or -Profile).");
        }

        return new SendConnectionPlan(host, port, mailbox, callerToken);
    }

    private static string? NotBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value!.Trim();
}
