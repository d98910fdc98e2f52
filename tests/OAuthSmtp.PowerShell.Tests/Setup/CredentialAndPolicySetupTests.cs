using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using OAuthSmtp.Emulator;
using OAuthSmtp.Emulator.Model;
using OAuthSmtp.Hosting;
using OAuthSmtp.PowerShell.Tests.Infrastructure;
using Xunit;

namespace OAuthSmtp.PowerShell.Tests.Setup;

/// <summary>
/// Test-SmtpOAuthSetup on what ends or blocks a working setup from the Entra side: a certificate or client secret
/// close to its end date (a Warning with the rotation steps), and Conditional Access (named by SecurityPolicies, and
/// a block failing the Token step with AADSTS53003).
/// </summary>
public sealed class CredentialAndPolicySetupTests : SetupTestBase
{
    private const string PfxPassword = "pfx-password-for-tests";

    public CredentialAndPolicySetupTests(EmulatorFixture fixture)
        : base(fixture)
    {
    }

    [Fact]
    public void A_certificate_expiring_within_30_days_is_a_warning_with_the_rotation_steps()
    {
        StartWithCertificate(validFor: TimeSpan.FromDays(10), out var certificate);

        var results = Check();

        Assert.Null(results.FirstOrDefault(r => Status(r) == "Fail"));
        var lifetime = ByStep(results, "CredentialLifetime");
        Assert.Equal("Warning", Status(lifetime));
        Assert.Equal("SetupCredentialExpiring", Text(lifetime, "ReasonId"));
        Assert.Contains(certificate.NotAfter.ToUniversalTime().ToString("yyyy-MM-dd"), Text(lifetime, "Detail"));
        Assert.Matches(@"in (9|10) day\(s\)", Text(lifetime, "Detail"));
        var fix = Text(lifetime, "Fix");
        Assert.Contains("new certificate", fix);
        Assert.Contains("Set-SmtpOAuthProfile -Name Emu -CertificatePath <new .pfx> -CertificatePassword", fix);
        Assert.Contains("Test-SmtpOAuthSetup -Profile Emu", fix);
        Assert.Contains($"Delete the old certificate (thumbprint {certificate.Thumbprint})", fix);
        Assert.True(
            fix.IndexOf("new certificate", StringComparison.Ordinal) < fix.IndexOf("Set-SmtpOAuthProfile", StringComparison.Ordinal)
            && fix.IndexOf("Set-SmtpOAuthProfile", StringComparison.Ordinal) < fix.IndexOf("Test-SmtpOAuthSetup", StringComparison.Ordinal)
            && fix.IndexOf("Test-SmtpOAuthSetup", StringComparison.Ordinal) < fix.IndexOf("Delete the old certificate", StringComparison.Ordinal),
            "The rotation steps must come in order: new certificate, Set-SmtpOAuthProfile, re-test, remove the old one.\n" + fix);
        Assert.Contains("(certificate)", Text(ByStep(results, "Token"), "Detail"));
    }

    [Fact]
    public void A_certificate_valid_for_a_year_passes_with_its_end_date()
    {
        StartWithCertificate(validFor: TimeSpan.FromDays(365), out var certificate);

        var lifetime = ByStep(Check(), "CredentialLifetime");

        Assert.Equal("Pass", Status(lifetime));
        Assert.Contains(certificate.NotAfter.ToUniversalTime().ToString("yyyy-MM-dd"), Text(lifetime, "Detail"));
        Assert.Empty(Text(lifetime, "Fix"));
    }

    [Fact]
    public void A_client_secret_ending_within_30_days_in_graph_is_a_warning_with_the_rotation_steps()
    {
        StartWithSecret();
        ClientSecret secret;
        lock (Model.SyncRoot)
        {
            secret = Model.Applications.Single(a => a.AppId == Tenant.ClientId).Secrets.Single();
            secret.EndDateTime = Emulator.Clock.UtcNow.AddDays(12);
        }

        var results = Check();

        Assert.Null(results.FirstOrDefault(r => Status(r) == "Fail"));
        var lifetime = ByStep(results, "CredentialLifetime");
        Assert.Equal("Warning", Status(lifetime));
        Assert.Equal("SetupCredentialExpiring", Text(lifetime, "ReasonId"));
        Assert.Contains(secret.KeyId.ToString(), Text(lifetime, "Detail"));
        Assert.Contains(secret.EndDateTime.ToString("yyyy-MM-dd"), Text(lifetime, "Detail"));
        var fix = Text(lifetime, "Fix");
        Assert.Contains("New client secret", fix);
        Assert.Contains("Set-SmtpOAuthProfile -Name Emu -ClientSecret", fix);
        Assert.Contains("Test-SmtpOAuthSetup -Profile Emu", fix);
        Assert.Contains($"Delete the old secret (id {secret.KeyId})", fix);
        Assert.DoesNotContain(Tenant.ClientSecret!, string.Join("|", results.SelectMany(r => r.Properties.Select(p => p.Value?.ToString()))));
    }

    [Fact]
    public void A_client_secret_valid_for_months_passes()
    {
        StartWithSecret();

        var lifetime = ByStep(Check(), "CredentialLifetime");

        Assert.Equal("Pass", Status(lifetime));
        Assert.Matches(@"valid until \d{4}-\d{2}-\d{2} \((17[89]|180) days\)", Text(lifetime, "Detail"));
    }

    [Fact]
    public void An_enabled_conditional_access_policy_is_named_by_security_policies_with_what_it_can_do_to_an_app()
    {
        StartWithSecret();
        lock (Model.SyncRoot)
        {
            // Enforced for users only: the app still gets its token, but the admin should know the policy is there.
            Model.ConditionalAccessPolicies.Add(new ConditionalAccessPolicy { DisplayName = "Require MFA for admins", GrantControl = "mfa", IncludesServicePrincipals = false, CreatedDateTime = Emulator.Clock.UtcNow.AddDays(-40) });
            Model.ConditionalAccessPolicies.Add(new ConditionalAccessPolicy { DisplayName = "Report-only: block legacy", State = "enabledForReportingButNotEnforced", CreatedDateTime = Emulator.Clock.UtcNow });
        }

        var results = Check();

        Assert.Null(results.FirstOrDefault(r => Status(r) == "Fail"));
        var policies = ByStep(results, "SecurityPolicies");
        Assert.Equal("Pass", Status(policies));
        var detail = Text(policies, "Detail");
        Assert.Contains("'Require MFA for admins'", detail);
        Assert.DoesNotContain("Report-only: block legacy", detail);
        Assert.Contains("AADSTS53003", detail);
        Assert.Contains("workload identities", detail);
    }

    [Fact]
    public void A_conditional_access_block_fails_the_token_step_with_53003_its_cause_and_fix()
    {
        StartWithSecret();
        Emulator.Control.SetConditionalAccessBlock(true);

        var results = Check();

        var first = results.First(r => Status(r) == "Fail");
        Assert.Equal("Token", Step(first));
        Assert.Equal("TokenBlockedByConditionalAccess", Text(first, "ReasonId"));
        Assert.Contains("AADSTS53003", Text(first, "Detail") + Text(first, "Cause"));
        Assert.Contains("Conditional Access policy", Text(first, "Cause"));
        Assert.Contains("Conditional Access", Text(first, "Fix"));
        Assert.Contains("exclude the app", Text(first, "Fix"));
        Assert.Single(results, r => Status(r) == "Fail");
        Assert.Equal("Skipped", Status(ByStep(results, "SecurityPolicies")));
        Assert.Equal("Skipped", Status(ByStep(results, "SmtpHandshake")));

        Emulator.Control.SetConditionalAccessBlock(false);
        Assert.Equal("Pass", Status(ByStep(Check(), "Token")));
    }

    // Plumbing.

    [Fact]
    public void A_managed_identity_without_the_role_is_told_it_may_be_waiting_for_azures_token_cache()
    {
        var session = OpenSession();
        using var identityEnvironment = Emulator.ApplyManagedIdentityEnvironment();
        lock (Model.SyncRoot)
        {
            Model.AppRoleAssignments.RemoveAll(a => a.PrincipalId == Tenant.SystemAssignedIdentityObjectId && a.RoleValue == "SMTP.SendAsApp");
        }

        var created = session.Run(
            """
            $null = New-SmtpOAuthProfile -Name Emu -TenantId $EmuTenant.TenantId -ManagedIdentity -Mailbox $EmuTenant.Mailbox `
                -AuthorityHost $EmuTenant.AuthorityHost -AllowNonMicrosoftHost -SmtpServer $EmuTenant.SmtpServer -Port $EmuTenant.SmtpPort -Force -Confirm:$false
            """);
        Assert.True(!created.AllErrors.Any(), created.ErrorText);

        var permissions = ByStep(Check(), "TokenPermissions");

        Assert.Equal("Fail", Status(permissions));
        Assert.Contains(Tenant.SystemAssignedIdentityObjectId.ToString()!, Text(permissions, "Detail"));
        Assert.Contains("up to 24 hours", Text(permissions, "Cause"));
        Assert.Contains("Granted recently? Wait", Text(permissions, "Fix"));
        Assert.Contains("restart the resource", Text(permissions, "Fix"));
        Assert.DoesNotContain("Grant admin consent", Text(permissions, "Fix"));
    }

    private void StartWithSecret()
    {
        var created = OpenSession().Run(EmulatorFixture.NewProfileScript());
        Assert.True(!created.AllErrors.Any(), created.ErrorText);
    }

    private void StartWithCertificate(TimeSpan validFor, out X509Certificate2 certificate)
    {
        var session = OpenSession();
        using (var key = RSA.Create(2048))
        {
            var request = new CertificateRequest("CN=OAuthSmtp setup test", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.Add(validFor));
        }

        Emulator.Control.AddCertificate(certificate);
        var pfx = Path.Combine(Fixture.ProfileHome, "mailer.pfx");
        File.WriteAllBytes(pfx, certificate.Export(X509ContentType.Pfx, PfxPassword));
        var created = session.Run(
            """
            param($Pfx, $Password)
            $securePassword = [System.Net.NetworkCredential]::new('', $Password).SecurePassword
            $null = New-SmtpOAuthProfile -Name Emu -TenantId $EmuTenant.TenantId -ClientId $EmuTenant.ClientId -CertificatePath $Pfx -CertificatePassword $securePassword `
                -Mailbox $EmuTenant.Mailbox -AuthorityHost $EmuTenant.AuthorityHost -AllowNonMicrosoftHost -SmtpServer $EmuTenant.SmtpServer -Port $EmuTenant.SmtpPort `
                -AllowUnprotectedSecret -Force -Confirm:$false
            """,
            parameters: new Dictionary<string, object?> { ["Pfx"] = pfx, ["Password"] = PfxPassword });
        Assert.True(!created.AllErrors.Any(), created.ErrorText);
    }
}
