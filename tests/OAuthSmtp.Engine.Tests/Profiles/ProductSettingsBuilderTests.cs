using System;
using System.IO;
using System.Linq;
using OAuthSmtp.Engine.Profiles;
using OAuthSmtp.Engine.Profiles.ProductSettings;
using Xunit;

namespace OAuthSmtp.Engine.Tests.Profiles;

/// <summary>
/// Each product's card carries its vendor guide's own field names (README "Settings for your product" cites the
/// guides), the values of the profile, and never the secret itself.
/// </summary>
public sealed class ProductSettingsBuilderTests
{
    private static SmtpOAuthProfile SecretProfile(CloudName cloud = CloudName.Global)
    {
        var profile = ProfileStoreTests.Profile("Dms", CredentialKind.ClientSecret);
        profile.TenantId = "6b1f2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";
        profile.Cloud = cloud;
        ProfileValidator.Normalize(profile);
        return profile;
    }

    [Fact]
    public void The_enaio_card_uses_the_enaio_guides_server_keys_and_values()
    {
        var rows = ProductSettingsBuilder.Build(SecretProfile(), SettingsProduct.enaio);

        // Quoted from the enaio guide (help.optimal-systems.com ... sicherheit/oauth_email.htm) as issue 17 lists them.
        foreach (var key in new[] { "SMTPUserName", "SMTPPort", "SMTPSecurity", "SMTPAuthenticating", "OfficeClientID", "OfficeTenantID", "OfficeTokenEndpoint", "OfficeAccessScopes" })
        {
            Assert.Contains(rows, r => r.Name == key);
        }

        string Value(string name) => Convert.ToString(rows.Single(r => r.Name == name).Value, System.Globalization.CultureInfo.InvariantCulture)!;
        Assert.Equal("dms@contoso.com", Value("SMTPUserName"));
        Assert.Equal("587", Value("SMTPPort"));
        Assert.Equal("2", Value("SMTPSecurity"));
        Assert.Equal("3", Value("SMTPAuthenticating"));
        Assert.Equal("3f1c2b9a-0d4e-4a51-9c8e-2b7f6a1d0e53", Value("OfficeClientID"));
        Assert.Equal("6b1f2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d", Value("OfficeTenantID"));
        Assert.Equal("https://login.microsoftonline.com/#TenantID#/oauth2/v2.0/token", Value("OfficeTokenEndpoint"));
        Assert.Equal("https://outlook.office365.com/.default", Value("OfficeAccessScopes"));
        Assert.Contains(rows, r => r.Section.Contains("osweb-prod.yml", StringComparison.Ordinal) && r.Name.StartsWith("featureSwitches.sendEmail", StringComparison.Ordinal));
        Assert.All(rows, r => Assert.Equal(ProductSettingsBuilder.EnaioGuide, r.Guide));
    }

    [Fact]
    public void The_cmxOrganize_card_maps_user_name_password_tenant_and_redirect_uri_as_its_guide_does()
    {
        var rows = ProductSettingsBuilder.Build(SecretProfile(), SettingsProduct.cmxOrganize);

        Assert.Equal(new[] { "Benutzername", "Passwort", "TenantID", "Umleitungs-URL" }, rows.Select(r => r.Name));
        Assert.Equal("3f1c2b9a-0d4e-4a51-9c8e-2b7f6a1d0e53", rows[0].Value);
        Assert.True(rows[1].IsSecret);
        Assert.Equal("6b1f2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d", rows[2].Value);
        Assert.Equal("https://<ihre-domain.de>/App%20E-Mailkonto/continue_oauth", rows[3].Value);
    }

    [Fact]
    public void The_InLoox_and_es2000_cards_name_their_fields_and_their_source()
    {
        var inloox = ProductSettingsBuilder.Build(SecretProfile(), SettingsProduct.InLoox);
        Assert.Equal(new[] { "Tenant ID", "Client ID", "Client Secret", "E-mail address", "SMTP server", "Port" }, inloox.Select(r => r.Name));
        Assert.All(inloox, r => Assert.Equal(ProductSettingsBuilder.InLooxGuide, r.Guide));

        var es2000 = ProductSettingsBuilder.Build(SecretProfile(), SettingsProduct.es2000);
        Assert.Contains(es2000, r => r.Name == "Application (client) ID");
        Assert.All(es2000, r => Assert.Contains("no public es2000 guide", r.Guide, StringComparison.Ordinal));
    }

    [Fact]
    public void The_generic_card_has_every_settings_card_field_with_the_clouds_endpoints()
    {
        var profile = SecretProfile(CloudName.USGov);
        profile.CredentialKeyId = "0b0c0d0e-1111-2222-3333-444455556666";
        profile.CredentialEndsOn = new DateTimeOffset(2028, 12, 3, 0, 0, 0, TimeSpan.Zero);
        profile.EnterpriseAppObjectId = "9d8c7b6a-5f4e-4d3c-2b1a-0f9e8d7c6b5a";

        var rows = ProductSettingsBuilder.Build(profile, SettingsProduct.Generic).ToDictionary(r => r.Name, r => r.Value);

        Assert.Equal(
            new[] { "Profile", "TenantId", "ClientId", "EnterpriseAppObjectId", "CredentialKind", "SecretId", "ClientSecret", "CredentialEndsOn", "SmtpServer", "Port", "Encryption", "UserName", "TokenEndpoint", "Scope" },
            rows.Keys);
        Assert.Equal("smtp.office365.us", rows["SmtpServer"]);
        Assert.Equal("https://login.microsoftonline.us/6b1f2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d/oauth2/v2.0/token", rows["TokenEndpoint"]);
        Assert.Equal("https://outlook.office365.us/.default", rows["Scope"]);
        Assert.Equal("STARTTLS", rows["Encryption"]);
        Assert.Equal("0b0c0d0e-1111-2222-3333-444455556666", rows["SecretId"]);
        Assert.Equal("2028-12-03", rows["CredentialEndsOn"]);
        Assert.Equal("9d8c7b6a-5f4e-4d3c-2b1a-0f9e8d7c6b5a", rows["EnterpriseAppObjectId"]);
    }

    [Fact]
    public void The_secret_row_is_withheld_and_a_certificate_profile_says_it_has_no_secret()
    {
        var withheld = ProductSettingsBuilder.Build(SecretProfile(), SettingsProduct.InLoox).Single(r => r.IsSecret);
        Assert.Equal(ProductSettingsBuilder.SecretWithheld, withheld.Value);

        var certificate = SecretProfile();
        certificate.CredentialKind = CredentialKind.CertificateThumbprint;
        certificate.CertificateThumbprint = "0A1B2C3D4E5F60718293A4B5C6D7E8F901234567";
        var rows = ProductSettingsBuilder.Build(certificate, SettingsProduct.enaio);
        Assert.DoesNotContain(rows, r => r.IsSecret);
        Assert.Contains(rows, r => r.Name == "client secret (Value)" && Equals(r.Value, "(this profile has no client secret)"));
        Assert.Contains(ProductSettingsBuilder.Build(certificate, SettingsProduct.Generic), r => r.Name == "CertificateThumbprint" && Equals(r.Value, certificate.CertificateThumbprint));
    }

    [Fact]
    public void The_store_forgets_a_recorded_key_id_when_the_secret_changes_without_one()
    {
        var directory = Path.Combine(Path.GetTempPath(), "oauthsmtp-store-tests", Guid.NewGuid().ToString("N"));
        try
        {
            var store = new ProfileStore(directory);
            var profile = SecretProfile();
            profile.CredentialKeyId = "key-1";
            profile.CredentialEndsOn = DateTimeOffset.UtcNow.AddDays(700);
            store.SaveProfile(profile, ProfileStoreTests.SecretOf("first"), overwrite: false);
            Assert.Equal("key-1", store.GetProfile("Dms").CredentialKeyId);

            // Set-SmtpOAuthProfile -Port: the credential is unchanged, the facts stay.
            var portOnly = store.GetProfile("Dms");
            portOnly.Port = 25;
            portOnly.Overrides |= ProfileOverrides.Port;
            Assert.Equal("key-1", store.UpdateProfile(portOnly, secret: null).CredentialKeyId);

            // Update-SmtpOAuthCredential: a new secret with its own key id is recorded.
            var rotated = store.GetProfile("Dms");
            rotated.CredentialKeyId = "key-2";
            Assert.Equal("key-2", store.UpdateProfile(rotated, ProfileStoreTests.SecretOf("second")).CredentialKeyId);

            // Set-SmtpOAuthProfile -ClientSecret: another secret, key id unknown: forgotten, not shown wrong.
            var pasted = store.UpdateProfile(store.GetProfile("Dms"), ProfileStoreTests.SecretOf("third"));
            Assert.Null(pasted.CredentialKeyId);
            Assert.Null(pasted.CredentialEndsOn);
        }
        finally
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
    }
}
