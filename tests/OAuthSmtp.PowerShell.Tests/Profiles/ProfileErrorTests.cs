using System.Linq;
using System.IO;
using System.Management.Automation;
using Xunit;

namespace OAuthSmtp.PowerShell.Tests.Profiles;

/// <summary>Every bad input: a stable FullyQualifiedErrorId, the right category, a fix, and nothing changed.</summary>
public sealed class ProfileErrorTests : ProfileTestBase
{
    private const string New = "NewSmtpOAuthProfileCommand";
    private const string Valid = "-TenantId contoso.onmicrosoft.com -ClientId 3f1c2b9a-0d4e-4a51-9c8e-2b7f6a1d0e53 -Mailbox scanner@contoso.com";

    public ProfileErrorTests(ProfileSessionFixture fixture)
        : base(fixture)
    {
    }

    [Theory]
    [InlineData("-TenantId 'not a tenant!' -ClientId 3f1c2b9a-0d4e-4a51-9c8e-2b7f6a1d0e53 -Mailbox a@contoso.com -DeviceCode", "InvalidTenantId")]
    [InlineData("-TenantId contoso.onmicrosoft.com -ClientId 3f1c2b9a-0d4e -Mailbox a@contoso.com -DeviceCode", "InvalidClientId")]
    [InlineData("-TenantId contoso.onmicrosoft.com -Mailbox a@contoso.com -DeviceCode", "InvalidClientId")]
    [InlineData("-TenantId contoso.onmicrosoft.com -ClientId 3f1c2b9a-0d4e-4a51-9c8e-2b7f6a1d0e53 -DeviceCode -Mailbox 'scanner at contoso'", "InvalidMailbox")]
    [InlineData(Valid + " -DeviceCode -Port 70000", "InvalidPort")]
    [InlineData(Valid + " -DeviceCode -Port 0", "InvalidPort")]
    [InlineData(Valid + " -DeviceCode -ManagedIdentity", "ConflictingCredentials")]
    [InlineData(Valid + " -ClientSecret $secret -CertificateThumbprint ABCDEF0123456789ABCDEF0123456789ABCDEF01", "ConflictingCredentials")]
    [InlineData(Valid + " -Interactive -CertificatePassword $secret", "ConflictingCredentials")]
    [InlineData(Valid + " -ClientSecret $secret -SecretName Smtp", "ConflictingCredentials")]
    [InlineData(Valid, "MissingCredential")]
    [InlineData(Valid + " -ManagedIdentity -Scope https://outlook.office365.com/SMTP.SendAsApp", "InvalidScope")]
    [InlineData(Valid + " -DeviceCode -TokenGraceSeconds 4000", "InvalidTokenGraceSeconds")]
    [InlineData(Valid + " -DeviceCode -AuthorityHost http://login.microsoftonline.com", "InvalidAuthorityHost")]
    [InlineData(Valid + " -DeviceCode -SmtpServer 'smtp server'", "InvalidSmtpServer")]
    [InlineData(Valid + " -CertificateThumbprint 1234", "InvalidCertificateThumbprint")]
    [InlineData(Valid + " -ManagedIdentity -ManagedIdentityId not-a-guid", "InvalidManagedIdentityId")]
    public void New_rejects_bad_input_and_writes_nothing(string arguments, string errorId)
    {
        var result = Run("New-SmtpOAuthProfile -Name Scanner " + arguments);

        Assert.Empty(result.Output);
        AssertSingleError(result, errorId, New, ErrorCategory.InvalidArgument);
        Assert.False(File.Exists(ProfilesFile), "A profile file was written for bad input.");
    }

    [Theory]
    [InlineData("'Scan*'")]
    [InlineData("' padded'")]
    public void Bad_names_are_refused(string name)
    {
        var result = Run($"New-SmtpOAuthProfile -Name {name} {Valid} -DeviceCode");
        AssertSingleError(result, "InvalidProfileName", New, ErrorCategory.InvalidArgument);
        Assert.False(File.Exists(ProfilesFile));
    }

    [Fact]
    public void An_existing_name_needs_Force()
    {
        RunOk($"New-SmtpOAuthProfile -Name Scanner {Valid} -DeviceCode | Out-Null");
        var before = File.ReadAllText(ProfilesFile);

        var again = Run($"New-SmtpOAuthProfile -Name scanner {Valid} -Interactive");
        AssertSingleError(again, "ProfileAlreadyExists", New, ErrorCategory.ResourceExists);
        Assert.Equal(before, File.ReadAllText(ProfilesFile));

        var forced = Assert.Single(RunOk($"New-SmtpOAuthProfile -Name Scanner {Valid} -Interactive -Force").Output);
        Assert.Equal("Interactive", Property<string>(forced, "CredentialKind"));
    }

    [Fact]
    public void Unknown_profiles_are_reported_by_Set_and_Remove()
    {
        AssertSingleError(Run("Set-SmtpOAuthProfile -Name Missing -Port 25"), "ProfileNotFound", "SetSmtpOAuthProfileCommand", ErrorCategory.ObjectNotFound);
        AssertSingleError(Run("Remove-SmtpOAuthProfile -Name Missing -Confirm:$false"), "ProfileNotFound", "RemoveSmtpOAuthProfileCommand", ErrorCategory.ObjectNotFound);
        Assert.False(File.Exists(ProfilesFile));
    }

    [Fact]
    public void Set_with_bad_input_changes_nothing()
    {
        RunOk($"New-SmtpOAuthProfile -Name Scanner {Valid} -DeviceCode | Out-Null");
        var before = File.ReadAllText(ProfilesFile);

        AssertSingleError(Run("Set-SmtpOAuthProfile Scanner -Mailbox nobody -Port 25"), "InvalidMailbox", "SetSmtpOAuthProfileCommand", ErrorCategory.InvalidArgument);
        AssertSingleError(Run("Set-SmtpOAuthProfile Scanner -ManagedIdentity -Interactive"), "ConflictingCredentials", "SetSmtpOAuthProfileCommand", ErrorCategory.InvalidArgument);
        Assert.Equal(before, File.ReadAllText(ProfilesFile));
    }

    [Fact]
    public void A_certificate_object_outside_the_stores_is_refused()
    {
        var result = Run($"""
            $rsa = [System.Security.Cryptography.RSA]::Create(2048)
            $request = [System.Security.Cryptography.X509Certificates.CertificateRequest]::new('CN=Not in a store', $rsa, [System.Security.Cryptography.HashAlgorithmName]::SHA256, [System.Security.Cryptography.RSASignaturePadding]::Pkcs1)
            $cert = $request.CreateSelfSigned([DateTimeOffset]::Now, [DateTimeOffset]::Now.AddDays(1))
            New-SmtpOAuthProfile -Name Scanner {Valid} -Certificate $cert
            """);
        AssertSingleError(result, "CertificateNotInStore", New, ErrorCategory.ObjectNotFound);
        Assert.False(File.Exists(ProfilesFile));
    }

    [Fact]
    public void A_missing_pfx_file_is_refused()
    {
        var result = Run($"New-SmtpOAuthProfile -Name Scanner {Valid} -CertificatePath '{Path.Combine(Home, "missing.pfx")}'");
        AssertSingleError(result, "CertificateFileNotFound", New, ErrorCategory.ObjectNotFound);
    }

    [Fact]
    public void A_secret_is_not_stored_unencrypted_without_consent()
    {
        var result = Run($"New-SmtpOAuthProfile -Name Scanner {Valid} -ClientSecret $secret");
        if (IsWindows)
        {
            Assert.Equal("Dpapi", Property<string>(Assert.Single(result.Output), "SecretProtection"));
            return;
        }

        var error = AssertSingleError(result, "UnprotectedSecretNotAllowed", New, ErrorCategory.SecurityError);
        Assert.Contains("-AllowUnprotectedSecret", error.ErrorDetails.RecommendedAction);
        Assert.Contains("-SecretName", error.ErrorDetails.RecommendedAction);
        Assert.False(File.Exists(ProfilesFile));
        Assert.False(Directory.Exists(Path.Combine(Home, "secrets")));
    }

    [Fact]
    public void A_corrupt_profile_file_is_reported_and_never_overwritten()
    {
        const string damaged = "{\"schemaVersion\":1,\"profiles\":[{\"name\":\"Scanner\",";
        File.WriteAllText(ProfilesFile, damaged);

        var get = Run("Get-SmtpOAuthProfile");
        var error = AssertSingleError(get, "ProfileStoreCorrupt", "GetSmtpOAuthProfileCommand", ErrorCategory.InvalidData);
        Assert.Contains(ProfilesFile, error.ErrorDetails.Message);
        Assert.Contains("Move-Item", error.ErrorDetails.RecommendedAction);

        AssertSingleError(Run($"New-SmtpOAuthProfile -Name Other {Valid} -DeviceCode -Force"), "ProfileStoreCorrupt", New, ErrorCategory.InvalidData);
        AssertSingleError(Run("Remove-SmtpOAuthProfile -Name Scanner -Confirm:$false"), "ProfileStoreCorrupt", "RemoveSmtpOAuthProfileCommand", ErrorCategory.InvalidData);
        Assert.Equal(damaged, File.ReadAllText(ProfilesFile));
    }

    [Fact]
    public void A_profile_file_of_a_newer_schema_is_reported()
    {
        const string newer = "{\"schemaVersion\":2,\"profiles\":[]}";
        File.WriteAllText(ProfilesFile, newer);
        AssertSingleError(Run($"New-SmtpOAuthProfile -Name Other {Valid} -DeviceCode"), "ProfileStoreVersionUnsupported", New, ErrorCategory.InvalidData);
        Assert.Equal(newer, File.ReadAllText(ProfilesFile));
    }

    [Fact]
    public void An_unreadable_profile_file_is_reported()
    {
        // A folder where the file should be cannot be read on any platform, even as root.
        Directory.CreateDirectory(ProfilesFile);
        var result = Run("Get-SmtpOAuthProfile");
        var error = AssertSingleError(result, "ProfileStoreUnreadable", "GetSmtpOAuthProfileCommand", ErrorCategory.ReadError);
        Assert.Contains(ProfilesFile, error.ErrorDetails.Message);
    }

    [Theory]
    [InlineData("-TenantId common", "InvalidTenantId")]
    [InlineData("-TenantId contoso.onmicrosoft.com -AuthorityHost http://login.microsoftonline.com", "InvalidAuthorityHost")]
    public void One_mistake_has_one_error_id_in_the_profile_and_token_cmdlets(string arguments, string errorId)
    {
        var credential = $" -ClientId {ClientId} -ClientSecret $secret";
        AssertSingleError(Run($"New-SmtpOAuthProfile -Name Scanner -Mailbox scanner@contoso.com {arguments}{credential} -AllowUnprotectedSecret"), errorId, New, ErrorCategory.InvalidArgument);
        AssertSingleError(Run($"Get-SmtpOAuthToken {arguments}{credential}"), errorId, "GetSmtpOAuthTokenCommand", ErrorCategory.InvalidArgument);
        Assert.False(File.Exists(ProfilesFile));
    }

    [Fact]
    public void Cloud_and_ManagedIdentityIdKind_are_the_engine_enums_in_every_cmdlet()
    {
        var types = RunOk("""
            foreach ($command in 'New-SmtpOAuthProfile', 'Set-SmtpOAuthProfile', 'Get-SmtpOAuthToken') {
                $parameters = (Get-Command $command).Parameters
                "$command Cloud $($parameters['Cloud'].ParameterType.FullName)"
                "$command ManagedIdentityIdKind $($parameters['ManagedIdentityIdKind'].ParameterType.FullName)"
            }
            """).Output.Select(o => o.ToString()).ToList();
        Assert.Equal(6, types.Count);
        Assert.All(types.Where(t => t.Contains(" Cloud ", System.StringComparison.Ordinal)), t => Assert.EndsWith("OAuthSmtp.Engine.Profiles.CloudName", t, System.StringComparison.Ordinal));
        Assert.All(types.Where(t => t.Contains(" ManagedIdentityIdKind ", System.StringComparison.Ordinal)), t => Assert.EndsWith("OAuthSmtp.Engine.Profiles.ManagedIdentityIdKind", t, System.StringComparison.Ordinal));

        var profile = Assert.Single(RunOk($"New-SmtpOAuthProfile -Name Gov {Valid} -DeviceCode -Cloud usgov").Output);
        Assert.Equal("USGov", Property<string>(profile, "Cloud"));
        var germany = Assert.Single(Run($"New-SmtpOAuthProfile -Name Bad {Valid} -DeviceCode -Cloud Germany").AllErrors);
        Assert.StartsWith("CannotConvertArgumentNoMessage,", germany.FullyQualifiedErrorId, System.StringComparison.Ordinal);
    }
}
