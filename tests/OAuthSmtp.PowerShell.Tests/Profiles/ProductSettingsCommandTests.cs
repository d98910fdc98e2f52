using System;
using System.Linq;
using System.Management.Automation;
using System.Net;
using System.Security;
using OAuthSmtp.Hosting;
using Xunit;

namespace OAuthSmtp.PowerShell.Tests.Profiles;

/// <summary>
/// Get-SmtpOAuthSettings as an admin types it: each product's card under its guide's field names, the secret only
/// when asked for (a SecureString, text only with -AsPlainText), Tab completion and pipeline input for -Profile.
/// </summary>
public sealed class ProductSettingsCommandTests : ProfileTestBase
{
    private const string TenantGuid = "6b1f2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";

    public ProductSettingsCommandTests(ProfileSessionFixture fixture)
        : base(fixture)
    {
    }

    private void NewSecretProfile(string name = "Dms") =>
        RunOk($"New-SmtpOAuthProfile -Name {name} -TenantId {TenantGuid} -ClientId {ClientId} -ClientSecret $secret -AllowUnprotectedSecret:$unprotected -Mailbox dms@contoso.com | Out-Null");

    private static string Value(ScriptResult result, string name) =>
        Convert.ToString(result.Output.Single(o => (string)o.Properties["Name"].Value == name).Properties["Value"].Value, System.Globalization.CultureInfo.InvariantCulture)!;

    [Fact]
    public void The_enaio_card_gives_the_enaio_guides_keys_with_the_profiles_values()
    {
        NewSecretProfile();

        var result = RunOk("Get-SmtpOAuthSettings -Profile Dms -Product enaio");

        Assert.All(result.Output, o => Assert.Equal("OAuthSmtp.Engine.Profiles.ProductSettings.ProductSetting", o.BaseObject.GetType().FullName));
        Assert.Equal("dms@contoso.com", Value(result, "SMTPUserName"));
        Assert.Equal("587", Value(result, "SMTPPort"));
        Assert.Equal("2", Value(result, "SMTPSecurity"));
        Assert.Equal("3", Value(result, "SMTPAuthenticating"));
        Assert.Equal(ClientId, Value(result, "OfficeClientID"));
        Assert.Equal(TenantGuid, Value(result, "OfficeTenantID"));
        Assert.Equal("https://login.microsoftonline.com/#TenantID#/oauth2/v2.0/token", Value(result, "OfficeTokenEndpoint"));
        Assert.Equal("https://outlook.office365.com/.default", Value(result, "OfficeAccessScopes"));
        Assert.Equal("(hidden: add -IncludeSecret)", Value(result, "client secret (Value)"));
    }

    [Fact]
    public void Every_product_has_a_card_and_its_table_shows_the_guides_names()
    {
        NewSecretProfile();

        foreach (var (product, names) in new[]
        {
            ("Generic", new[] { "TenantId", "ClientId", "EnterpriseAppObjectId", "SecretId", "ClientSecret", "SmtpServer", "Port", "Encryption", "UserName", "TokenEndpoint", "Scope", "Profile" }),
            ("enaio", new[] { "SMTPUserName", "OfficeClientID", "OfficeTenantID", "OfficeTokenEndpoint", "OfficeAccessScopes", "SMTPSecurity", "SMTPPort", "SMTPAuthenticating" }),
            ("InLoox", new[] { "Tenant ID", "Client ID", "Client Secret" }),
            ("es2000", new[] { "Directory (tenant) ID", "Application (client) ID", "Client secret value" }),
            ("cmxOrganize", new[] { "Benutzername", "Passwort", "TenantID", "Umleitungs-URL" }),
        })
        {
            var table = string.Concat(RunOk($"Get-SmtpOAuthSettings Dms {product} | Out-String -Width 80").Output.Select(o => o.ToString()));
            foreach (var name in names)
            {
                Assert.Contains(name, table, StringComparison.Ordinal);
            }

            Assert.DoesNotContain(Secret, table, StringComparison.Ordinal);
            Assert.All(table.Split('\n'), line => Assert.True(line.TrimEnd().Length <= 80, $"{product}: line over 80 columns: {line}"));
        }
    }

    [Fact]
    public void The_secret_appears_only_when_asked_as_a_SecureString_unless_as_plain_text()
    {
        NewSecretProfile();

        var hidden = RunOk("Get-SmtpOAuthSettings -Profile Dms -Product cmxOrganize | Format-List *", render: true);
        Assert.DoesNotContain(Secret, hidden.HostText, StringComparison.Ordinal);

        var secure = RunOk("Get-SmtpOAuthSettings -Profile Dms -IncludeSecret | Where-Object IsSecret");
        var value = Assert.IsType<SecureString>(Assert.Single(secure.Output).Properties["Value"].Value);
        Assert.Equal(Secret, new NetworkCredential(string.Empty, value).Password);

        var plain = RunOk("(Get-SmtpOAuthSettings -Profile Dms -Product cmxOrganize -IncludeSecret -AsPlainText | Where-Object Name -eq Passwort).Value");
        Assert.Equal(Secret, Assert.Single(plain.Output).BaseObject);
    }

    [Fact]
    public void As_plain_text_without_include_secret_is_refused_and_a_missing_profile_is_named()
    {
        NewSecretProfile();

        AssertSingleError(Run("Get-SmtpOAuthSettings -Profile Dms -AsPlainText"), "SettingsSecretNotRequested", "GetSmtpOAuthSettingsCommand", ErrorCategory.InvalidArgument);
        var missing = AssertSingleError(Run("Get-SmtpOAuthSettings -Profile Missing -Product enaio"), "ProfileNotFound", "GetSmtpOAuthSettingsCommand", ErrorCategory.ObjectNotFound);
        Assert.Equal("Missing", missing.TargetObject);
    }

    [Fact]
    public void Profiles_pipe_in_by_name_and_Tab_completes_the_profile_and_the_product()
    {
        NewSecretProfile("Dms");
        NewSecretProfile("Dms2");

        var piped = RunOk("Get-SmtpOAuthProfile Dms* | Get-SmtpOAuthSettings -Product enaio | Where-Object Name -eq SMTPUserName");
        Assert.Equal(new[] { "Dms", "Dms2" }, piped.Output.Select(o => (string)o.Properties["Profile"].Value));

        Assert.Equal(new[] { "Dms", "Dms2" }, Complete("Get-SmtpOAuthSettings -Profile Dm"));
        Assert.Equal(new[] { "cmxOrganize" }, Complete("Get-SmtpOAuthSettings -Profile Dms -Product c"));
    }

    private string[] Complete(string line) =>
        RunOk($"(TabExpansion2 -inputScript '{line}' -cursorColumn {line.Length}).CompletionMatches | ForEach-Object CompletionText").Output.Select(o => o.ToString()).ToArray();

    [Fact]
    public void A_certificate_profile_says_the_product_needs_a_secret_it_does_not_have()
    {
        RunOk($"New-SmtpOAuthProfile -Name Cert -TenantId {TenantGuid} -ClientId {ClientId} -CertificateThumbprint 0A1B2C3D4E5F60718293A4B5C6D7E8F901234567 -Mailbox dms@contoso.com | Out-Null");

        var result = RunOk("Get-SmtpOAuthSettings -Profile Cert -Product InLoox -IncludeSecret");

        Assert.Equal("(this profile has no client secret)", Value(result, "Client Secret"));
        Assert.Equal("0A1B2C3D4E5F60718293A4B5C6D7E8F901234567", Value(RunOk("Get-SmtpOAuthSettings -Profile Cert"), "CertificateThumbprint"));
    }
}
