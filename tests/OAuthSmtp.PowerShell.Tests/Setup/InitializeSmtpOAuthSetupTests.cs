using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using OAuthSmtp.Emulator;
using OAuthSmtp.Hosting;
using OAuthSmtp.PowerShell.Tests.Infrastructure;
using Xunit;

namespace OAuthSmtp.PowerShell.Tests.Setup;

/// <summary>
/// Initialize-SmtpOAuthSetup through the imported module against the emulated tenant (issue 17 proof): Empty → one
/// command → a delivered test message, per credential type and route; a second run changes nothing (emulator
/// statistics); -WhatIf changes nothing; an admin without the role gets one error naming it before any change.
/// </summary>
public sealed class InitializeSmtpOAuthSetupTests : IClassFixture<EmulatorFixture>, IDisposable
{
    private readonly EmulatorFixture _fixture;
    private PowerShellSession? _session;

    public InitializeSmtpOAuthSetupTests(EmulatorFixture fixture)
    {
        _fixture = fixture;
    }

    private ExchangeOnlineEmulator Emulator => _fixture.Emulator;

    public void Dispose() => _session?.Dispose();

    private PowerShellSession Admin(string[]? roles = null, string[]? consentedScopes = null)
    {
        _session?.Dispose();
        _session = _fixture.NewAdminSession(Scenario.Empty, adminRoles: roles, consentedScopes: consentedScopes);
        return _session;
    }

    /// <summary>The command with the emulator's hosts for the profile (they are outside Microsoft, so named explicitly).</summary>
    private ScriptResult Initialize(string arguments, bool render = false) => _session!.Run(
        "Initialize-SmtpOAuthSetup -Mailbox $EmuTenant.Mailbox -ProfileName Emu -DisplayName 'Scanner SMTP' " +
        "-SmtpServer $EmuTenant.SmtpServer -Port $EmuTenant.SmtpPort -AuthorityHost $EmuTenant.AuthorityHost -AllowNonMicrosoftHost " +
        "-GraphEndpoint $EmuTenant.GraphEndpoint -AllowUnprotectedSecret -Confirm:$false " + arguments,
        render);

    private static PSObject Card(ScriptResult result)
    {
        Assert.True(!result.AllErrors.Any(), result.ErrorText);
        return Assert.Single(result.Output);
    }

    private static string Flat(string text) => new(text.Where(c => !char.IsWhiteSpace(c)).ToArray());

    private static string? Text(PSObject item, string property) => item.Properties[property]?.Value?.ToString();

    [Theory]
    [InlineData("Secret", "Classic")]
    [InlineData("Certificate", "Classic")]
    [InlineData("Secret", "Rbac")]
    [InlineData("Certificate", "Rbac")]
    public void An_empty_tenant_sends_a_test_message_after_one_command_and_a_second_run_changes_nothing(string credential, string route)
    {
        Admin();

        var card = Card(Initialize($"-CredentialType {credential} -Route {route} -TestRecipient it@contoso.com -Wait -Timeout 60"));

        var delivered = Assert.Single(Emulator.Delivered.All);
        Assert.Contains("it@contoso.com", delivered.To, StringComparer.OrdinalIgnoreCase);
        Assert.Contains("accepted", Text(card, "TestMessage"), StringComparison.Ordinal);
        var app = Assert.Single(Emulator.Tenant.Applications);
        Assert.Equal(app.AppId.ToString(), Text(card, "ClientId"));
        var enterprise = Emulator.Tenant.ServicePrincipals.Single(s => s.AppId == app.AppId);
        Assert.Equal(enterprise.ObjectId.ToString(), Text(card, "EnterpriseAppObjectId"));
        Assert.Equal(enterprise.ObjectId.ToString(), Assert.Single(Emulator.Tenant.ExchangeServicePrincipals).ObjectId, ignoreCase: true);
        Assert.Equal("STARTTLS", Text(card, "Encryption"));
        Assert.Equal(credential == "Secret" ? "ClientSecret" : "Certificate", Text(card, "CredentialKind"));
        Assert.Equal($"{Emulator.Current.AuthorityHost.GetLeftPart(UriPartial.Authority)}/{Emulator.Current.TenantId}/oauth2/v2.0/token", Text(card, "TokenEndpoint"));
        Assert.Null(card.Properties["ClientSecret"].Value);
        Assert.True(Emulator.Statistics.GraphWrites > 0);

        var writes = Emulator.Statistics.GraphWrites;
        var changes = Emulator.Statistics.ExchangeChanges;
        var again = Initialize($"-CredentialType {credential} -Route {route} -InformationAction Continue");
        var second = Card(again);

        Assert.Equal(writes, Emulator.Statistics.GraphWrites);
        Assert.Equal(changes, Emulator.Statistics.ExchangeChanges);
        Assert.Equal(0, (int)second.Properties["Changes"].Value);
        Assert.Contains(again.Information, i => i.MessageData.ToString()!.StartsWith("Nothing to change", StringComparison.Ordinal));
        Assert.Single(Emulator.Tenant.Applications);
    }

    [Fact]
    public void A_managed_identity_gets_the_role_and_the_Exchange_grants_and_sends_with_its_own_token()
    {
        _session?.Dispose();
        _session = _fixture.NewAdminSession(Scenario.Fresh);
        using var identityEnvironment = Emulator.ApplyManagedIdentityEnvironment();
        var identity = Emulator.Current.UserAssignedIdentityObjectId!.Value;
        lock (Emulator.Tenant.SyncRoot)
        {
            Emulator.Tenant.AppRoleAssignments.RemoveAll(a => a.PrincipalId == identity && a.RoleValue == "SMTP.SendAsApp");
        }

        var card = Card(Initialize("-CredentialType ManagedIdentity -ManagedIdentityId $EmuTenant.UserAssignedIdentityClientId -TestRecipient it@contoso.com -Wait -Timeout 60"));

        Assert.Equal("ManagedIdentity", Text(card, "CredentialKind"));
        Assert.Equal(identity.ToString(), Text(card, "EnterpriseAppObjectId"));
        Assert.Contains(Emulator.Tenant.AppRoleAssignments, a => a.PrincipalId == identity && a.RoleValue == "SMTP.SendAsApp");
        Assert.Contains(Emulator.Tenant.ExchangeServicePrincipals, sp => string.Equals(sp.ObjectId, identity.ToString(), StringComparison.OrdinalIgnoreCase));
        Assert.Single(Emulator.Delivered.All);
        Assert.DoesNotContain(Emulator.Statistics.GraphWriteLog, w => w.Contains("addPassword", StringComparison.Ordinal) || w.StartsWith("POST applications", StringComparison.Ordinal));
    }

    [Fact]
    public void WhatIf_lists_every_Graph_call_and_Exchange_command_and_changes_nothing()
    {
        Admin();

        var result = Initialize("-TestRecipient it@contoso.com -From $EmuTenant.SharedMailbox -WhatIf", render: true);

        Assert.True(!result.AllErrors.Any(), result.ErrorText);
        Assert.Empty(result.Output);
        Assert.Equal(0, Emulator.Statistics.GraphWrites);
        Assert.Equal(0, Emulator.Statistics.ExchangeChanges);
        Assert.Empty(Emulator.Tenant.Applications);
        Assert.Empty(Emulator.Delivered.All);
        // The host wraps long lines at its width: compare without line breaks and spaces.
        var shown = Flat(result.HostText);
        foreach (var call in new[] { "POST /v1.0/applications", "PATCH /v1.0/applications/", "POST /v1.0/servicePrincipals", "/appRoleAssignedTo", "/addPassword", "New-ServicePrincipal -AppId", "Add-MailboxPermission", "Set-CASMailbox", "Add-RecipientPermission" })
        {
            Assert.Contains(Flat(call), shown, StringComparison.Ordinal);
        }

        Assert.Contains("What if:", result.HostText, StringComparison.Ordinal);
    }

    [Fact]
    public void An_admin_without_a_consent_role_gets_one_error_naming_the_role_before_any_change()
    {
        Admin(roles: Array.Empty<string>(), consentedScopes: EmulatorFixture.SetupGraphScopes);

        var result = Initialize("-TestRecipient it@contoso.com");

        var error = Assert.Single(result.AllErrors);
        Assert.StartsWith("ProvisioningPermissionsMissing,", error.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Equal(ErrorCategory.PermissionDenied, error.CategoryInfo.Category);
        Assert.Contains("Cloud Application Administrator", error.Exception.Message, StringComparison.Ordinal);
        Assert.Contains("Nothing was changed", error.Exception.Message, StringComparison.Ordinal);
        Assert.Equal(0, Emulator.Statistics.GraphWrites);
        Assert.Equal(0, Emulator.Statistics.ExchangeChanges);
        Assert.Empty(Emulator.Tenant.Applications);
    }

    [Fact]
    public void The_secret_value_appears_only_when_asked_and_never_in_any_stream()
    {
        Admin();

        var result = Initialize("-Verbose -InformationAction Continue");
        var card = Card(result);
        var secret = Emulator.Tenant.Applications.Single().Secrets.Single();
        Assert.DoesNotContain(secret.Value, result.EverythingVisible(), StringComparison.Ordinal);
        Assert.Null(card.Properties["ClientSecret"].Value);
        Assert.Equal(secret.KeyId.ToString(), Text(card, "SecretId"));
    }

    [Fact]
    public void A_delegated_app_gets_its_redirect_uri_SMTP_Send_and_consent_for_all_users()
    {
        Admin();

        var card = Card(Initialize("-Delegated -RedirectUri 'https://crm.contoso.com/App%20E-Mailkonto/continue_oauth' -IncludeSecret"));

        var app = Assert.Single(Emulator.Tenant.Applications);
        Assert.Contains("https://crm.contoso.com/App%20E-Mailkonto/continue_oauth", app.WebRedirectUris);
        Assert.Contains(Emulator.Tenant.DelegatedGrants, g => g.Scope.Split(' ').Contains("SMTP.Send") && g.ConsentType == "AllPrincipals");
        Assert.Empty(Emulator.Tenant.ExchangeServicePrincipals);
        Assert.Equal("Delegated", Text(card, "CredentialKind"));
        Assert.IsType<System.Security.SecureString>(card.Properties["ClientSecret"].Value);

        var writes = Emulator.Statistics.GraphWrites;
        Card(Initialize("-Delegated -RedirectUri 'https://crm.contoso.com/App%20E-Mailkonto/continue_oauth'"));
        Assert.Equal(writes, Emulator.Statistics.GraphWrites);
    }
}
