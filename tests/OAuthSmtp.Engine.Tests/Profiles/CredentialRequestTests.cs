using OAuthSmtp.Engine.Errors;
using OAuthSmtp.Engine.Profiles;
using Xunit;

namespace OAuthSmtp.Engine.Tests.Profiles;

public sealed class CredentialRequestTests
{
    [Fact]
    public void One_parameter_chooses_each_kind()
    {
        Assert.Equal(CredentialKind.ClientSecret, new CredentialRequest { ClientSecret = true }.SelectKind(null));
        Assert.Equal(CredentialKind.ClientSecret, new CredentialRequest { Credential = true }.SelectKind(null));
        Assert.Equal(CredentialKind.ClientSecret, new CredentialRequest { SecretName = true }.SelectKind(null));
        Assert.Equal(CredentialKind.CertificateThumbprint, new CredentialRequest { CertificateThumbprint = true, CertificateStoreLocation = true }.SelectKind(null));
        Assert.Equal(CredentialKind.CertificateThumbprint, new CredentialRequest { Certificate = true }.SelectKind(null));
        Assert.Equal(CredentialKind.CertificateFile, new CredentialRequest { CertificatePath = true, CertificatePassword = true }.SelectKind(null));
        Assert.Equal(CredentialKind.CertificateFile, new CredentialRequest { CertificatePath = true, SecretName = true }.SelectKind(null));
        Assert.Equal(CredentialKind.SystemManagedIdentity, new CredentialRequest { ManagedIdentity = true }.SelectKind(null));
        Assert.Equal(CredentialKind.UserManagedIdentity, new CredentialRequest { ManagedIdentity = true, ManagedIdentityId = true }.SelectKind(null));
        Assert.Equal(CredentialKind.DeviceCode, new CredentialRequest { DeviceCode = true }.SelectKind(null));
        Assert.Equal(CredentialKind.Interactive, new CredentialRequest { Interactive = true }.SelectKind(null));
    }

    [Fact]
    public void Refinements_keep_the_current_kind()
    {
        Assert.Equal(CredentialKind.CertificateFile, new CredentialRequest { CertificatePassword = true }.SelectKind(CredentialKind.CertificateFile));
        Assert.Equal(CredentialKind.CertificateFile, new CredentialRequest { SecretName = true }.SelectKind(CredentialKind.CertificateFile));
        Assert.Equal(CredentialKind.CertificateThumbprint, new CredentialRequest { CertificateStoreLocation = true }.SelectKind(CredentialKind.CertificateThumbprint));
        Assert.Equal(CredentialKind.UserManagedIdentity, new CredentialRequest { ManagedIdentityId = true }.SelectKind(CredentialKind.SystemManagedIdentity));
        Assert.Equal(CredentialKind.DeviceCode, new CredentialRequest().SelectKind(CredentialKind.DeviceCode));
    }

    [Fact]
    public void Two_kinds_or_a_misplaced_detail_conflict()
    {
        void AssertConflict(CredentialRequest request, CredentialKind? current = null)
        {
            var error = Assert.Throws<OAuthSmtpException>(() => request.SelectKind(current));
            Assert.Equal(ErrorIds.ConflictingCredentials, error.ErrorId);
            Assert.StartsWith("-", error.Message);
        }

        AssertConflict(new CredentialRequest { ClientSecret = true, CertificateThumbprint = true });
        AssertConflict(new CredentialRequest { ClientSecret = true, Credential = true });
        AssertConflict(new CredentialRequest { DeviceCode = true, Interactive = true, ManagedIdentity = true });
        AssertConflict(new CredentialRequest { ClientSecret = true, SecretName = true });
        AssertConflict(new CredentialRequest { Interactive = true, CertificatePassword = true });
        AssertConflict(new CredentialRequest { CertificatePassword = true }, CredentialKind.ClientSecret);
        AssertConflict(new CredentialRequest { DeviceCode = true, ManagedIdentityId = true });
        AssertConflict(new CredentialRequest { ManagedIdentity = true, SecretName = true });
        AssertConflict(new CredentialRequest { CertificatePath = true, SecretName = true, CertificatePassword = true });

        var multi = Assert.Throws<OAuthSmtpException>(() => new CredentialRequest { DeviceCode = true, Interactive = true, ManagedIdentity = true }.SelectKind(null));
        Assert.Contains("-ManagedIdentity, -DeviceCode and -Interactive", multi.Message);
    }

    [Fact]
    public void No_credential_at_all_is_missing() =>
        Assert.Equal(ErrorIds.MissingCredential, Assert.Throws<OAuthSmtpException>(() => new CredentialRequest().SelectKind(null)).ErrorId);
}
