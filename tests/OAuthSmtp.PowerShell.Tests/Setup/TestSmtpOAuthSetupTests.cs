using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Xml.Linq;
using OAuthSmtp.Emulator;
using OAuthSmtp.Emulator.Model;
using OAuthSmtp.Hosting;
using OAuthSmtp.PowerShell.Tests.Infrastructure;
using Xunit;

namespace OAuthSmtp.PowerShell.Tests.Setup;

/// <summary>
/// Test-SmtpOAuthSetup against the emulator, one misconfiguration per test: the first failing step is the right one,
/// Cause and Fix name the problem and the exact command, -Fix brings the tenant to passing, and a message then goes
/// through. The doctor reaches Exchange only through the session's admin cmdlets, as it would in production.
/// </summary>
public sealed class TestSmtpOAuthSetupTests : SetupTestBase
{
    private const string CommandSuffix = ",OAuthSmtp.PowerShell.Commands.TestSmtpOAuthSetupCommand";

    public TestSmtpOAuthSetupTests(EmulatorFixture fixture)
        : base(fixture)
    {
    }

    [Fact]
    public void A_ready_tenant_passes_every_step()
    {
        // How long a run takes is a speed claim: BENCHMARKS.md measures it ("Test-SmtpOAuthSetup on a Ready tenant",
        // target 2 s). A busy test machine must not fail this test, so it checks only what the run finds.
        Start(Scenario.Ready);

        var results = Check();

        Assert.All(results.Where(r => Step(r) != "TestMessage"), r => Assert.Equal("Pass", Status(r)));
        Assert.Equal("Skipped", Status(results.Single(r => Step(r) == "TestMessage")));
        Assert.Equal(
            new[] { "Profile", "Tenant", "Token", "CredentialLifetime", "TokenPermissions", "SecurityPolicies", "ServicePrincipal", "Mailbox", "MailboxPermission", "SmtpAuth", "SendAs", "SmtpHandshake", "TestMessage" },
            results.Select(Step));
        Assert.Empty(Emulator.Delivered.All);
    }

    [Fact]
    public void A_fresh_tenant_fails_at_the_service_principal_and_fix_repairs_it_until_a_message_sends()
    {
        Start(Scenario.Fresh);

        var before = Check();

        var first = FirstFailure(before);
        Assert.Equal("ServicePrincipal", Step(first));
        Assert.Contains("New-ServicePrincipal", Text(first, "Cause") + Text(first, "Fix"));
        Assert.Equal($"New-ServicePrincipal -AppId {Tenant.ClientId} -ObjectId {Tenant.EnterpriseAppObjectId} -DisplayName 'OAuthSmtp Mailer'", Text(first, "Fix"));
        Assert.Equal("Fail", Status(ByStep(before, "SmtpAuth")));
        Assert.Equal("SetupSmtpAuthDisabledByOrganization", Text(ByStep(before, "SmtpAuth"), "ReasonId"));
        Assert.Equal("Skipped", Status(ByStep(before, "SmtpHandshake")));

        var fixedRun = Run($"Test-SmtpOAuthSetup -Profile Emu -Fix -Confirm:$false -Wait -Timeout 10 -TestRecipient someone@fabrikam.com");

        AssertAllPass(fixedRun);
        Assert.Contains(fixedRun.Information, i => i.MessageData.ToString()!.StartsWith("Ran: New-ServicePrincipal", StringComparison.Ordinal));
        var delivered = Assert.Single(Emulator.Delivered.All);
        Assert.Equal(Tenant.Mailbox, delivered.From, ignoreCase: true);
        Assert.True(TenantQueries.EffectiveOrganizationSmtpClientAuthenticationDisabled(Model), "-Fix must not turn SMTP AUTH on for the whole organisation");

        var sent = Run("Send-SmtpOAuthMessage -Profile Emu -To someone@fabrikam.com -Subject 'After the fix' -Body 'It works.'");
        Assert.True(!sent.AllErrors.Any(), sent.ErrorText);
        Assert.Contains(Emulator.Delivered.All, m => m.Subject == "After the fix");
    }

    [Fact]
    public void An_empty_tenant_fails_at_the_token_because_no_app_exists()
    {
        Start(Scenario.Empty, profileClientId: Guid.NewGuid().ToString(), profileSecret: "not-a-real-secret-value-000000000000000");

        var first = FirstFailure(Check());

        Assert.Equal("Token", Step(first));
        Assert.Equal("TokenApplicationNotFound", Text(first, "ReasonId"));
        Assert.Contains("-ClientId", Text(first, "Fix"));
    }

    [Fact]
    public void A_missing_service_principal_is_registered_by_fix()
    {
        Start(Scenario.Ready);
        lock (Model.SyncRoot)
        {
            Model.ExchangeServicePrincipals.Clear();
        }

        var first = FirstFailure(Check());

        Assert.Equal("ServicePrincipal", Step(first));
        Assert.Equal("SetupServicePrincipalMissing", Text(first, "ReasonId"));
        AssertAllPass(Run("Test-SmtpOAuthSetup -Profile Emu -Fix -Confirm:$false -Wait -Timeout 10 -TestRecipient someone@fabrikam.com"));
        Assert.Single(Emulator.Delivered.All);
    }

    [Fact]
    public void The_app_registrations_object_id_is_named_as_the_classic_mistake_and_replaced()
    {
        Start(Scenario.Ready);
        lock (Model.SyncRoot)
        {
            Model.ExchangeServicePrincipals[0].ObjectId = Tenant.AppObjectId!.Value.ToString();
        }

        var first = FirstFailure(Check());

        Assert.Equal("ServicePrincipal", Step(first));
        Assert.Equal("SetupServicePrincipalWrongObjectId", Text(first, "ReasonId"));
        Assert.Contains(Tenant.AppObjectId.Value.ToString(), Text(first, "Detail"));
        Assert.Contains(Tenant.EnterpriseAppObjectId!.Value.ToString(), Text(first, "Detail"));
        Assert.Contains("app registration's object id", Text(first, "Detail"));
        Assert.StartsWith($"Remove-ServicePrincipal -Identity {Tenant.AppObjectId}", Text(first, "Fix"));

        AssertAllPass(Run("Test-SmtpOAuthSetup -Profile Emu -Fix -Confirm:$false -Wait -Timeout 10 -TestRecipient someone@fabrikam.com"));
        Assert.Equal(Tenant.EnterpriseAppObjectId.Value.ToString(), Assert.Single(Model.ExchangeServicePrincipals).ObjectId);
        Assert.Single(Emulator.Delivered.All);
    }

    [Fact]
    public void Missing_full_access_is_granted_by_fix()
    {
        Start(Scenario.Ready);
        lock (Model.SyncRoot)
        {
            Model.MailboxPermissions.Clear();
        }

        var first = FirstFailure(Check());

        Assert.Equal("MailboxPermission", Step(first));
        Assert.Equal("SetupFullAccessMissing", Text(first, "ReasonId"));
        Assert.Equal($"Add-MailboxPermission -Identity {Tenant.Mailbox} -User {Tenant.EnterpriseAppObjectId} -AccessRights FullAccess -InheritanceType All", Text(first, "Fix"));
        AssertAllPass(Run("Test-SmtpOAuthSetup -Profile Emu -Fix -Confirm:$false -Wait -Timeout 10 -TestRecipient someone@fabrikam.com"));
        Assert.Single(Emulator.Delivered.All);
    }

    [Fact]
    public void An_rbac_scope_that_misses_the_mailbox_is_named_and_fix_with_use_rbac_covers_it()
    {
        Start(Scenario.Ready);
        Emulator.Control.RevokeConsent();
        lock (Model.SyncRoot)
        {
            Model.MailboxPermissions.Clear();
            Model.ManagementScopes.Add(new ManagementScope { Name = "Sales only", RecipientRestrictionFilter = $"PrimarySmtpAddress -eq '{Tenant.SharedMailbox}'" });
            Model.ManagementRoleAssignments.Add(new ManagementRoleAssignment { Name = "Sales SMTP", Role = TenantQueries.SmtpSendAsAppRole, App = Tenant.EnterpriseAppObjectId.ToString()!, CustomResourceScope = "Sales only" });
        }

        var results = Check();

        Assert.Equal("Pass", Status(ByStep(results, "TokenPermissions")));
        var first = FirstFailure(results);
        Assert.Equal("MailboxPermission", Step(first));
        Assert.Equal("SetupRbacScopeNotCovering", Text(first, "ReasonId"));
        Assert.Contains("'Sales only'", Text(first, "Detail"));

        var withoutSwitch = Run("Test-SmtpOAuthSetup -Profile Emu -Fix -Confirm:$false");
        Assert.Contains(withoutSwitch.Warnings, w => w.Contains("-UseRbac"));
        Assert.Single(Model.ManagementRoleAssignments);

        AssertAllPass(Run("Test-SmtpOAuthSetup -Profile Emu -Fix -UseRbac -Confirm:$false -Wait -Timeout 10 -TestRecipient someone@fabrikam.com"));
        Assert.Single(Emulator.Delivered.All);
    }

    [Fact]
    public void Smtp_auth_off_for_the_organisation_is_fixed_on_the_mailbox_only()
    {
        Start(Scenario.Ready);
        var mailbox = TenantQueries.FindMailbox(Model, Tenant.Mailbox)!;
        TenantQueries.SetMailboxSmtpClientAuthenticationDisabled(Model, mailbox, null);

        var first = FirstFailure(Check());

        Assert.Equal("SmtpAuth", Step(first));
        Assert.Equal("SetupSmtpAuthDisabledByOrganization", Text(first, "ReasonId"));
        Assert.Contains("organisation: disabled", Text(first, "Detail"));
        Assert.Contains("follows the organisation", Text(first, "Detail"));
        Assert.Equal($"Set-CASMailbox -Identity {Tenant.Mailbox} -SmtpClientAuthenticationDisabled $false", Text(first, "Fix"));

        AssertAllPass(Run("Test-SmtpOAuthSetup -Profile Emu -Fix -Confirm:$false -Wait -Timeout 10"));
        Assert.True(Model.TransportConfig.SmtpClientAuthenticationDisabled);
        Assert.False(mailbox.SmtpClientAuthenticationDisabled);
    }

    [Fact]
    public void Smtp_auth_off_for_the_mailbox_overrides_an_enabled_organisation()
    {
        Start(Scenario.Ready);
        TenantQueries.SetOrganizationSmtpClientAuthenticationDisabled(Model, false);
        TenantQueries.SetMailboxSmtpClientAuthenticationDisabled(Model, TenantQueries.FindMailbox(Model, Tenant.Mailbox)!, true);

        var first = FirstFailure(Check());

        Assert.Equal("SmtpAuth", Step(first));
        Assert.Equal("SetupSmtpAuthDisabledForMailbox", Text(first, "ReasonId"));
        Assert.Contains("the mailbox setting wins", Text(first, "Detail"));
        AssertAllPass(Run("Test-SmtpOAuthSetup -Profile Emu -Fix -Confirm:$false -Wait -Timeout 10"));
    }

    [Fact]
    public void A_mailbox_value_overriding_a_disabled_organisation_passes_and_says_so()
    {
        Start(Scenario.Ready);

        var result = ByStep(Check(), "SmtpAuth");

        Assert.Equal("Pass", Status(result));
        Assert.Contains("organisation: disabled", Text(result, "Detail"));
        Assert.Contains("the mailbox setting wins", Text(result, "Detail"));
    }

    [Fact]
    public void Missing_consent_without_a_graph_session_is_reported_with_the_entra_steps_and_fix_changes_nothing_in_entra()
    {
        Start(Scenario.Ready);
        Emulator.Control.RevokeConsent();

        var first = FirstFailure(Check());

        Assert.Equal("TokenPermissions", Step(first));
        Assert.Equal("SetupConsentMissing", Text(first, "ReasonId"));
        Assert.Contains("Grant admin consent", Text(first, "Fix"));
        Assert.Contains("adminconsent?client_id=" + Tenant.ClientId, Text(first, "Fix"));

        var attempt = Run("Test-SmtpOAuthSetup -Profile Emu -Fix -Confirm:$false");
        Assert.Contains("Connect-MgGraph -Scopes", Text(first, "Fix"));
        Assert.Contains(attempt.Warnings, w => w.Contains("Microsoft Graph session") && w.Contains("TokenPermissions"));
        Assert.DoesNotContain(Model.AppRoleAssignments, a => a.RoleValue == "SMTP.SendAsApp" && a.PrincipalId == Tenant.EnterpriseAppObjectId);
    }

    [Theory]
    [InlineData("expired", "TokenClientSecretExpired")]
    [InlineData("wrong", "TokenInvalidClientSecret")]
    [InlineData("disabled", "TokenApplicationDisabled")]
    public void Token_refusals_fail_the_token_step_with_their_own_reason(string fault, string reasonId)
    {
        Start(Scenario.Ready, profileSecret: fault == "wrong" ? "abc8Q~this-is-not-the-secret-value-00000" : null);
        if (fault == "expired")
        {
            Emulator.Control.ExpireSecrets();
        }
        else if (fault == "disabled")
        {
            Emulator.Control.SetApplicationEnabled(false);
        }

        var results = Check();

        var first = FirstFailure(results);
        Assert.Equal("Token", Step(first));
        Assert.Equal(reasonId, Text(first, "ReasonId"));
        Assert.False(string.IsNullOrWhiteSpace(Text(first, "Fix")));
        Assert.Single(results, r => Status(r) == "Fail");
        Assert.Equal("Skipped", Status(ByStep(results, "SmtpHandshake")));
    }

    [Fact]
    public void An_unknown_tenant_fails_at_the_tenant_step()
    {
        Start(Scenario.Ready, profileTenant: Guid.NewGuid().ToString());

        var first = FirstFailure(Check());

        Assert.Equal("Tenant", Step(first));
        Assert.Equal("SetupTenantNotFound", Text(first, "ReasonId"));
        Assert.Contains("AADSTS90002", Text(first, "Detail"));
        Assert.Contains("Set-SmtpOAuthProfile -Name Emu -TenantId", Text(first, "Fix"));
    }

    [Fact]
    public void Send_as_for_another_sender_is_granted_by_fix_and_the_test_message_goes_out_from_it()
    {
        Start(Scenario.Ready);

        var first = FirstFailure(Check($"-From {Tenant.SharedMailbox}"));

        Assert.Equal("SendAs", Step(first));
        Assert.Equal("SetupSendAsMissing", Text(first, "ReasonId"));
        Assert.Equal($"Add-RecipientPermission -Identity {Tenant.SharedMailbox} -Trustee {Tenant.Mailbox} -AccessRights SendAs -Confirm:$false", Text(first, "Fix"));

        AssertAllPass(Run($"Test-SmtpOAuthSetup -Profile Emu -From {Tenant.SharedMailbox} -TestRecipient someone@fabrikam.com -Fix -Confirm:$false -Wait -Timeout 10"));
        lock (Model.SyncRoot)
        {
            Assert.Contains(Model.RecipientPermissions, p => p.Identity == Tenant.SharedMailbox && p.Trustee.Equals(Tenant.Mailbox, StringComparison.OrdinalIgnoreCase));
        }

        Assert.Equal(Tenant.SharedMailbox, Assert.Single(Emulator.Delivered.All).From, ignoreCase: true);
    }

    [Fact]
    public void Security_defaults_are_reported_as_no_obstacle_to_oauth()
    {
        Start(Scenario.Ready);
        Emulator.Control.SetSecurityDefaults(true);

        var results = Check();

        Assert.Null(results.FirstOrDefault(r => Status(r) == "Fail"));
        Assert.Contains("Security defaults are ON", Text(ByStep(results, "SecurityPolicies"), "Detail"));
        Assert.Contains("December 2026", Text(ByStep(results, "SecurityPolicies"), "Detail"));
    }

    [Fact]
    public void A_change_still_propagating_is_pending_and_wait_re_tests_until_exchange_applies_it()
    {
        // Real time on purpose: this is -Wait in a real session (it sleeps between re-tests while Exchange applies a
        // 2-second propagation delay). The waiting rules themselves run on a driven clock in the engine's SetupWorkflowTests.
        Start(Scenario.Fresh);
        foreach (var kind in Enum.GetValues<ChangeKind>())
        {
            Emulator.Control.SetPropagationDelay(kind, TimeSpan.FromSeconds(2));
        }

        var afterFix = Run("Test-SmtpOAuthSetup -Profile Emu -Fix -Confirm:$false");

        var handshake = afterFix.Output.Single(r => Step(r) == "SmtpHandshake");
        Assert.Equal("Fail", Status(handshake));
        Assert.True((bool)handshake.Properties["IsPending"].Value);
        Assert.Equal("SetupPropagationPending", Text(handshake, "ReasonId"));
        Assert.Contains("-Wait", Text(handshake, "Fix"));

        var waited = Run("Test-SmtpOAuthSetup -Profile Emu -Wait -Timeout 20");

        AssertAllPass(waited);
        Assert.Contains(waited.Progress, p => p.StatusDescription.StartsWith("Waiting for Exchange to apply the changes (SmtpHandshake pending; next check in", StringComparison.Ordinal));
        Assert.Contains(waited.Progress, p => p.SecondsRemaining > 0 && p.CurrentOperation.StartsWith("Waited ", StringComparison.Ordinal));
    }

    [Fact]
    public void Wait_gives_up_at_its_timeout_with_an_error_naming_what_is_still_pending()
    {
        // Real time on purpose: -Timeout 1 is a real second of the cmdlet's wait; the engine's SetupWorkflowTests drive the same rule.
        Start(Scenario.Fresh);
        foreach (var kind in Enum.GetValues<ChangeKind>())
        {
            Emulator.Control.SetPropagationDelay(kind, TimeSpan.FromHours(1));
        }

        var result = Run("Test-SmtpOAuthSetup -Profile Emu -Fix -Confirm:$false -Wait -Timeout 1");

        var error = Assert.Single(result.AllErrors);
        Assert.Equal("SetupWaitTimedOut" + CommandSuffix, error.FullyQualifiedErrorId);
        Assert.Contains("SmtpHandshake", error.Exception.Message);
        Assert.True((bool)result.Output.Single(r => Step(r) == "SmtpHandshake").Properties["IsPending"].Value);
    }

    [Fact]
    public void What_if_shows_every_command_and_changes_nothing()
    {
        Start(Scenario.Fresh);

        var result = Run("Test-SmtpOAuthSetup -Profile Emu -Fix -WhatIf");

        Assert.Empty(Model.ExchangeServicePrincipals);
        Assert.DoesNotContain(Model.MailboxPermissions, p => p.User == Tenant.EnterpriseAppObjectId.ToString());
        Assert.True(TenantQueries.FindMailbox(Model, Tenant.Mailbox)!.SmtpClientAuthenticationDisabled is null);
        Assert.Contains($"New-ServicePrincipal -AppId {Tenant.ClientId}", result.HostText);
        Assert.Contains($"Add-MailboxPermission -Identity {Tenant.Mailbox}", result.HostText);
        Assert.Contains($"Set-CASMailbox -Identity {Tenant.Mailbox}", result.HostText);
        Assert.Equal("ServicePrincipal", Step(FirstFailure(result.Output)));
    }

    [Fact]
    public void Fix_on_a_ready_tenant_changes_nothing_and_says_so()
    {
        Start(Scenario.Ready);
        int Objects()
        {
            lock (Model.SyncRoot)
            {
                return Model.ExchangeServicePrincipals.Count + Model.MailboxPermissions.Count + Model.RecipientPermissions.Count + Model.ManagementRoleAssignments.Count;
            }
        }

        var before = Objects();
        var result = Run("Test-SmtpOAuthSetup -Profile Emu -Fix -Confirm:$false");

        AssertAllPass(result);
        Assert.Equal(before, Objects());
        Assert.Contains(result.Information, i => i.MessageData.ToString()!.StartsWith("Nothing to fix", StringComparison.Ordinal));
    }

    [Fact]
    public void Without_an_exchange_session_the_exchange_steps_say_how_to_connect_and_the_handshake_still_runs()
    {
        Start(Scenario.Fresh, connectExchange: false);

        var results = Check();

        foreach (var step in new[] { "ServicePrincipal", "Mailbox", "MailboxPermission", "SmtpAuth", "SendAs" })
        {
            Assert.Equal("Skipped", Status(ByStep(results, step)));
            Assert.Contains("Connect-ExchangeOnline", Text(ByStep(results, step), "Fix"));
        }

        var handshake = ByStep(results, "SmtpHandshake");
        Assert.Equal("Fail", Status(handshake));
        Assert.Contains("535 5.7.3", Text(handshake, "Detail"));
    }

    [Fact]
    public void Quiet_returns_only_a_boolean()
    {
        Start(Scenario.Fresh);

        var quiet = Run("Test-SmtpOAuthSetup -Profile Emu -Quiet");

        Assert.Equal(false, Assert.Single(quiet.Output).BaseObject);
        Assert.Empty(quiet.AllErrors);
    }

    [Fact]
    public void The_default_view_is_a_table_of_step_status_and_detail_and_the_list_view_shows_the_fix()
    {
        Start(Scenario.Fresh);

        var rendered = Run("Test-SmtpOAuthSetup -Profile Emu", render: true);
        var table = System.Text.RegularExpressions.Regex.Replace(rendered.HostText, "\u001b\\[[0-9;]*m", string.Empty);

        Assert.Matches(@"Step\s+Status\s+Detail", table);
        Assert.Matches(@"ServicePrincipal\s+Fail\s+Exchange has no service principal", table);
        Assert.DoesNotContain("learn.microsoft.com", table);

        var list = System.Text.RegularExpressions.Regex.Replace(
            Run("Test-SmtpOAuthSetup -Profile Emu | Where-Object Step -eq 'ServicePrincipal' | Format-List", render: true).HostText, "\u001b\\[[0-9;]*m", string.Empty);
        var labels = System.Text.RegularExpressions.Regex.Matches(list, @"^(\w+)\s+: ", System.Text.RegularExpressions.RegexOptions.Multiline).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(new[] { "Step", "Status", "Detail", "Cause", "Fix", "Documentation" }, labels.Take(6));
        Assert.Matches(@"Fix\s+: New-ServicePrincipal", list);
    }

    [Fact]
    public void Fix_and_skip_exchange_together_are_refused_before_anything_runs()
    {
        Start(Scenario.Fresh);

        var result = Run("Test-SmtpOAuthSetup -Profile Emu -Fix -SkipExchange");

        Assert.Equal("SetupFixFailed" + CommandSuffix, Assert.Single(result.AllErrors).FullyQualifiedErrorId);
        Assert.Empty(result.Output);
        Assert.Empty(Model.ExchangeServicePrincipals);
    }

    // Plumbing.

    private void Start(Scenario scenario, bool connectExchange = true, string? profileSecret = null, string? profileClientId = null, string? profileTenant = null)
    {
        var session = OpenSession(scenario, connectExchange);
        var script = $$"""
            param($Secret, $ClientId, $TenantId)
            $secure = [System.Net.NetworkCredential]::new('', $Secret).SecurePassword
            $null = New-SmtpOAuthProfile -Name Emu -TenantId $TenantId -ClientId $ClientId -ClientSecret $secure `
                -Mailbox $EmuTenant.Mailbox -AuthorityHost $EmuTenant.AuthorityHost -AllowNonMicrosoftHost -SmtpServer $EmuTenant.SmtpServer -Port $EmuTenant.SmtpPort `
                -AllowUnprotectedSecret -Force -Confirm:$false
            """;
        var created = session.Run(script, parameters: new Dictionary<string, object?>
        {
            ["Secret"] = profileSecret ?? Tenant.ClientSecret,
            ["ClientId"] = profileClientId ?? Tenant.ClientId.ToString(),
            ["TenantId"] = profileTenant ?? Tenant.TenantId.ToString(),
        });
        Assert.True(!created.AllErrors.Any(), created.ErrorText);
    }

    private static void AssertAllPass(ScriptResult result)
    {
        Assert.True(!result.AllErrors.Any(), result.ErrorText);
        var failed = result.Output.Where(r => Status(r) == "Fail").ToList();
        Assert.True(failed.Count == 0, DescribeFailures(failed));
        Assert.Equal(StepCount, result.Output.Count);
    }

    private static PSObject FirstFailure(IEnumerable<PSObject> results) =>
        results.FirstOrDefault(r => Status(r) == "Fail") ?? throw new Xunit.Sdk.XunitException("No step failed.");
}
