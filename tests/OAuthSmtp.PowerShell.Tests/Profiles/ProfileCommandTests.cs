using System.IO;
using System.Linq;
using Xunit;

namespace OAuthSmtp.PowerShell.Tests.Profiles;

/// <summary>Every profile operation as a user types it: create, list with wildcards, change, remove, -WhatIf, pipelines.</summary>
public sealed class ProfileCommandTests : ProfileTestBase
{
    public ProfileCommandTests(ProfileSessionFixture fixture)
        : base(fixture)
    {
    }

    [Fact]
    public void New_returns_the_profile_with_settings_derived_from_the_cloud()
    {
        var result = RunOk($"New-SmtpOAuthProfile -Name Scanner -TenantId {TenantId} -ClientId {ClientId} -ClientSecret $secret -AllowUnprotectedSecret:$unprotected -Mailbox scanner@contoso.com");

        var profile = Assert.Single(result.Output);
        Assert.Equal("OAuthSmtp.Engine.Profiles.SmtpOAuthProfile", profile.BaseObject.GetType().FullName);
        Assert.Equal("Scanner", Property<string>(profile, "Name"));
        Assert.Equal("ClientSecret", Property<string>(profile, "CredentialKind"));
        Assert.Equal("smtp.office365.com", Property<string>(profile, "SmtpServer"));
        Assert.Equal(587, Property<int>(profile, "Port"));
        Assert.Equal("https://login.microsoftonline.com/", Property<string>(profile, "AuthorityHost"));
        Assert.Equal("https://outlook.office365.com/.default", Property<string>(profile, "Scope"));
        Assert.Equal(30, Property<int>(profile, "TokenGraceSeconds"));
        Assert.Equal(IsWindows ? "Dpapi" : "Unprotected", Property<string>(profile, "SecretProtection"));

        var json = File.ReadAllText(ProfilesFile);
        Assert.Contains("\"schemaVersion\": 1", json);
        Assert.Contains("\"name\": \"Scanner\"", json);
    }

    [Fact]
    public void Every_credential_kind_can_be_created()
    {
        var pfx = Path.Combine(Home, "app.pfx");
        RunOk($$"""
            $rsa = [System.Security.Cryptography.RSA]::Create(2048)
            $request = [System.Security.Cryptography.X509Certificates.CertificateRequest]::new('CN=OAuthSmtp test', $rsa, [System.Security.Cryptography.HashAlgorithmName]::SHA256, [System.Security.Cryptography.RSASignaturePadding]::Pkcs1)
            $cert = $request.CreateSelfSigned([DateTimeOffset]::Now, [DateTimeOffset]::Now.AddDays(1))
            [IO.File]::WriteAllBytes('{{pfx}}', $cert.Export('Pkcs12', 'pfx-password'))
            $pfxPassword = [System.Net.NetworkCredential]::new('', 'pfx-password').SecurePassword
            $credential = [PSCredential]::new('{{ClientId}}', $secret)
            $common = @{ TenantId = '{{TenantId}}'; Mailbox = 'app@contoso.com' }
            New-SmtpOAuthProfile -Name ByCredential @common -Credential $credential -AllowUnprotectedSecret:$unprotected | Out-Null
            New-SmtpOAuthProfile -Name ByThumbprint @common -ClientId {{ClientId}} -CertificateThumbprint $cert.Thumbprint -CertificateStoreLocation LocalMachine | Out-Null
            New-SmtpOAuthProfile -Name ByFile @common -ClientId {{ClientId}} -CertificatePath '{{pfx}}' -CertificatePassword $pfxPassword -AllowUnprotectedSecret:$unprotected | Out-Null
            New-SmtpOAuthProfile -Name SystemIdentity @common -ManagedIdentity | Out-Null
            New-SmtpOAuthProfile -Name UserIdentity @common -ManagedIdentity -ManagedIdentityId 9d2f6a3c-1b7e-4f0a-8c5d-3e6b2a1f0c94 | Out-Null
            New-SmtpOAuthProfile -Name Device @common -ClientId {{ClientId}} -DeviceCode | Out-Null
            New-SmtpOAuthProfile -Name Browser @common -ClientId {{ClientId}} -Interactive | Out-Null
            New-SmtpOAuthProfile -Name Vaulted @common -ClientId {{ClientId}} -SecretName SmtpAppSecret -Vault CorpVault | Out-Null
            """);

        var profiles = RunOk("Get-SmtpOAuthProfile").Output.ToDictionary(p => Property<string>(p, "Name"));
        Assert.Equal("ClientSecret", Property<string>(profiles["ByCredential"], "CredentialKind"));
        Assert.Equal(ClientId, Property<string>(profiles["ByCredential"], "ClientId"));
        Assert.Equal("CertificateThumbprint", Property<string>(profiles["ByThumbprint"], "CredentialKind"));
        Assert.Equal("LocalMachine", Property<string>(profiles["ByThumbprint"], "CertificateStoreLocation"));
        Assert.Equal("CertificateFile", Property<string>(profiles["ByFile"], "CredentialKind"));
        Assert.Equal(pfx, Property<string>(profiles["ByFile"], "CertificatePath"));
        Assert.Equal("SystemManagedIdentity", Property<string>(profiles["SystemIdentity"], "CredentialKind"));
        Assert.Equal("UserManagedIdentity", Property<string>(profiles["UserIdentity"], "CredentialKind"));
        Assert.Equal("ClientId", Property<string>(profiles["UserIdentity"], "ManagedIdentityIdKind"));
        Assert.Equal("DeviceCode", Property<string>(profiles["Device"], "CredentialKind"));
        Assert.Equal("https://outlook.office.com/SMTP.Send offline_access", Property<string>(profiles["Device"], "Scope"));
        Assert.Equal("Interactive", Property<string>(profiles["Browser"], "CredentialKind"));
        Assert.Equal("SecretManagement", Property<string>(profiles["Vaulted"], "SecretProtection"));
        Assert.Equal("CorpVault", Property<string>(profiles["Vaulted"], "Vault"));
        Assert.Equal("None", Property<string>(profiles["Device"], "SecretProtection"));
    }

    [Fact]
    public void Get_takes_wildcards_and_reports_unknown_literal_names()
    {
        RunOk($$"""
            foreach ($name in 'Scanner', 'Scanner2', 'Erp') {
                New-SmtpOAuthProfile -Name $name -TenantId {{TenantId}} -ClientId {{ClientId}} -DeviceCode -Mailbox "$name@contoso.com" | Out-Null
            }
            """);

        Assert.Equal(new[] { "Erp", "Scanner", "Scanner2" }, RunOk("Get-SmtpOAuthProfile").Output.Select(p => Property<string>(p, "Name")));
        Assert.Equal(new[] { "Scanner", "Scanner2" }, RunOk("Get-SmtpOAuthProfile sc*").Output.Select(p => Property<string>(p, "Name")));
        Assert.Equal(new[] { "Erp", "Scanner2" }, RunOk("Get-SmtpOAuthProfile -Name 'e?p', '*2'").Output.Select(p => Property<string>(p, "Name")));
        Assert.Equal("Scanner", Property<string>(Assert.Single(RunOk("'SCANNER' | Get-SmtpOAuthProfile").Output), "Name"));
        Assert.Empty(RunOk("Get-SmtpOAuthProfile nothing*").Output);

        var missing = Run("Get-SmtpOAuthProfile -Name Scanner, Missing");
        Assert.Single(missing.Output);
        var error = AssertSingleError(missing, "ProfileNotFound", "GetSmtpOAuthProfileCommand", System.Management.Automation.ErrorCategory.ObjectNotFound);
        Assert.Equal("Missing", error.TargetObject);
    }

    [Fact]
    public void Set_changes_only_what_is_given_and_rederives_what_the_user_did_not_override()
    {
        RunOk($"New-SmtpOAuthProfile -Name Scanner -TenantId {TenantId} -ClientId {ClientId} -ManagedIdentity -Mailbox scanner@contoso.com -SmtpServer relay.contoso.com -AllowNonMicrosoftHost | Out-Null");

        var moved = Assert.Single(RunOk("Set-SmtpOAuthProfile -Name Scanner -Cloud USGov -TokenGraceSeconds 120 -PassThru").Output);
        Assert.Equal("USGov", Property<string>(moved, "Cloud"));
        Assert.Equal("relay.contoso.com", Property<string>(moved, "SmtpServer"));
        Assert.Equal("https://login.microsoftonline.us/", Property<string>(moved, "AuthorityHost"));
        Assert.Equal("https://outlook.office365.us/.default", Property<string>(moved, "Scope"));
        Assert.Equal(120, Property<int>(moved, "TokenGraceSeconds"));
        Assert.Equal("scanner@contoso.com", Property<string>(moved, "Mailbox"));

        var reset = Assert.Single(RunOk("Set-SmtpOAuthProfile Scanner -SmtpServer '' -Port 2525 -PassThru").Output);
        Assert.Equal("smtp.office365.us", Property<string>(reset, "SmtpServer"));
        Assert.Equal(2525, Property<int>(reset, "Port"));

        var delegated = Assert.Single(RunOk("Set-SmtpOAuthProfile Scanner -DeviceCode -PassThru").Output);
        Assert.Equal("DeviceCode", Property<string>(delegated, "CredentialKind"));
        Assert.Equal("https://outlook.office365.us/SMTP.Send offline_access", Property<string>(delegated, "Scope"));

        Assert.Empty(RunOk("Set-SmtpOAuthProfile Scanner -Mailbox other@contoso.com").Output);
        Assert.Equal("other@contoso.com", Property<string>(Assert.Single(RunOk("Get-SmtpOAuthProfile Scanner").Output), "Mailbox"));
    }

    [Fact]
    public void Set_replaces_the_secret_and_the_credential_kind()
    {
        RunOk($"New-SmtpOAuthProfile -Name App -TenantId {TenantId} -ClientId {ClientId} -SecretName Old -Mailbox app@contoso.com | Out-Null");

        var stored = Assert.Single(RunOk("Set-SmtpOAuthProfile App -ClientSecret $secret -AllowUnprotectedSecret:$unprotected -PassThru").Output);
        Assert.Equal(IsWindows ? "Dpapi" : "Unprotected", Property<string>(stored, "SecretProtection"));
        Assert.Null(stored.Properties["SecretName"].Value);

        var thumbprint = Assert.Single(RunOk("Set-SmtpOAuthProfile App -CertificateThumbprint 'AB CD EF 01 23 45 67 89 AB CD EF 01 23 45 67 89 AB CD EF 01' -PassThru").Output);
        Assert.Equal("CertificateThumbprint", Property<string>(thumbprint, "CredentialKind"));
        Assert.Equal("ABCDEF0123456789ABCDEF0123456789ABCDEF01", Property<string>(thumbprint, "CertificateThumbprint"));
        Assert.Equal("None", Property<string>(thumbprint, "SecretProtection"));
        Assert.False(Directory.Exists(Path.Combine(Home, "secrets")) && Directory.EnumerateFiles(Path.Combine(Home, "secrets")).Any(), "The old secret file was left behind.");
    }

    [Fact]
    public void WhatIf_changes_nothing_and_Confirm_false_goes_ahead()
    {
        RunOk($"New-SmtpOAuthProfile -Name Scanner -TenantId {TenantId} -ClientId {ClientId} -DeviceCode -Mailbox scanner@contoso.com | Out-Null");
        var before = File.ReadAllText(ProfilesFile);

        var whatIf = RunOk($"""
            New-SmtpOAuthProfile -Name Other -TenantId {TenantId} -ClientId {ClientId} -DeviceCode -Mailbox other@contoso.com -WhatIf
            Set-SmtpOAuthProfile -Name Scanner -Mailbox changed@contoso.com -WhatIf
            Remove-SmtpOAuthProfile -Name Scanner -WhatIf
            """, render: true);
        Assert.Equal(before, File.ReadAllText(ProfilesFile));
        Assert.Contains("What if: Performing the operation \"Remove connection profile\" on target \"Scanner (scanner@contoso.com)\"", whatIf.HostText);
        Assert.Contains("Change connection profile", whatIf.HostText);

        RunOk("Remove-SmtpOAuthProfile -Name Scanner -Confirm:$false");
        Assert.Empty(RunOk("Get-SmtpOAuthProfile").Output);
    }

    [Fact]
    public void Get_pipes_into_Set_and_Remove()
    {
        RunOk($$"""
            foreach ($name in 'Scanner', 'Scanner2', 'Erp') {
                New-SmtpOAuthProfile -Name $name -TenantId {{TenantId}} -ClientId {{ClientId}} -Interactive -Mailbox "$name@contoso.com" | Out-Null
            }
            """);

        RunOk("Get-SmtpOAuthProfile Scanner* | Set-SmtpOAuthProfile -Port 25");
        Assert.All(RunOk("Get-SmtpOAuthProfile Scanner*").Output, p => Assert.Equal(25, Property<int>(p, "Port")));
        Assert.Equal(587, Property<int>(Assert.Single(RunOk("Get-SmtpOAuthProfile Erp").Output), "Port"));

        var removed = RunOk("Get-SmtpOAuthProfile Scanner* | Remove-SmtpOAuthProfile -Confirm:$false -Verbose");
        Assert.Equal(2, removed.Verbose.Count(v => v.StartsWith("Removed profile", System.StringComparison.Ordinal)));
        Assert.Equal(new[] { "Erp" }, RunOk("Get-SmtpOAuthProfile").Output.Select(p => Property<string>(p, "Name")));

        RunOk("Remove-SmtpOAuthProfile e* -Confirm:$false");
        Assert.Empty(RunOk("Get-SmtpOAuthProfile").Output);
    }

    [Fact]
    public void Profiles_are_stored_under_OAUTHSMTP_HOME()
    {
        RunOk($"New-SmtpOAuthProfile -Name Scanner -TenantId {TenantId} -ClientId {ClientId} -Interactive -Mailbox scanner@contoso.com | Out-Null");
        Assert.True(File.Exists(ProfilesFile));
        Assert.Empty(Directory.EnumerateFiles(Home, "*.tmp"));
    }
}
