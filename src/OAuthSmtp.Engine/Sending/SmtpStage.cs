namespace OAuthSmtp.Engine.Sending;

/// <summary>Where in the SMTP dialogue a reply arrived: the same reply means different things at different stages.</summary>
public enum SmtpStage
{
    Connect,
    Authenticate,
    MailFrom,
    RcptTo,
    /// <summary>The reply to the end of the message data (DATA's final dot or BDAT LAST).</summary>
    Data,
}
