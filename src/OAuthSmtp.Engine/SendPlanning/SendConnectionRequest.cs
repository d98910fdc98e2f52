using OAuthSmtp.Engine.Profiles;

namespace OAuthSmtp.Engine.SendPlanning;

/// <summary>
/// What Send-SmtpOAuthMessage was told about the connection, all of it from the command line (connection settings
/// never come from pipeline objects, so a CSV column cannot redirect the token).
/// </summary>
public sealed class SendConnectionRequest
{
    /// <summary>-SmtpServer (alias -ComputerName); null when not given.</summary>
    public string? SmtpServer { get; set; }

    /// <summary>-Port; 0 when not given.</summary>
    public int Port { get; set; }

    /// <summary>The -Profile named, already read from the store; null when none was given.</summary>
    public SmtpOAuthProfile? Profile { get; set; }

    /// <summary>$PSEmailServer, Send-MailMessage's default server; used only without a profile.</summary>
    public string? PSEmailServer { get; set; }

    /// <summary>The text of -AccessToken; null when not given.</summary>
    public string? AccessToken { get; set; }

    /// <summary>-Credential's user name: the mailbox to authenticate as.</summary>
    public string? CredentialUserName { get; set; }

    /// <summary>-Credential's password, which must be an access token; null or empty when not given.</summary>
    public string? CredentialPassword { get; set; }

    /// <summary>-From given on the command line: the mailbox with -AccessToken and no profile.</summary>
    public string? From { get; set; }
}
