using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using OAuthSmtp.Emulator;
using OAuthSmtp.Emulator.Model;
using OAuthSmtp.Hosting;
using OAuthSmtp.PowerShell.Tests.Infrastructure;
using Xunit;

namespace OAuthSmtp.PowerShell.Tests.Setup;

/// <summary>
/// Test-SmtpOAuthSetup on Send As and on -Fix at the prompt (issues 14 and 15): Send As is judged for the
/// authenticating mailbox, one result per -From address, each fixed by -Fix; an admin who declines New-ServicePrincipal
/// is not asked to grant FullAccess to the principal that does not exist, and no step is asked twice.
/// </summary>
public sealed class SendAsAndFixRoundsSetupTests : SetupTestBase
{
    public SendAsAndFixRoundsSetupTests(EmulatorFixture fixture)
        : base(fixture)
    {
    }

    [Fact]
    public void Each_from_address_gets_its_own_result_and_fix_grants_send_as_to_the_authenticating_mailbox_on_each()
    {
        Start();
        var unknown = "nobody@" + Tenant.Domain;
        var from = $"-From {Tenant.SharedMailbox},{Tenant.DelegatedUser},{unknown}";

        var before = Check(from, extraResults: 2).Where(r => Step(r) == "SendAs").ToList();

        Assert.Equal(new[] { Tenant.SharedMailbox, Tenant.DelegatedUser, unknown }, before.Select(r => Text(r, "Target")), StringComparer.OrdinalIgnoreCase);
        Assert.Equal(new[] { "SetupSendAsMissing", "SetupSendAsMissing", "SetupSenderNotFound" }, before.Select(r => Text(r, "ReasonId")));
        Assert.Equal($"Add-RecipientPermission -Identity {Tenant.SharedMailbox} -Trustee {Tenant.Mailbox} -AccessRights SendAs -Confirm:$false", Text(before[0], "Fix"));

        var fixedRun = Run($"Test-SmtpOAuthSetup -Profile Emu {from} -Fix -Confirm:$false");

        Assert.Equal(2, fixedRun.Information.Count(i => i.MessageData.ToString()!.StartsWith("Ran: Add-RecipientPermission", StringComparison.Ordinal)));
        Assert.DoesNotContain(fixedRun.Information, i => i.MessageData.ToString()!.StartsWith("Nothing to fix", StringComparison.Ordinal));
        var after = fixedRun.Output.Where(r => Step(r) == "SendAs").ToList();
        Assert.Equal(new[] { "Pass", "Pass", "Fail" }, after.Select(Status));
        lock (Model.SyncRoot)
        {
            foreach (var sender in new[] { Tenant.SharedMailbox, Tenant.DelegatedUser })
            {
                Assert.Contains(Model.RecipientPermissions, p => p.Identity.Equals(sender, StringComparison.OrdinalIgnoreCase) && p.Trustee.Equals(Tenant.Mailbox, StringComparison.OrdinalIgnoreCase));
            }

            Assert.DoesNotContain(Model.RecipientPermissions, p => p.Trustee == Tenant.EnterpriseAppObjectId.ToString());
        }
    }

    [Fact]
    public void Send_as_granted_only_to_the_service_principal_fails_with_both_ids()
    {
        Start();
        Guid mailboxObjectId;
        lock (Model.SyncRoot)
        {
            Model.RecipientPermissions.Add(new RecipientPermission { Identity = Tenant.SharedMailbox, Trustee = Tenant.EnterpriseAppObjectId.ToString()! });
            mailboxObjectId = TenantQueries.FindMailbox(Model, Tenant.Mailbox)!.ExternalDirectoryObjectId;
        }

        var sendAs = ByStep(Check($"-From {Tenant.SharedMailbox}"), "SendAs");

        Assert.Equal("Fail", Status(sendAs));
        Assert.Equal("SetupSendAsGrantedToAppOnly", Text(sendAs, "ReasonId"));
        Assert.Contains(Tenant.EnterpriseAppObjectId.ToString()!, Text(sendAs, "Detail"));
        Assert.Contains(mailboxObjectId.ToString(), Text(sendAs, "Detail"));
        Assert.Contains("user=", Text(sendAs, "Cause"));
        Assert.Equal($"Add-RecipientPermission -Identity {Tenant.SharedMailbox} -Trustee {Tenant.Mailbox} -AccessRights SendAs -Confirm:$false", Text(sendAs, "Fix"));
    }

    [Fact]
    public void Declining_new_service_principal_at_the_prompt_skips_full_access_for_it_and_asks_each_step_once()
    {
        Start(Scenario.Fresh, options =>
        {
            options.Interactive = true;
            options.AnswerConfirmation = message => message.Contains("New-ServicePrincipal", StringComparison.Ordinal) ? "N" : "Y";
        });

        var result = Run("Test-SmtpOAuthSetup -Profile Emu -Fix");

        Assert.True(!result.AllErrors.Any(), result.ErrorText);
        int Prompts(string command) => Regex.Matches(result.HostText, "Performing the operation \"[^\"]*: " + Regex.Escape(command)).Count;
        Assert.Equal(1, Prompts("New-ServicePrincipal"));
        Assert.Equal(1, Prompts("Set-CASMailbox"));
        Assert.Equal(0, Prompts("Add-MailboxPermission"));
        Assert.Contains(result.Information, i => i.MessageData.ToString()!.StartsWith("Not run: Add-MailboxPermission", StringComparison.Ordinal));
        Assert.Empty(Model.ExchangeServicePrincipals);
        Assert.False(TenantQueries.FindMailbox(Model, Tenant.Mailbox)!.SmtpClientAuthenticationDisabled);
    }

    [Fact]
    public void A_grant_to_the_service_principal_alone_is_replaced_by_fix_with_one_to_the_mailbox_and_the_test_message_goes_out()
    {
        Start();
        lock (Model.SyncRoot)
        {
            Model.RecipientPermissions.Add(new RecipientPermission { Identity = Tenant.SharedMailbox, Trustee = Tenant.EnterpriseAppObjectId.ToString()! });
        }

        var before = Check($"-From {Tenant.SharedMailbox} -TestRecipient someone@fabrikam.com");
        Assert.Equal("SetupSendAsGrantedToAppOnly", Text(ByStep(before, "SendAs"), "ReasonId"));
        Assert.Equal("Skipped", Status(ByStep(before, "TestMessage")));
        Assert.Empty(Emulator.Delivered.All);

        var fixedRun = Run($"Test-SmtpOAuthSetup -Profile Emu -From {Tenant.SharedMailbox} -TestRecipient someone@fabrikam.com -Fix -Confirm:$false -Wait -Timeout 10");

        Assert.True(!fixedRun.AllErrors.Any(), fixedRun.ErrorText);
        Assert.Null(fixedRun.Output.FirstOrDefault(r => Status(r) == "Fail"));
        Assert.Equal(Tenant.SharedMailbox, Assert.Single(Emulator.Delivered.All).From, ignoreCase: true);
    }

    [Fact]
    public void Sending_as_another_address_with_only_the_service_principals_grant_is_refused_after_the_data()
    {
        Start();
        lock (Model.SyncRoot)
        {
            Model.RecipientPermissions.Add(new RecipientPermission { Identity = Tenant.SharedMailbox, Trustee = Tenant.EnterpriseAppObjectId.ToString()! });
        }

        var sent = Run($"Send-SmtpOAuthMessage -Profile Emu -From {Tenant.SharedMailbox} -To someone@fabrikam.com -Subject 'Send As' -Body 'x'");

        // What the doctor's SendAs verdict predicts: the service refuses the grant to the app alone.
        Assert.Contains(sent.AllErrors, e => e.FullyQualifiedErrorId.StartsWith("SendAsDenied", StringComparison.Ordinal));
        Assert.Empty(Emulator.Delivered.All);
    }

    [Fact]
    public void An_unlicensed_user_mailbox_fails_the_mailbox_step_and_a_shared_mailbox_needs_no_licence()
    {
        Start();
        var setLicence = Run($"Set-EmuMailboxState -Identity {Tenant.Mailbox} -Licensed:$false -Confirm:$false");
        Assert.True(!setLicence.AllErrors.Any(), setLicence.ErrorText);

        var results = Check();

        var mailbox = ByStep(results, "Mailbox");
        Assert.Equal("Fail", Status(mailbox));
        Assert.Equal("SetupMailboxUnlicensed", Text(mailbox, "ReasonId"));
        Assert.Contains("SKUAssigned: False", Text(mailbox, "Detail"));
        Assert.Equal("Pass", Status(ByStep(results, "MailboxPermission")));

        var shared = Run($"Get-EXOMailbox -Identity {Tenant.SharedMailbox} -Properties SKUAssigned");
        Assert.Equal(false, Assert.Single(shared.Output).Properties["SKUAssigned"].Value);
    }

    [Fact]
    public void A_licence_assigned_recently_makes_the_test_message_pending_and_wait_sends_it_once_smtp_has_it()
    {
        // EXCHANGE-FACTS §8: a new mailbox or licence takes up to 24 h to reach SMTP; Get-Mailbox shows it at once.
        Start();
        Run("$null = Test-SmtpOAuthSetup -Profile Emu -Quiet"); // first use in this runspace: module and MSAL warm-up, so the wait below is the licence's
        Emulator.Control.SetPropagationDelay(ChangeKind.Mailbox, TimeSpan.FromSeconds(5));
        var relicensed = Run($"Set-EmuMailboxState -Identity {Tenant.Mailbox} -Licensed:$false -Confirm:$false; Set-EmuMailboxState -Identity {Tenant.Mailbox} -Licensed -Confirm:$false");
        Assert.True(!relicensed.AllErrors.Any(), relicensed.ErrorText);

        var results = Check("-TestRecipient someone@fabrikam.com");

        Assert.Equal("Pass", Status(ByStep(results, "Mailbox")));
        var message = ByStep(results, "TestMessage");
        Assert.Equal("Fail", Status(message));
        Assert.True((bool)message.Properties["IsPending"].Value);
        Assert.Equal("SetupPropagationPending", Text(message, "ReasonId"));
        Assert.Contains("InvalidLicenseException", Text(message, "Detail"));
        Assert.Contains("24 hours", Text(message, "Cause"));
        Assert.Empty(Emulator.Delivered.All);

        var waited = Run("Test-SmtpOAuthSetup -Profile Emu -TestRecipient someone@fabrikam.com -Wait -Timeout 20");

        Assert.True(!waited.AllErrors.Any(), waited.ErrorText);
        Assert.Equal("Pass", Status(waited.Output.Single(r => Step(r) == "TestMessage")));
        Assert.Single(Emulator.Delivered.All);
    }

    private void Start(Scenario scenario = Scenario.Ready, Action<PowerShellSessionOptions>? configure = null)
    {
        var session = OpenSession(scenario, configure: configure);
        var created = session.Run(
            """
            param($Secret)
            $secure = [System.Net.NetworkCredential]::new('', $Secret).SecurePassword
            $null = New-SmtpOAuthProfile -Name Emu -TenantId $EmuTenant.TenantId -ClientId $EmuTenant.ClientId -ClientSecret $secure `
                -Mailbox $EmuTenant.Mailbox -AuthorityHost $EmuTenant.AuthorityHost -AllowNonMicrosoftHost -SmtpServer $EmuTenant.SmtpServer -Port $EmuTenant.SmtpPort `
                -AllowUnprotectedSecret -Force -Confirm:$false
            """,
            parameters: new Dictionary<string, object?> { ["Secret"] = Tenant.ClientSecret });
        Assert.True(!created.AllErrors.Any(), created.ErrorText);
    }
}
