namespace OAuthSmtp.Engine.Setup.Provisioning;

/// <summary>The steps of Initialize-SmtpOAuthSetup, in order (the names its results and errors use).</summary>
public static class ProvisioningStepNames
{
    public const string Application = "Application";
    public const string Permission = "Permission";
    public const string EnterpriseApplication = "EnterpriseApplication";
    public const string AdminConsent = "AdminConsent";
    public const string Credential = "Credential";
    public const string ExchangeServicePrincipal = "ExchangeServicePrincipal";
    public const string MailboxAccess = "MailboxAccess";
    public const string SmtpAuth = "SmtpAuth";
    public const string SendAs = "SendAs";
    public const string Profile = "Profile";

    public static readonly string[] InOrder =
    {
        Application, Permission, EnterpriseApplication, AdminConsent, Credential, ExchangeServicePrincipal, MailboxAccess, SmtpAuth, SendAs, Profile,
    };
}
