using System;
using System.Linq;
using System.Management.Automation;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using OAuthSmtp.Emulator;
using OAuthSmtp.PowerShell.Tests.Infrastructure;
using Xunit;

namespace OAuthSmtp.PowerShell.Tests.Tokens;

/// <summary>Each refusal of the token service (EXCHANGE-FACTS 5b) as the error record a script sees.</summary>
public sealed class TokenErrorTests : TokenTestBase
{
    public TokenErrorTests(EmulatorFixture fixture)
        : base(fixture)
    {
    }

    private const string Direct = "Get-SmtpOAuthToken -TenantId $TenantId -ClientId $ClientId -ClientSecret ([System.Net.NetworkCredential]::new('', $Secret).SecurePassword) -AuthorityHost $Authority";

    [Theory]
    [InlineData("wrong-secret", "TokenInvalidClientSecret", ErrorCategory.AuthenticationError)]
    [InlineData("expired-secret", "TokenClientSecretExpired", ErrorCategory.AuthenticationError)]
    [InlineData("unknown-client", "TokenApplicationNotFound", ErrorCategory.ObjectNotFound)]
    [InlineData("unknown-tenant", "TokenTenantNotFound", ErrorCategory.ObjectNotFound)]
    [InlineData("malformed-tenant", "InvalidTenantId", ErrorCategory.InvalidArgument)]
    [InlineData("unknown-resource", "TokenResourceNotFound", ErrorCategory.ObjectNotFound)]
    [InlineData("conditional-access", "TokenBlockedByConditionalAccess", ErrorCategory.PermissionDenied)]
    [InlineData("app-disabled", "TokenApplicationDisabled", ErrorCategory.PermissionDenied)]
    [InlineData("scope-for-users", "InvalidScope", ErrorCategory.InvalidArgument)]
    [InlineData("outage", "TokenServiceUnavailable", ErrorCategory.ResourceUnavailable)]
    public void App_only_refusals_have_their_own_error_id(string situation, string errorId, ErrorCategory category)
    {
        Start(withProfile: false);
        var command = Direct;
        switch (situation)
        {
            case "wrong-secret": command = command.Replace("$Secret", "'abc8Q~secret-id-pasted'", StringComparison.Ordinal); break;
            case "expired-secret": Emulator.Control.ExpireSecrets(); break;
            case "unknown-client": command = command.Replace("$ClientId", $"'{Guid.NewGuid()}'", StringComparison.Ordinal); break;
            case "unknown-tenant": command = command.Replace("$TenantId", "'fabrikam.onmicrosoft.com'", StringComparison.Ordinal); break;
            case "malformed-tenant": command = command.Replace("$TenantId", "'contoso'", StringComparison.Ordinal); break;
            case "unknown-resource": command += " -Scope 'https://outlook.office365.de/.default'"; break;
            case "conditional-access": Emulator.Control.SetConditionalAccessBlock(true); break;
            case "app-disabled": Emulator.Control.SetApplicationEnabled(false); break;
            case "scope-for-users": command += " -Scope 'https://outlook.office.com/SMTP.Send'"; break;
            case "outage": Emulator.Faults.TokenServiceOutageCount = 100; break;
        }

        var result = RunWithTenant(command);
        Emulator.Faults.TokenServiceOutageCount = 0;

        AssertError(result, errorId, category);
        Assert.Empty(result.Output);
        Assert.DoesNotContain(Tenant.ClientSecret!, result.EverythingVisible());
    }

    [Fact]
    public void An_expired_secret_of_a_profile_names_Set_SmtpOAuthProfile_as_the_fix()
    {
        Start();
        Emulator.Control.ExpireSecrets();

        var result = Run("Get-SmtpOAuthToken -Profile Emu");

        AssertError(result, "TokenClientSecretExpired", ErrorCategory.AuthenticationError);
        var record = result.AllErrors.Single();
        Assert.Contains("Set-SmtpOAuthProfile -Name 'Emu' -ClientSecret", record.ErrorDetails!.RecommendedAction, StringComparison.Ordinal);
        Assert.Equal("Emu", record.TargetObject);
    }

    [Fact]
    public void A_certificate_that_is_not_uploaded_is_rejected_by_the_service()
    {
        Start(withProfile: false);
        using var rsa = RSA.Create(2048);
        using var certificate = new CertificateRequest("CN=not uploaded", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));

        var result = Run(
            "param($TenantId, $ClientId, $Authority, $Certificate) Get-SmtpOAuthToken -TenantId $TenantId -ClientId $ClientId -AuthorityHost $Authority -Certificate $Certificate",
            parameters: new System.Collections.Generic.Dictionary<string, object?> { ["TenantId"] = Tenant.TenantId.ToString(), ["ClientId"] = Tenant.ClientId.ToString(), ["Authority"] = Tenant.AuthorityHost.ToString(), ["Certificate"] = certificate });

        AssertError(result, "TokenCertificateRejected", ErrorCategory.AuthenticationError);
    }

    [Theory]
    [InlineData("consent", "TokenConsentRequired", ErrorCategory.PermissionDenied)]
    [InlineData("mfa-registration", "TokenMfaRequired", ErrorCategory.AuthenticationError)]
    public void Delegated_refusals_have_their_own_error_id(string situation, string errorId, ErrorCategory category)
    {
        Start(withProfile: false);
        Emulator.Tokens.AutoApproveDeviceCodesFor = Tenant.DelegatedUser;
        try
        {
            if (situation == "consent")
            {
                Emulator.Control.RevokeConsent();
            }
            else
            {
                Emulator.Control.SetUserMfa(Tenant.DelegatedUser, mfaRequired: false, registrationRequired: true);
            }

            var result = RunWithTenant("Get-SmtpOAuthToken -TenantId $TenantId -ClientId $ClientId -DeviceCode -AuthorityHost $Authority");

            AssertError(result, errorId, category);
        }
        finally
        {
            Emulator.Tokens.AutoApproveDeviceCodesFor = null;
        }
    }

    [Fact]
    public void A_missing_profile_is_reported_with_the_profile_id()
    {
        Start();

        var result = Run("Get-SmtpOAuthToken -Profile Nope");

        Assert.Equal("ProfileNotFound" + CommandSuffix, Assert.Single(result.AllErrors).FullyQualifiedErrorId);
    }
}
