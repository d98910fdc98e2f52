using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using OAuthSmtp.Emulator;
using OAuthSmtp.Emulator.Model;
using OAuthSmtp.Hosting;
using OAuthSmtp.PowerShell.Tests.Infrastructure;
using Xunit;

namespace OAuthSmtp.PowerShell.Tests.Setup;

/// <summary>
/// Test-SmtpOAuthSetup on a device-code profile: the walk adapts to a signed-in user (SMTP.Send in scp, the user is
/// the mailbox or holds FullAccess on the shared mailbox, SMTP AUTH for that mailbox). The emulator approves the
/// device code for the delegated user, as the user would in a browser.
/// </summary>
public sealed class DelegatedSetupTests : SetupTestBase
{
    public DelegatedSetupTests(EmulatorFixture fixture)
        : base(fixture)
    {
    }

    [Fact]
    public void A_user_sending_from_her_own_mailbox_passes_every_delegated_step_and_a_message_goes_out()
    {
        Start(mailbox: Tenant.DelegatedUser);

        var results = Check("-TestRecipient someone@fabrikam.com");

        AssertNoFailure(results);
        Assert.Contains("SMTP.Send", Text(ByStep(results, "TokenPermissions"), "Detail"));
        Assert.Contains(Tenant.DelegatedUser, Text(ByStep(results, "TokenPermissions"), "Detail"), StringComparison.OrdinalIgnoreCase);
        Assert.Contains($"is the mailbox {Tenant.DelegatedUser}", Text(ByStep(results, "MailboxPermission"), "Detail"), StringComparison.OrdinalIgnoreCase);
        Assert.Equal("Pass", Status(ByStep(results, "SmtpAuth")));
        Assert.Equal("Pass", Status(ByStep(results, "SmtpHandshake")));
        Assert.Equal(Tenant.DelegatedUser, Assert.Single(Emulator.Delivered.All).From, ignoreCase: true);
    }

    [Fact]
    public void Smtp_send_without_consent_fails_the_token_step_with_the_consent_to_grant()
    {
        Start(mailbox: Tenant.DelegatedUser);
        lock (Model.SyncRoot)
        {
            // The admin consented to sign-in only: Entra ID refuses a token for SMTP.Send (AADSTS65001).
            foreach (var grant in Model.DelegatedGrants)
            {
                grant.Scope = "offline_access openid profile";
            }
        }

        var results = Check();

        var first = FirstFailure(results)!;
        Assert.Equal("Token", Step(first));
        Assert.Equal("TokenConsentRequired", Text(first, "ReasonId"));
        Assert.Contains("consent", Text(first, "Fix"), StringComparison.OrdinalIgnoreCase);
        Assert.Single(results, r => Status(r) == "Fail");
        Assert.Equal("Skipped", Status(ByStep(results, "MailboxPermission")));
    }

    [Fact]
    public void A_user_who_must_first_register_for_mfa_fails_the_token_step_with_where_to_register()
    {
        Start(mailbox: Tenant.DelegatedUser);
        Emulator.Control.SetUserMfa(Tenant.DelegatedUser, mfaRequired: false, registrationRequired: true);

        var results = Check();

        var first = FirstFailure(results)!;
        Assert.Equal("Token", Step(first));
        Assert.Equal("TokenMfaRequired", Text(first, "ReasonId"));
        Assert.Contains("https://aka.ms/mfasetup", Text(first, "Fix"));
        Assert.Single(results, r => Status(r) == "Fail");
    }

    [Fact]
    public void A_shared_mailbox_without_full_access_for_the_user_fails_with_the_grant_naming_her_and_fix_makes_it_send()
    {
        Start(mailbox: Tenant.SharedMailbox);

        var before = Check();

        var first = FirstFailure(before)!;
        Assert.Equal("MailboxPermission", Step(first));
        Assert.Equal("SetupFullAccessMissing", Text(first, "ReasonId"));
        Assert.Contains(Tenant.DelegatedUser, Text(first, "Detail"), StringComparison.OrdinalIgnoreCase);
        Assert.Equal($"Add-MailboxPermission -Identity {Tenant.SharedMailbox} -User {Tenant.DelegatedUser} -AccessRights FullAccess -InheritanceType All", Text(first, "Fix"));

        var fixedRun = Run("Test-SmtpOAuthSetup -Profile Emu -Fix -Confirm:$false -Wait -Timeout 10 -TestRecipient someone@fabrikam.com");

        Assert.True(!fixedRun.AllErrors.Any(), fixedRun.ErrorText);
        AssertNoFailure(fixedRun.Output);
        Assert.Contains(Model.MailboxPermissions, p => string.Equals(p.MailboxIdentity, Tenant.SharedMailbox, StringComparison.OrdinalIgnoreCase)
            && string.Equals(p.User, Tenant.DelegatedUser, StringComparison.OrdinalIgnoreCase) && p.AccessRights.Contains("FullAccess"));
        Assert.Contains("holds FullAccess", Text(ByStep(fixedRun.Output, "MailboxPermission"), "Detail"));
        Assert.True(TenantQueries.EffectiveOrganizationSmtpClientAuthenticationDisabled(Model), "-Fix must not turn SMTP AUTH on for the whole organisation");
        Assert.Equal(Tenant.SharedMailbox, Assert.Single(Emulator.Delivered.All).From, ignoreCase: true);
    }

    [Fact]
    public void A_shared_mailbox_the_user_holds_full_access_on_passes_the_permission_step()
    {
        Start(mailbox: Tenant.SharedMailbox);
        lock (Model.SyncRoot)
        {
            var permission = new MailboxPermission { MailboxIdentity = Tenant.SharedMailbox, User = Tenant.DelegatedUser, EffectiveAt = Emulator.Clock.UtcNow };
            permission.AccessRights.Add("FullAccess");
            Model.MailboxPermissions.Add(permission);
        }

        var result = ByStep(Check(), "MailboxPermission");

        Assert.Equal("Pass", Status(result));
        Assert.Contains($"The signed-in user {Tenant.DelegatedUser} holds FullAccess on {Tenant.SharedMailbox}", Text(result, "Detail"), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Smtp_auth_off_for_the_users_mailbox_fails_with_set_casmailbox_for_that_mailbox()
    {
        Start(mailbox: Tenant.DelegatedUser);
        TenantQueries.SetMailboxSmtpClientAuthenticationDisabled(Model, TenantQueries.FindMailbox(Model, Tenant.DelegatedUser)!, true);

        var first = FirstFailure(Check())!;

        Assert.Equal("SmtpAuth", Step(first));
        Assert.Equal("SetupSmtpAuthDisabledForMailbox", Text(first, "ReasonId"));
        Assert.Equal($"Set-CASMailbox -Identity {Tenant.DelegatedUser} -SmtpClientAuthenticationDisabled $false", Text(first, "Fix"));
    }

    // Plumbing.

    // Start lets the emulator approve device codes for the delegated user; that ends with the test.
    protected override void ResetEmulatorSettings() => Emulator.Tokens.AutoApproveDeviceCodesFor = null;

    private void Start(string mailbox)
    {
        var session = OpenSession();
        Emulator.Tokens.AutoApproveDeviceCodesFor = Tenant.DelegatedUser;
        var created = session.Run(
            """
            param($TenantId, $ClientId, $Mailbox)
            $null = New-SmtpOAuthProfile -Name Emu -TenantId $TenantId -ClientId $ClientId -DeviceCode `
                -Mailbox $Mailbox -AuthorityHost $EmuTenant.AuthorityHost -AllowNonMicrosoftHost -SmtpServer $EmuTenant.SmtpServer -Port $EmuTenant.SmtpPort `
                -Force -Confirm:$false
            """,
            parameters: new Dictionary<string, object?>
            {
                ["TenantId"] = Tenant.TenantId.ToString(),
                ["ClientId"] = Tenant.ClientId.ToString(),
                ["Mailbox"] = mailbox,
            });
        Assert.True(!created.AllErrors.Any(), created.ErrorText);
    }

    private static void AssertNoFailure(IEnumerable<PSObject> results)
    {
        var failed = results.Where(r => Status(r) == "Fail").ToList();
        Assert.True(failed.Count == 0, DescribeFailures(failed));
    }

    private static PSObject? FirstFailure(IEnumerable<PSObject> results) => results.FirstOrDefault(r => Status(r) == "Fail");
}
