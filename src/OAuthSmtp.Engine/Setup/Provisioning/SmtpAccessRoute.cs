namespace OAuthSmtp.Engine.Setup.Provisioning;

/// <summary>How Exchange lets the app use the mailbox (EXCHANGE-FACTS 6.4).</summary>
public enum SmtpAccessRoute
{
    /// <summary>The SMTP.SendAsApp application permission with admin consent, and FullAccess on the mailbox.</summary>
    Classic,

    /// <summary>RBAC for Applications: no API permission; a management scope and an "Application SMTP.SendAsApp" role assignment.</summary>
    Rbac,
}
