namespace OAuthSmtp.Engine.Setup;

/// <summary>
/// The steps of an OAuth SMTP setup, in the order Test-SmtpOAuthSetup checks them. The order is the order an admin
/// works through them by hand (EXCHANGE-FACTS: Entra first, then Exchange, then the wire).
/// </summary>
public enum SetupStep
{
    /// <summary>The connection profile is complete and well-formed.</summary>
    Profile,

    /// <summary>The tenant exists in the profile's cloud (OpenID discovery).</summary>
    Tenant,

    /// <summary>Entra ID issues a token for the profile's credential.</summary>
    Token,

    /// <summary>The client secret or certificate is not about to expire.</summary>
    CredentialLifetime,

    /// <summary>The token can work for SMTP: audience, and SMTP.SendAsApp (app-only) or SMTP.Send (delegated).</summary>
    TokenPermissions,

    /// <summary>Security defaults, Conditional Access and the Basic authentication retirement, where they matter.</summary>
    SecurityPolicies,

    /// <summary>Exchange knows the app: New-ServicePrincipal with the enterprise application's object id.</summary>
    ServicePrincipal,

    /// <summary>The sending mailbox exists and can send.</summary>
    Mailbox,

    /// <summary>FullAccess on the mailbox, or an RBAC for Applications scope that covers it.</summary>
    MailboxPermission,

    /// <summary>SMTP AUTH is enabled for the mailbox by the effective organisation/mailbox rule.</summary>
    SmtpAuth,

    /// <summary>Send As on every other sender given with -From.</summary>
    SendAs,

    /// <summary>Connect, STARTTLS, EHLO offers XOAUTH2, AUTH succeeds; nothing is sent.</summary>
    SmtpHandshake,

    /// <summary>A test message to -TestRecipient.</summary>
    TestMessage,
}
