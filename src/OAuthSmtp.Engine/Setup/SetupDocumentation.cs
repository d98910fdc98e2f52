namespace OAuthSmtp.Engine.Setup;

/// <summary>The Microsoft Learn pages each check points to (EXCHANGE-FACTS source list).</summary>
public static class SetupDocumentation
{
    /// <summary>OAUTH-DOC: the whole app-only and delegated setup for SMTP, POP and IMAP.</summary>
    public const string OAuthForSmtp = "https://learn.microsoft.com/exchange/client-developer/legacy-protocols/how-to-authenticate-an-imap-pop-smtp-application-by-using-oauth";

    public const string RegisterServicePrincipal = OAuthForSmtp + "#register-service-principals-in-exchange";

    /// <summary>RBAC-SMTP-DOC.</summary>
    public const string RbacForSmtp = "https://learn.microsoft.com/exchange/client-developer/legacy-protocols/smtp-app-rbac-onboarding";

    /// <summary>SMTPAUTH-DOC.</summary>
    public const string SmtpAuth = "https://learn.microsoft.com/exchange/clients-and-mobile-in-exchange-online/authenticated-client-smtp-submission";

    public const string AddRecipientPermission = "https://learn.microsoft.com/powershell/module/exchangepowershell/add-recipientpermission";

    public const string AddMailboxPermission = "https://learn.microsoft.com/powershell/module/exchangepowershell/add-mailboxpermission";

    public const string ClientCredentials = "https://learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow";

    public const string NationalClouds = "https://learn.microsoft.com/entra/identity-platform/authentication-national-cloud";

    public const string AdminConsent = "https://learn.microsoft.com/entra/identity/enterprise-apps/grant-admin-consent";

    public const string ClientSecrets = "https://learn.microsoft.com/entra/identity-platform/how-to-add-credentials";

    public const string AadstsErrors = "https://learn.microsoft.com/entra/identity-platform/reference-error-codes";

    public const string SecurityDefaults = "https://learn.microsoft.com/entra/fundamentals/security-defaults";

    /// <summary>PRINTER-DOC: devices and applications that send through Microsoft 365.</summary>
    public const string DevicesAndApplications = "https://learn.microsoft.com/exchange/mail-flow-best-practices/how-to-set-up-a-multifunction-device-or-application-to-send-email-using-microsoft-365-or-office-365";

    public const string SharedMailboxes = "https://learn.microsoft.com/microsoft-365/admin/email/about-shared-mailboxes";
    public const string ManagedIdentityCaching = "https://learn.microsoft.com/entra/identity/managed-identities-azure-resources/managed-identity-best-practice-recommendations#limitation-of-using-managed-identities-for-authorization";
    public const string ConnectExchangeOnline = "https://learn.microsoft.com/powershell/exchange/connect-to-exchange-online-powershell";

    public const string ProfileHelp = "https://github.com/oauthsmtp/OAuthSmtp#profiles";
}
