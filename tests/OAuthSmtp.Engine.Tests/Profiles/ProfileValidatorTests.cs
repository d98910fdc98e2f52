using System;
using System.IO;
using OAuthSmtp.Engine.Errors;
using OAuthSmtp.Engine.Profiles;
using Xunit;

namespace OAuthSmtp.Engine.Tests.Profiles;

public sealed class ProfileValidatorTests
{
    private static SmtpOAuthProfile Valid(CredentialKind kind = CredentialKind.SystemManagedIdentity) => ProfileStoreTests.Profile("Scanner", kind);

    private static void AssertRejected(string errorId, Action<SmtpOAuthProfile> change, CredentialKind kind = CredentialKind.SystemManagedIdentity)
    {
        var profile = Valid(kind);
        change(profile);
        var error = Assert.Throws<OAuthSmtpException>(() => ProfileValidator.Normalize(profile));
        Assert.Equal(errorId, error.ErrorId);
        Assert.False(string.IsNullOrWhiteSpace(error.Fix));
    }

    [Theory]
    [InlineData("contoso.onmicrosoft.com")]
    [InlineData("CONTOSO.COM")]
    [InlineData("sub.contoso.co.uk")]
    [InlineData("9188040d-6c67-4c5b-b112-36a304b66dad")]
    public void Tenants_are_GUIDs_or_domains(string tenant) => Assert.True(ProfileValidator.IsTenant(tenant));

    [Theory]
    [InlineData("")]
    [InlineData("contoso")]
    [InlineData("not a tenant")]
    [InlineData("00000000-0000-0000-0000-000000000000")]
    [InlineData("contoso..com")]
    [InlineData("https://contoso.com")]
    public void Anything_else_is_not_a_tenant(string tenant) => AssertRejected(ErrorIds.InvalidTenantId, p => p.TenantId = tenant);

    [Theory]
    [InlineData("scanner@contoso.com", true)]
    [InlineData("first.last+smtp@sub.contoso.co.uk", true)]
    [InlineData("o'brien@contoso.com", true)]
    [InlineData("scanner", false)]
    [InlineData("scanner@", false)]
    [InlineData("@contoso.com", false)]
    [InlineData("scan ner@contoso.com", false)]
    [InlineData("Scanner <scanner@contoso.com>", false)]
    [InlineData("a..b@contoso.com", false)]
    [InlineData("a@b@contoso.com", false)]
    public void Mailboxes_are_SMTP_addresses(string mailbox, bool valid) => Assert.Equal(valid, ProfileValidator.IsSmtpAddress(mailbox));

    [Fact]
    public void Each_setting_is_checked()
    {
        AssertRejected(ErrorIds.InvalidMailbox, p => p.Mailbox = "nobody");
        AssertRejected(ErrorIds.InvalidPort, p => { p.Port = 0; p.Overrides |= ProfileOverrides.Port; });
        AssertRejected(ErrorIds.InvalidPort, p => { p.Port = 65536; p.Overrides |= ProfileOverrides.Port; });
        AssertRejected(ErrorIds.InvalidSmtpServer, p => { p.SmtpServer = "smtp server"; p.Overrides |= ProfileOverrides.SmtpServer; });
        AssertRejected(ErrorIds.InvalidAuthorityHost, p => { p.AuthorityHost = new Uri("http://login.microsoftonline.com"); p.Overrides |= ProfileOverrides.AuthorityHost; });
        AssertRejected(ErrorIds.InvalidTokenGraceSeconds, p => p.TokenGraceSeconds = -1);
        AssertRejected(ErrorIds.InvalidTokenGraceSeconds, p => p.TokenGraceSeconds = 3601);
        AssertRejected(ErrorIds.InvalidClientId, p => p.ClientId = Guid.Empty, CredentialKind.DeviceCode);
        AssertRejected(ErrorIds.InvalidProfileName, p => p.Name = "Scan*");
        AssertRejected(ErrorIds.InvalidProfileName, p => p.Name = new string('n', 65));
        AssertRejected(ErrorIds.InvalidCertificateThumbprint, p => p.CertificateThumbprint = "XYZ", CredentialKind.CertificateThumbprint);
        AssertRejected(ErrorIds.CertificateFileNotFound, p => p.CertificatePath = Path.Combine(Path.GetTempPath(), Guid.NewGuid() + ".pfx"), CredentialKind.CertificateFile);
        AssertRejected(ErrorIds.InvalidManagedIdentityId, p => p.ManagedIdentityId = "not-a-guid", CredentialKind.UserManagedIdentity);
        AssertRejected(ErrorIds.InvalidManagedIdentityId, p => { p.ManagedIdentityId = "9d2f6a3c-1b7e-4f0a-8c5d-3e6b2a1f0c94"; p.ManagedIdentityIdKind = ManagedIdentityIdKind.ResourceId; }, CredentialKind.UserManagedIdentity);
    }

    [Theory]
    [InlineData(false, "https://outlook.office365.com/SMTP.SendAsApp")]
    [InlineData(false, "https://outlook.office365.com/.default offline_access")]
    [InlineData(false, "https://outlook.office365.com/.default https://graph.microsoft.com/.default")]
    [InlineData(false, "")]
    [InlineData(true, "offline_access")]
    [InlineData(true, "SMTP.Send")]
    public void Scopes_must_fit_the_credential_kind(bool delegated, string scope) =>
        AssertRejected(ErrorIds.InvalidScope, p => { p.Scope = scope; p.Overrides |= ProfileOverrides.Scope; }, delegated ? CredentialKind.DeviceCode : CredentialKind.ClientSecret);

    [Theory]
    [InlineData(CloudName.Global, "smtp.office365.com", "https://login.microsoftonline.com/", "https://outlook.office365.com/.default")]
    [InlineData(CloudName.USGov, "smtp.office365.us", "https://login.microsoftonline.us/", "https://outlook.office365.us/.default")]
    [InlineData(CloudName.USGovDoD, "outlook-dod.office365.us", "https://login.microsoftonline.us/", "https://outlook-dod.office365.us/.default")]
    [InlineData(CloudName.China, "smtp.partner.outlook.cn", "https://login.partner.microsoftonline.cn/", "https://partner.outlook.cn/.default")]
    public void Settings_follow_the_cloud(CloudName cloud, string smtpServer, string authorityHost, string scope)
    {
        var profile = Valid();
        profile.Cloud = cloud;
        ProfileValidator.Normalize(profile);
        Assert.Equal(smtpServer, profile.SmtpServer);
        Assert.Equal(587, profile.Port);
        Assert.Equal(authorityHost, profile.AuthorityHost.ToString());
        Assert.Equal(scope, profile.Scope);
    }

    [Fact]
    public void Overridden_settings_survive_a_change_of_cloud_and_the_rest_is_derived_again()
    {
        var profile = Valid(CredentialKind.DeviceCode);
        profile.SmtpServer = "relay.contoso.com";
        profile.Overrides = ProfileOverrides.SmtpServer;
        profile.AllowNonMicrosoftHost = true;
        ProfileValidator.Normalize(profile);
        Assert.Equal("https://outlook.office.com/SMTP.Send offline_access", profile.Scope);

        profile.Cloud = CloudName.USGov;
        ProfileValidator.Normalize(profile);
        Assert.Equal("relay.contoso.com", profile.SmtpServer);
        Assert.Equal("https://login.microsoftonline.us/", profile.AuthorityHost.ToString());
        Assert.Equal("https://outlook.office365.us/SMTP.Send offline_access", profile.Scope);

        profile.Overrides = ProfileOverrides.None;
        ProfileValidator.Normalize(profile);
        Assert.Equal("smtp.office365.us", profile.SmtpServer);
    }

    [Fact]
    public void Fields_of_other_credential_kinds_are_cleared_and_thumbprints_normalized()
    {
        var profile = Valid(CredentialKind.CertificateThumbprint);
        profile.CertificateThumbprint = "ab cd ef 01 23 45 67 89 ab cd ef 01 23 45 67 89 ab cd ef 01";
        profile.ManagedIdentityId = "9d2f6a3c-1b7e-4f0a-8c5d-3e6b2a1f0c94";
        profile.SecretName = "Leftover";
        ProfileValidator.Normalize(profile);

        Assert.Equal("ABCDEF0123456789ABCDEF0123456789ABCDEF01", profile.CertificateThumbprint);
        Assert.Equal("CurrentUser", profile.CertificateStoreLocation);
        Assert.Null(profile.ManagedIdentityId);
        Assert.Null(profile.SecretName);
    }

    [Fact]
    public void Client_ids_are_GUIDs()
    {
        Assert.Equal(Guid.Parse("3f1c2b9a-0d4e-4a51-9c8e-2b7f6a1d0e53"), ProfileValidator.ParseClientId(" 3f1c2b9a-0d4e-4a51-9c8e-2b7f6a1d0e53 "));
        Assert.Equal(ErrorIds.InvalidClientId, Assert.Throws<OAuthSmtpException>(() => ProfileValidator.ParseClientId("3f1c2b9a")).ErrorId);
        Assert.Equal(ErrorIds.InvalidClientId, Assert.Throws<OAuthSmtpException>(() => ProfileValidator.ParseClientId(Guid.Empty.ToString())).ErrorId);
    }

    [Theory]
    [InlineData("common")]
    [InlineData("organizations")]
    [InlineData("not a tenant!")]
    public void A_bad_tenant_is_InvalidTenantId_for_a_stored_profile_and_for_parameters_alike(string tenant)
    {
        var stored = Valid(CredentialKind.ClientSecret);
        stored.TenantId = tenant;
        var adHoc = Valid(CredentialKind.ClientSecret);
        adHoc.Name = string.Empty;
        adHoc.TenantId = tenant;

        Assert.Equal(ErrorIds.InvalidTenantId, Assert.Throws<OAuthSmtpException>(() => ProfileValidator.Normalize(stored)).ErrorId);
        Assert.Equal(ErrorIds.InvalidTenantId, Assert.Throws<OAuthSmtpException>(() => ProfileValidator.NormalizeAdHoc(adHoc)).ErrorId);
    }

    [Theory]
    [InlineData("http://login.microsoftonline.com")]
    [InlineData("login.microsoftonline.com")]
    [InlineData("https://login.microsoftonline.com/?x=1")]
    public void A_bad_authority_host_is_InvalidAuthorityHost_wherever_it_is_parsed(string value)
    {
        var error = Assert.Throws<OAuthSmtpException>(() => ProfileValidator.ParseAuthorityHost(value));
        Assert.Equal(ErrorIds.InvalidAuthorityHost, error.ErrorId);
        Assert.Equal(value, error.TargetObject);
    }

    [Fact]
    public void Parameters_need_no_name_no_mailbox_and_for_a_managed_identity_no_tenant()
    {
        var adHoc = new SmtpOAuthProfile { CredentialKind = CredentialKind.SystemManagedIdentity };
        ProfileValidator.NormalizeAdHoc(adHoc);
        Assert.Equal("https://outlook.office365.com/.default", adHoc.Scope);

        var noClient = new SmtpOAuthProfile { CredentialKind = CredentialKind.ClientSecret, TenantId = "contoso.onmicrosoft.com" };
        Assert.Equal(ErrorIds.InvalidClientId, Assert.Throws<OAuthSmtpException>(() => ProfileValidator.NormalizeAdHoc(noClient)).ErrorId);

        var badMailbox = new SmtpOAuthProfile { CredentialKind = CredentialKind.SystemManagedIdentity, Mailbox = "nobody" };
        Assert.Equal(ErrorIds.InvalidMailbox, Assert.Throws<OAuthSmtpException>(() => ProfileValidator.NormalizeAdHoc(badMailbox)).ErrorId);
    }
}
