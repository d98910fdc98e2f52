using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Threading.Tasks;
using OAuthSmtp.Emulator;
using OAuthSmtp.PowerShell.Tests.Infrastructure;
using Xunit;

namespace OAuthSmtp.PowerShell.Tests.Tokens;

/// <summary>Get-SmtpOAuthToken against the emulator's token service: every credential kind, the cache, and secrecy.</summary>
public sealed class GetSmtpOAuthTokenTests : TokenTestBase
{
    public GetSmtpOAuthTokenTests(EmulatorFixture fixture)
        : base(fixture)
    {
    }

    [Fact]
    public void Profile_token_shows_its_claims_and_a_second_call_is_served_from_the_cache()
    {
        Start();

        var first = Single(Run("Get-SmtpOAuthToken -Profile Emu"));
        var second = Single(Run("Get-SmtpOAuthProfile Emu | Get-SmtpOAuthToken"));

        Assert.Equal("OAuthSmtp.Engine.Tokens.SmtpOAuthTokenInfo", first.BaseObject.GetType().FullName);
        Assert.Equal("Service", first.Properties["Source"].Value.ToString());
        Assert.Equal("Cache", second.Properties["Source"].Value.ToString());
        Assert.Equal("Emu", first.Properties["Profile"].Value);
        Assert.Equal("https://outlook.office365.com", first.Properties["Audience"].Value);
        Assert.Equal(Tenant.TenantId.ToString(), first.Properties["TenantId"].Value);
        Assert.Equal(Tenant.ClientId.ToString(), first.Properties["ClientId"].Value);
        Assert.Equal(Tenant.EnterpriseAppObjectId.ToString(), first.Properties["ObjectId"].Value);
        Assert.Contains("SMTP.SendAsApp", Property<string[]>(first, "Roles"));
        Assert.Equal("App", first.Properties["IdentityType"].Value.ToString());
        Assert.True(Property<bool>(first, "SmtpReady"));
        Assert.Null(first.Properties["Token"]);
        Assert.Equal(1, Emulator.Statistics.TokenRequests);
    }

    [Fact]
    public void ForceRefresh_asks_again_and_a_token_is_renewed_before_it_expires()
    {
        // No waiting for a token to age: the emulator issues one that is born inside the profile's grace time
        // (10 minutes valid, grace 10 minutes), so the next call must renew it. The moment of renewal on a moving
        // clock is the engine's test (TokenProviderTests, driven clock).
        Start(profileOptions: "-TokenGraceSeconds 600");
        Emulator.Faults.TokenLifetimeSeconds = 600;

        Assert.Equal("Service", Single(Run("Get-SmtpOAuthToken Emu")).Properties["Source"].Value.ToString());
        Assert.Equal("Service", Single(Run("Get-SmtpOAuthToken Emu")).Properties["Source"].Value.ToString());
        Emulator.Faults.TokenLifetimeSeconds = null;
        Assert.Equal("Service", Single(Run("Get-SmtpOAuthToken Emu")).Properties["Source"].Value.ToString());
        Assert.Equal("Cache", Single(Run("Get-SmtpOAuthToken Emu")).Properties["Source"].Value.ToString());
        Assert.Equal("Service", Single(Run("Get-SmtpOAuthToken Emu -ForceRefresh")).Properties["Source"].Value.ToString());

        Assert.Equal(4, Emulator.Statistics.TokenRequests);
    }

    [Fact]
    public void Neither_the_secret_nor_the_token_shows_in_any_stream_view_or_file()
    {
        Start();
        var script = """
            $VerbosePreference = 'Continue'; $DebugPreference = 'Continue'; $InformationPreference = 'Continue'
            # -Debug makes a warning ask whether to continue, and this host cannot answer: the emulator profile's
            # once-per-session -AllowNonMicrosoftHost warning is let through (and still rendered) with -WarningAction.
            $t = Get-SmtpOAuthToken -Profile Emu -Verbose -Debug -WarningAction Continue
            $t
            $t | Format-List *
            $t | Format-List
            $t | Format-Table
            $t.ToString()
            Get-SmtpOAuthToken -Profile Emu -ForceRefresh -Verbose | Format-List
            Get-SmtpOAuthToken -Decode -Token $t -Verbose
            Get-SmtpOAuthToken -TenantId $TenantId -ClientId $ClientId -ClientSecret ([System.Net.NetworkCredential]::new('', $Secret).SecurePassword) -AuthorityHost $Authority -Verbose | Format-List
            Get-SmtpOAuthToken -TenantId $TenantId -ClientId $ClientId -ClientSecret ([System.Net.NetworkCredential]::new('', 'wrong-value').SecurePassword) -AuthorityHost $Authority -Verbose
            """;
        var result = RunWithTenant(script, render: true);
        var tokens = RunWithTenant("Get-SmtpOAuthToken -Profile Emu -AsPlainText; Get-SmtpOAuthToken -TenantId $TenantId -ClientId $ClientId -ClientSecret ([System.Net.NetworkCredential]::new('', $Secret).SecurePassword) -AuthorityHost $Authority -AsPlainText");

        // Rendered as in a console: every stream, the error included, went through Out-Default into the host.
        Assert.Contains("secret ID was pasted", result.HostText, StringComparison.Ordinal);
        Assert.Contains("issued a token", result.HostText, StringComparison.Ordinal);
        Assert.Contains("SMTP.SendAsApp", result.HostText);
        var visible = result.EverythingVisible();
        Assert.DoesNotContain(Tenant.ClientSecret!, visible);
        Assert.Equal(2, tokens.Output.Count);
        foreach (var token in tokens.Output.Select(o => (string)o.BaseObject))
        {
            Assert.StartsWith("eyJ", token);
            Assert.DoesNotContain(token, visible);
            Assert.DoesNotContain(token.Split('.')[2], visible);
        }

        foreach (var (path, text) in FilesWritten())
        {
            foreach (var token in tokens.Output.Select(o => (string)o.BaseObject))
            {
                Assert.False(text.Contains(token, StringComparison.Ordinal), "The token was written to " + path);
            }
        }
    }

    [Fact]
    public void Direct_client_secret_and_credential_parameters_work_without_a_profile()
    {
        Start(withProfile: false);

        var bySecret = Single(RunWithTenant("Get-SmtpOAuthToken -TenantId $TenantId -ClientId $ClientId -ClientSecret ([System.Net.NetworkCredential]::new('', $Secret).SecurePassword) -AuthorityHost $Authority"));
        var byCredential = Single(RunWithTenant("""
            $credential = [pscredential]::new($ClientId, [System.Net.NetworkCredential]::new('', $Secret).SecurePassword)
            Get-SmtpOAuthToken -TenantId $TenantId -Credential $credential -AuthorityHost $Authority
            """));

        Assert.Null(bySecret.Properties["Profile"].Value);
        Assert.Equal("client secret", bySecret.Properties["ClientAuthentication"].Value);
        Assert.Equal("Service", bySecret.Properties["Source"].Value.ToString());
        Assert.Equal("Cache", byCredential.Properties["Source"].Value.ToString());
        Assert.Equal(1, Emulator.Statistics.TokenRequests);
    }

    [Fact]
    public void Certificates_by_file_by_object_and_by_thumbprint_in_the_CurrentUser_store_get_tokens()
    {
        Start(withProfile: false);
        using var certificate = NewCertificate();
        Emulator.Control.AddCertificate(X509CertificateLoader.LoadCertificate(certificate.Export(X509ContentType.Cert)));
        var pfx = Path.Combine(Fixture.ProfileHome, "mailer.pfx");
        File.WriteAllBytes(pfx, certificate.Export(X509ContentType.Pfx, "pfx-pass"));
        using (var store = new X509Store(StoreName.My, StoreLocation.CurrentUser))
        {
            store.Open(OpenFlags.ReadWrite);
            store.Add(X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pfx, "x"), "x", X509KeyStorageFlags.PersistKeySet | X509KeyStorageFlags.Exportable));
        }

        var parameters = new System.Collections.Generic.Dictionary<string, object?>
        {
            ["TenantId"] = Tenant.TenantId.ToString(),
            ["ClientId"] = Tenant.ClientId.ToString(),
            ["Authority"] = Tenant.AuthorityHost.ToString(),
            ["Pfx"] = pfx,
            ["Certificate"] = certificate,
            ["Thumbprint"] = certificate.Thumbprint,
        };
        var result = Run("""
            param($TenantId, $ClientId, $Authority, $Pfx, $Certificate, $Thumbprint)
            $password = [System.Net.NetworkCredential]::new('', 'pfx-pass').SecurePassword
            Get-SmtpOAuthToken -TenantId $TenantId -ClientId $ClientId -AuthorityHost $Authority -CertificatePath $Pfx -CertificatePassword $password
            Get-SmtpOAuthToken -TenantId $TenantId -ClientId $ClientId -AuthorityHost $Authority -Certificate $Certificate
            $null = New-SmtpOAuthProfile -Name ByThumbprint -TenantId $TenantId -ClientId $ClientId -CertificateThumbprint $Thumbprint -CertificateStoreLocation CurrentUser -Mailbox alerts@contoso.com -AuthorityHost $Authority -AllowNonMicrosoftHost -Confirm:$false
            Get-SmtpOAuthToken -Profile ByThumbprint
            """, parameters: parameters);

        Assert.True(!result.AllErrors.Any(), result.ErrorText);
        Assert.Equal(3, result.Output.Count);
        Assert.All(result.Output, token => Assert.Equal("certificate", token.Properties["ClientAuthentication"].Value));
        Assert.Equal(3, Emulator.Statistics.TokenRequests);
    }

    [Fact]
    public void Managed_identities_get_tokens_through_the_endpoint_MSAL_finds_in_the_environment()
    {
        Start(withProfile: false);
        OnDispose(Emulator.ApplyManagedIdentityEnvironment());

        var system = Single(Run("Get-SmtpOAuthToken -ManagedIdentity"));
        var user = Single(Run($"Get-SmtpOAuthToken -ManagedIdentity -ManagedIdentityId '{Tenant.UserAssignedIdentityResourceId}' -ManagedIdentityIdKind ResourceId"));

        Assert.Equal(Tenant.SystemAssignedIdentityObjectId.ToString(), system.Properties["ObjectId"].Value);
        Assert.Equal(Tenant.UserAssignedIdentityObjectId.ToString(), user.Properties["ObjectId"].Value);
        Assert.Equal(2, Emulator.Statistics.ManagedIdentityRequests);
    }

    [Fact]
    public void On_an_Azure_VM_a_managed_identity_gets_its_token_through_IMDS()
    {
        Start(withProfile: false);
        OnDispose(Emulator.ApplyManagedIdentityEnvironment(OAuthSmtp.Emulator.ManagedIdentity.ManagedIdentityHost.AzureVm));

        var user = Single(Run($"Get-SmtpOAuthToken -ManagedIdentity -ManagedIdentityId '{Tenant.UserAssignedIdentityClientId}' -ForceRefresh"));

        Assert.Equal(Tenant.UserAssignedIdentityObjectId.ToString(), user.Properties["ObjectId"].Value);
        Assert.Contains("SMTP.SendAsApp", Property<string[]>(user, "Roles"));
        Assert.Equal(1, Emulator.Statistics.ManagedIdentityRequests);
    }

    [Fact]
    public void A_managed_identity_without_the_role_hears_that_a_recent_grant_can_take_up_to_24_hours()
    {
        Start(withProfile: false);
        OnDispose(Emulator.ApplyManagedIdentityEnvironment());
        lock (Emulator.Tenant.SyncRoot)
        {
            Emulator.Tenant.AppRoleAssignments.RemoveAll(a => a.PrincipalId == Tenant.UserAssignedIdentityObjectId);
        }

        // The user-assigned identity: its id is new in each reset tenant, so no other test's cached token answers.
        var result = Run($"Get-SmtpOAuthToken -ManagedIdentity -ManagedIdentityId '{Tenant.UserAssignedIdentityClientId}'");

        var token = Single(result);
        Assert.Empty(Property<string[]>(token, "Roles"));
        var warning = Assert.Single(result.Warnings);
        Assert.Contains("up to 24 hours", warning, StringComparison.Ordinal);
        Assert.Contains("restart the Azure resource", warning, StringComparison.Ordinal);
        Assert.DoesNotContain("Grant admin consent'. ", warning, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Device_code_instructions_arrive_as_a_warning_and_an_information_record()
    {
        Start(withProfile: false);
        var approver = Task.Run(async () =>
        {
            var pending = await Emulator.Tokens.WaitForDeviceCodeAsync(TimeSpan.FromMinutes(2));
            Assert.NotNull(pending);
            Emulator.Tokens.ApproveDeviceCode(pending!.UserCode);
            return pending.UserCode;
        });

        var result = RunWithTenant("Get-SmtpOAuthToken -TenantId $TenantId -ClientId $ClientId -DeviceCode -AuthorityHost $Authority");
        var userCode = await approver;

        var token = Single(result);
        Assert.Contains(result.Warnings, w => w.Contains(userCode, StringComparison.Ordinal));
        Assert.Contains(result.Information, i => i.Tags.Contains("DeviceCode") && i.MessageData.ToString()!.Contains(userCode, StringComparison.Ordinal));
        Assert.Equal("User", token.Properties["IdentityType"].Value.ToString());
        // Delegated tokens keep the audience they were asked for (https://outlook.office.com), and it is accepted.
        Assert.Equal("https://outlook.office.com", token.Properties["Audience"].Value);
        Assert.True(Property<bool>(token, "SmtpReady"));
        Assert.DoesNotContain(result.Warnings, w => w.Contains("audience", StringComparison.OrdinalIgnoreCase));
        Assert.Equal(Tenant.DelegatedUser, (string)token.Properties["UserPrincipalName"].Value, ignoreCase: true);
        Assert.Contains("SMTP.Send", Property<string[]>(token, "Scopes"));
    }

    [Theory]
    [InlineData("-DeviceCode")]
    [InlineData("-Interactive")]
    public void A_non_interactive_session_refuses_a_sign_in_at_once(string flow)
    {
        Start(withProfile: false);
        SetEnvironment("OAUTHSMTP_NONINTERACTIVE", "1");

        var result = RunWithTenant($"Get-SmtpOAuthToken -TenantId $TenantId -ClientId $ClientId {flow} -AuthorityHost $Authority");

        // "At once": no sign-in was started that could wait for a person (no device code shown, no request made).
        AssertError(result, "TokenInteractionRequired", ErrorCategory.InvalidOperation);
        Assert.Contains("not interactive", result.AllErrors.Single().ErrorDetails!.Message, StringComparison.Ordinal);
        Assert.Empty(result.Warnings);
        Assert.Equal(0, Emulator.Statistics.TokenRequests);
    }

    [Fact]
    public void An_app_only_token_without_SMTP_SendAsApp_warns_of_missing_consent_or_the_RBAC_route()
    {
        Start();
        Emulator.Control.RevokeConsent();

        var result = Run("Get-SmtpOAuthToken -Profile Emu");

        var token = Single(result);
        Assert.Empty(Property<string[]>(token, "Roles"));
        // The emulator's profile names loopback hosts with -AllowNonMicrosoftHost, which warns once per session too.
        var warning = Assert.Single(result.Warnings, w => !w.Contains("-AllowNonMicrosoftHost", StringComparison.Ordinal));
        Assert.Contains("admin consent", warning, StringComparison.Ordinal);
        Assert.Contains("RBAC for Applications", warning, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_explains_a_token_without_the_token_service()
    {
        Start();
        var plain = (string)Single(Run("Get-SmtpOAuthToken -Profile Emu -AsPlainText")).BaseObject;
        Emulator.Statistics.Reset();

        var fromString = Single(Run("param($t) Get-SmtpOAuthToken -Decode -Token $t", parameters: new System.Collections.Generic.Dictionary<string, object?> { ["t"] = plain }));
        var fromPipeline = Single(Run("param($t) [System.Net.NetworkCredential]::new('', $t).SecurePassword | Get-SmtpOAuthToken -Decode", parameters: new System.Collections.Generic.Dictionary<string, object?> { ["t"] = plain }));
        var malformed = Run("Get-SmtpOAuthToken -Decode -Token 'not-a-token'");
        var secure = Run("Get-SmtpOAuthToken -Profile Emu -AsSecureString");

        Assert.Equal("Supplied", fromString.Properties["Source"].Value.ToString());
        Assert.Equal(Tenant.ClientId.ToString(), fromPipeline.Properties["ClientId"].Value);
        Assert.True(Property<bool>(fromString, "SmtpReady"));
        AssertError(malformed, "TokenMalformed", ErrorCategory.InvalidData);
        Assert.IsType<System.Security.SecureString>(Single(secure).BaseObject);
        Assert.Equal(0, Emulator.Statistics.TokenRequests);
    }

    [Fact]
    public void AsPlainText_and_AsSecureString_together_are_refused()
    {
        Start();

        var result = Run("Get-SmtpOAuthToken -Profile Emu -AsPlainText -AsSecureString; 'went on'");

        AssertError(result, "TokenOutputConflict", ErrorCategory.InvalidArgument);
        Assert.Equal("went on", Assert.Single(result.Output).BaseObject);
        Assert.Equal(0, Emulator.Statistics.TokenRequests);
    }

    private static X509Certificate2 NewCertificate()
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=OAuthSmtp hosted test mailer", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(30));
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pfx, "t"), "t", X509KeyStorageFlags.Exportable);
    }
}
