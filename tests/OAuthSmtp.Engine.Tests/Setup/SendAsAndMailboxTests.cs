using System;
using System.Linq;
using OAuthSmtp.Engine.Errors;
using OAuthSmtp.Engine.Setup;
using OAuthSmtp.Engine.Setup.Exchange;
using Xunit;

namespace OAuthSmtp.Engine.Tests.Setup;

/// <summary>
/// Issue 14: Send As belongs to the authenticating mailbox (user=), not to the app; each -From address is judged and
/// fixed on its own (issue 15 fix 4); an unlicensed user mailbox is named; a managed identity without the role is told
/// about Azure's token cache.
/// </summary>
public sealed class SendAsAndMailboxTests
{
    private static SetupReport Run(FakeTenant tenant, params string[] from)
    {
        var request = new SetupRequest(tenant.Profile()) { From = from };
        return new SetupDoctor(tenant.Services()).Run(request);
    }

    private static SetupCheckResult Step(SetupReport report, SetupStep step) => report.Results.Single(r => r.Step == step);

    [Fact]
    public void Send_as_held_by_the_authenticating_mailbox_passes()
    {
        var tenant = FakeTenant.Ready();
        tenant.RecipientPermissions.Add(new RecipientPermissionRecord(FakeTenant.Shared, FakeTenant.Mailbox, new[] { "SendAs" }, "Allow"));

        var sendAs = Step(Run(tenant, FakeTenant.Shared), SetupStep.SendAs);

        Assert.Equal(SetupCheckStatus.Pass, sendAs.Status);
        Assert.Contains($"authenticating mailbox {FakeTenant.Mailbox} holds Send As on {FakeTenant.Shared}", sendAs.Detail);
    }

    [Fact]
    public void Send_as_granted_only_to_the_service_principal_fails_with_both_ids_and_the_fix_grants_the_mailbox()
    {
        var tenant = FakeTenant.Ready();
        tenant.RecipientPermissions.Add(new RecipientPermissionRecord(FakeTenant.Shared, FakeTenant.EnterpriseObjectId, new[] { "SendAs" }, "Allow"));

        var sendAs = Step(Run(tenant, FakeTenant.Shared), SetupStep.SendAs);

        Assert.Equal(SetupCheckStatus.Fail, sendAs.Status);
        Assert.Equal(ErrorIds.SetupSendAsGrantedToAppOnly, sendAs.ReasonId);
        Assert.Contains(FakeTenant.EnterpriseObjectId, sendAs.Detail);
        Assert.Contains(FakeTenant.ObjectIdOf(FakeTenant.Mailbox), sendAs.Detail);
        Assert.Contains("user=", sendAs.Cause);
        Assert.Contains("SendAsDeniedException", sendAs.Cause);
        var fix = Assert.Single(sendAs.FixActions);
        Assert.Equal($"Add-RecipientPermission -Identity {FakeTenant.Shared} -Trustee {FakeTenant.Mailbox} -AccessRights SendAs -Confirm:$false", fix.CommandText);
    }

    [Fact]
    public void Each_from_address_gets_its_own_result_and_its_own_fix()
    {
        var tenant = FakeTenant.Ready();
        tenant.RecipientPermissions.Add(new RecipientPermissionRecord(FakeTenant.Billing, FakeTenant.Mailbox, new[] { "SendAs" }, "Allow"));

        var report = Run(tenant, "nobody@contoso.com", FakeTenant.Shared, FakeTenant.Billing, FakeTenant.Mailbox);

        var sendAs = report.Results.Where(r => r.Step == SetupStep.SendAs).ToList();
        Assert.Equal(new[] { "nobody@contoso.com", FakeTenant.Shared, FakeTenant.Billing }, sendAs.Select(r => r.Target));
        Assert.Equal(ErrorIds.SetupSenderNotFound, sendAs[0].ReasonId);
        Assert.Equal(ErrorIds.SetupSendAsMissing, sendAs[1].ReasonId);
        Assert.Equal(SetupCheckStatus.Pass, sendAs[2].Status);
        Assert.Equal(Enum.GetValues<SetupStep>().Length + 2, report.Results.Count);

        // The unknown sender has no Exchange fix, the other one has: -Fix must not say "nothing to fix".
        var fix = Assert.Single(report.FixActions(includeRbac: false));
        Assert.Equal(FakeTenant.Shared, fix.Target);
    }

    [Fact]
    public void Fix_grants_send_as_on_every_from_address_and_the_test_message_goes_out()
    {
        var tenant = FakeTenant.Ready();
        var request = new SetupRequest(tenant.Profile()) { From = new[] { FakeTenant.Shared, FakeTenant.Billing }, TestRecipient = "someone@fabrikam.com" };
        var ran = new System.Collections.Generic.List<string>();

        var report = new SetupWorkflow(tenant.Services(), new SetupHost { Information = ran.Add }).Run(request, new SetupWorkflowOptions { Fix = true });

        Assert.True(report.Succeeded, string.Join(Environment.NewLine, report.Results));
        Assert.Equal(
            new[] { $"Add-RecipientPermission {FakeTenant.Shared} {FakeTenant.Mailbox}", $"Add-RecipientPermission {FakeTenant.Billing} {FakeTenant.Mailbox}" },
            tenant.Commands);
        Assert.Equal(2, ran.Count(line => line.StartsWith("Ran: Add-RecipientPermission", StringComparison.Ordinal)));
        Assert.Equal((FakeTenant.Shared, "someone@fabrikam.com"), Assert.Single(tenant.Delivered));
    }

    [Fact]
    public void An_unlicensed_user_mailbox_fails_the_mailbox_step_and_the_later_steps_still_run()
    {
        var tenant = FakeTenant.Fresh();
        tenant.Unlicensed.Add(FakeTenant.Mailbox);

        var report = Run(tenant);

        var mailbox = Step(report, SetupStep.Mailbox);
        Assert.Equal(SetupCheckStatus.Fail, mailbox.Status);
        Assert.Equal(ErrorIds.SetupMailboxUnlicensed, mailbox.ReasonId);
        Assert.Contains("without a licence", mailbox.Detail);
        Assert.Contains("shared mailbox", mailbox.Fix);
        Assert.Empty(mailbox.FixActions);

        // FullAccess and SMTP AUTH are still judged, so one -Fix covers them.
        Assert.Equal(SetupCheckStatus.Fail, Step(report, SetupStep.SmtpAuth).Status);
        Assert.Contains(report.FixActions(false), a => a.Kind == SetupFixKind.AddMailboxPermission);
    }

    [Fact]
    public void A_shared_mailbox_needs_no_licence()
    {
        var tenant = FakeTenant.Ready();
        var profile = tenant.Profile();
        profile.Mailbox = FakeTenant.Shared;
        tenant.MailboxPermissions.Add(new MailboxPermissionRecord(FakeTenant.Shared, FakeTenant.EnterpriseObjectId, new[] { "FullAccess" }, false, false));

        var mailbox = new SetupDoctor(tenant.Services()).Run(new SetupRequest(profile)).Results.Single(r => r.Step == SetupStep.Mailbox);

        Assert.Equal(SetupCheckStatus.Pass, mailbox.Status);
        Assert.Contains("needs no licence", mailbox.Detail);
    }

    [Fact]
    public void A_managed_identity_without_the_role_is_told_about_azures_token_cache()
    {
        var tenant = FakeTenant.Ready();
        tenant.ManagedIdentity = true;
        tenant.GraphReadable = false;
        tenant.Consented = false;

        var permissions = Step(Run(tenant), SetupStep.TokenPermissions);

        Assert.Equal(SetupCheckStatus.Fail, permissions.Status);
        Assert.Contains("24 hours", permissions.Cause);
        Assert.Contains("Granted recently? Wait", permissions.Fix);
        Assert.Contains("restart the resource", permissions.Fix);
        Assert.Contains("New-MgServicePrincipalAppRoleAssignment", permissions.Fix);
        Assert.DoesNotContain("Grant admin consent", permissions.Fix);
    }

    [Fact]
    public void Without_an_exchange_session_a_managed_identity_without_the_role_is_told_about_the_token_cache_not_admin_consent()
    {
        // The token step passes the managed-identity flag to SmtpTokenAssessment, whose finding knows Azure's cache.
        var tenant = FakeTenant.Ready();
        tenant.ManagedIdentity = true;
        tenant.Consented = false;

        var permissions = Step(new SetupDoctor(tenant.Services(exchangeConnected: false)).Run(new SetupRequest(tenant.Profile())), SetupStep.TokenPermissions);

        Assert.Equal(SetupCheckStatus.Warning, permissions.Status);
        Assert.Contains("managed identity", permissions.Detail);
        Assert.Contains("24 hours", permissions.Detail);
        Assert.DoesNotContain("admin consent for SMTP.SendAsApp", permissions.Detail);
        Assert.Contains("Granted recently? Wait", permissions.Fix);
        Assert.DoesNotContain("Grant admin consent", permissions.Fix);
    }

    [Fact]
    public void A_test_message_refused_for_a_licence_exchange_already_lists_is_pending_and_names_the_24_hour_wait()
    {
        var tenant = FakeTenant.Ready();
        tenant.LicenceNotPropagated.Add(FakeTenant.Mailbox);

        var report = new SetupDoctor(tenant.Services()).Run(new SetupRequest(tenant.Profile()) { TestRecipient = "someone@fabrikam.com" });

        Assert.Equal(SetupCheckStatus.Pass, Step(report, SetupStep.Mailbox).Status);
        var message = Step(report, SetupStep.TestMessage);
        Assert.Equal(SetupCheckStatus.Fail, message.Status);
        Assert.True(message.IsPending);
        Assert.Equal(ErrorIds.SetupPropagationPending, message.ReasonId);
        Assert.Contains("InvalidLicenseException", message.Detail);
        Assert.Contains("24 hours", message.Cause);
        Assert.Contains("-Wait", message.Fix);
        Assert.Contains(report.Pending, r => r.Step == SetupStep.TestMessage);
    }

    [Fact]
    public void A_test_message_refused_for_a_mailbox_without_a_licence_is_not_pending_and_names_the_licence()
    {
        var tenant = FakeTenant.Ready();
        tenant.Unlicensed.Add(FakeTenant.Mailbox);

        var report = new SetupDoctor(tenant.Services()).Run(new SetupRequest(tenant.Profile()) { TestRecipient = "someone@fabrikam.com" });

        Assert.Equal(ErrorIds.SetupMailboxUnlicensed, Step(report, SetupStep.Mailbox).ReasonId);
        var message = Step(report, SetupStep.TestMessage);
        Assert.Equal(SetupCheckStatus.Fail, message.Status);
        Assert.False(message.IsPending);
        Assert.Equal(ErrorIds.MailboxUnlicensed, message.ReasonId);
        Assert.Contains("shared mailbox", message.Fix);
    }
}
