using System;
using System.Collections.Generic;
using System.Globalization;

namespace OAuthSmtp.Engine.Profiles.ProductSettings;

/// <summary>
/// Turns a profile into the rows a product's configuration asks for, under the names its vendor guide uses
/// (Get-SmtpOAuthSettings). The client secret's row holds <see cref="SecretWithheld"/>: only the cmdlet, when asked,
/// puts the secret in. Sources: README "Settings for your product".
/// </summary>
public static class ProductSettingsBuilder
{
    /// <summary>What the secret's row shows unless the secret was asked for.</summary>
    public const string SecretWithheld = "(hidden: add -IncludeSecret)";

    public const string EnaioGuide = "https://help.optimal-systems.com/enaio/v110/admin/administrator/en/administrator/sicherheit/oauth_email.htm";

    public const string InLooxGuide = "https://docs.inloox.com/self-hosted/integration/oauth-smtp-configuration/";

    public const string CmxOrganizeGuide = "https://cmxkonzepte.de/Artikel/cmx65e6ed07f1016.html";

    public const string GenericGuide = "https://github.com/oauthsmtp/OAuthSmtp/blob/main/docs/help/Get-SmtpOAuthSettings.md";

    /// <summary>No es2000 guide text is public; its card uses the portal's names, and says so.</summary>
    public const string Es2000Guide = "(no public es2000 guide found: the Entra portal's names)";

    public static IReadOnlyList<ProductSetting> Build(SmtpOAuthProfile profile, SettingsProduct product)
    {
        if (profile is null)
        {
            throw new ArgumentNullException(nameof(profile));
        }

        return product switch
        {
            SettingsProduct.enaio => Enaio(profile),
            SettingsProduct.InLoox => InLoox(profile),
            SettingsProduct.es2000 => Es2000(profile),
            SettingsProduct.cmxOrganize => CmxOrganize(profile),
            _ => Generic(profile),
        };
    }

    /// <summary>The v2.0 token endpoint of the profile's tenant and cloud.</summary>
    public static string TokenEndpoint(SmtpOAuthProfile profile, string? tenantPlaceholder = null) =>
        $"{profile.AuthorityHost.GetLeftPart(UriPartial.Authority)}/{tenantPlaceholder ?? profile.TenantId}/oauth2/v2.0/token";

    private static IReadOnlyList<ProductSetting> Enaio(SmtpOAuthProfile profile)
    {
        var card = new Card(SettingsProduct.enaio, profile, EnaioGuide);
        const string server = "enaio enterprise-manager: server properties, E-Mail";
        card.Add(server, "SMTPUserName", profile.Mailbox, "The SMTP account (the mailbox that signs in); give it Send As on every web client user's mailbox.");
        card.Add(server, "SMTP server", profile.SmtpServer, "The server name field.");
        card.Add(server, "SMTPPort", profile.Port, null);
        card.Add(server, "SMTPSecurity", 2, "2: TLS on port 587 (STARTTLS), as the guide sets it.");
        card.Add(server, "SMTPAuthenticating", 3, "3: OAuth2, as the guide sets it.");
        card.Add(server, "OfficeClientID", profile.ClientId.ToString(), "Application (client) ID.");
        card.Add(server, "OfficeTenantID", profile.TenantId, "Directory (tenant) ID.");
        card.Add(server, "OfficeTokenEndpoint", TokenEndpoint(profile, "#TenantID#"), "Keep #TenantID#: enaio puts OfficeTenantID in its place.");
        card.Add(server, "OfficeAccessScopes", profile.Scope, null);
        card.AddSecret(server, "client secret (Value)");
        const string webclient = "osweb-prod.yml (enaio service-manager): featureSwitches.sendEmail";
        card.Add(webclient, "featureSwitches.sendEmail", "the values above", "enaio webclient takes the same SMTPUserName, client id, tenant id, token endpoint, scopes and secret under its featureSwitches.sendEmail keys.");
        return card.Rows;
    }

    private static IReadOnlyList<ProductSetting> InLoox(SmtpOAuthProfile profile)
    {
        var card = new Card(SettingsProduct.InLoox, profile, InLooxGuide);
        const string wizard = "InLoox Self-Hosted Server setup wizard: E-Mail, OAuth login";
        card.Add(wizard, "Tenant ID", profile.TenantId, "Directory (tenant) ID.");
        card.Add(wizard, "Client ID", profile.ClientId.ToString(), "Application (client) ID of the Entra ID app.");
        card.AddSecret(wizard, "Client Secret");
        card.Add(wizard, "E-mail address", profile.Mailbox, "The Microsoft 365 user whose mailbox sends; the service principal has FullAccess on it.");
        card.Add(wizard, "SMTP server", profile.SmtpServer, null);
        card.Add(wizard, "Port", profile.Port, "STARTTLS.");
        return card.Rows;
    }

    private static IReadOnlyList<ProductSetting> Es2000(SmtpOAuthProfile profile)
    {
        var card = new Card(SettingsProduct.es2000, profile, Es2000Guide);
        const string section = "es2000: e-mail settings (Microsoft 365, OAuth2)";
        card.Add(section, "Directory (tenant) ID", profile.TenantId, null);
        card.Add(section, "Application (client) ID", profile.ClientId.ToString(), null);
        card.AddSecret(section, "Client secret value");
        card.Add(section, "SMTP server", profile.SmtpServer, null);
        card.Add(section, "Port", profile.Port, "STARTTLS.");
        card.Add(section, "User name", profile.Mailbox, "The mailbox that signs in.");
        card.Add(section, "Token endpoint", TokenEndpoint(profile), null);
        card.Add(section, "Scope", profile.Scope, null);
        return card.Rows;
    }

    private static IReadOnlyList<ProductSetting> CmxOrganize(SmtpOAuthProfile profile)
    {
        var card = new Card(SettingsProduct.cmxOrganize, profile, CmxOrganizeGuide);
        const string azure = "cmxOrganize: Azure-Schnittstelle";
        card.Add(azure, "Benutzername", profile.ClientId.ToString(), "User name = the Anwendungs-ID (application (client) ID).");
        card.AddSecret(azure, "Passwort");
        card.Add("cmxOrganize: Einstellung", "TenantID", profile.TenantId, "Verzeichnis-ID (directory (tenant) ID).");
        card.Add(
            "Entra ID: App registration > Authentication > Web",
            "Umleitungs-URL",
            "https://<ihre-domain.de>/App%20E-Mailkonto/continue_oauth",
            "Exactly the domain cmxOrganize shows in the address bar (with www. if it has one), https:// and %20 as written. Delegated permission: SMTP.Send; each mailbox signs in itself.");
        return card.Rows;
    }

    private static IReadOnlyList<ProductSetting> Generic(SmtpOAuthProfile profile)
    {
        var card = new Card(SettingsProduct.Generic, profile, GenericGuide);
        const string section = "Settings card";
        card.Add(section, "Profile", profile.Name, null);
        card.Add(section, "TenantId", profile.TenantId, null);
        card.Add(section, "ClientId", profile.ClientId.ToString(), null);
        card.Add(section, "EnterpriseAppObjectId", profile.EnterpriseAppObjectId, profile.EnterpriseAppObjectId is null ? "Not recorded in the profile: Get-MgServicePrincipal -Filter \"appId eq '" + profile.ClientId + "'\" shows it (Id)." : "The ObjectId for New-ServicePrincipal (not the app registration's object id).");
        card.Add(section, "CredentialKind", profile.CredentialKind.ToString(), null);
        switch (profile.CredentialKind)
        {
            case CredentialKind.CertificateThumbprint:
            case CredentialKind.CertificateFile:
                card.Add(section, "CertificateThumbprint", profile.CertificateThumbprint ?? profile.CertificatePath, profile.CertificateThumbprint is null ? "The .pfx file; its thumbprint shows in Entra ID > Certificates & secrets." : null);
                break;
            case CredentialKind.ClientSecret:
                card.Add(section, "SecretId", profile.CredentialKeyId, profile.CredentialKeyId is null ? "Not recorded in the profile: Update-SmtpOAuthCredential records it." : "The secret's id in Entra ID (never type it as the secret).");
                card.AddSecret(section, "ClientSecret");
                break;
        }

        card.Add(section, "CredentialEndsOn", profile.CredentialEndsOn?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), profile.CredentialEndsOn is null && profile.CredentialKind == CredentialKind.ClientSecret ? "Not recorded: Test-SmtpOAuthSetup's CredentialLifetime step reads it from Entra ID." : null);
        card.Add(section, "SmtpServer", profile.SmtpServer, null);
        card.Add(section, "Port", profile.Port, null);
        card.Add(section, "Encryption", "STARTTLS", "TLS 1.2 or later after STARTTLS; port 465 (implicit TLS) is not offered.");
        card.Add(section, "UserName", profile.Mailbox, "The mailbox in XOAUTH2's user=.");
        card.Add(section, "TokenEndpoint", TokenEndpoint(profile), null);
        card.Add(section, "Scope", profile.Scope, null);
        return card.Rows;
    }

    /// <summary>Collects one product's rows.</summary>
    private sealed class Card
    {
        private readonly SettingsProduct _product;
        private readonly SmtpOAuthProfile _profile;
        private readonly string _guide;

        public Card(SettingsProduct product, SmtpOAuthProfile profile, string guide)
        {
            _product = product;
            _profile = profile;
            _guide = guide;
        }

        public List<ProductSetting> Rows { get; } = new();

        public void Add(string section, string name, object? value, string? note) =>
            Rows.Add(new ProductSetting(_product, _profile.Name, section, name, value, note, isSecret: false, _guide));

        /// <summary>
        /// The client secret's row: withheld for a client-secret profile; for another credential kind it says that
        /// this product wants a secret the profile does not have.
        /// </summary>
        public void AddSecret(string section, string name)
        {
            if (_profile.CredentialKind == CredentialKind.ClientSecret)
            {
                Rows.Add(new ProductSetting(_product, _profile.Name, section, name, SecretWithheld, "The secret's Value, not its Secret ID.", isSecret: true, _guide));
                return;
            }

            Rows.Add(new ProductSetting(
                _product,
                _profile.Name,
                section,
                name,
                "(this profile has no client secret)",
                $"Profile '{_profile.Name}' signs in with {_profile.CredentialKind}; this field needs a client secret of the same app (Entra ID > App registrations > {_profile.ClientId} > Certificates & secrets).",
                isSecret: false,
                _guide));
        }
    }
}
