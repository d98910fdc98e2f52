using System;
using System.Linq;
using OAuthSmtp.Engine.Errors;
using OAuthSmtp.Engine.Setup;
using OAuthSmtp.Engine.Setup.Exchange;
using Xunit;

namespace OAuthSmtp.Engine.Tests.Setup;

public sealed class SetupDoctorTests
{
    private static SetupReport Run(FakeTenant tenant, Action<SetupRequest>? configure = null, bool exchangeConnected = true)
    {
        var request = new SetupRequest(tenant.Profile());
        configure?.Invoke(request);
        return new SetupDoctor(tenant.Services(exchangeConnected)).Run(request);
    }

    private static SetupCheckResult Step(SetupReport report, SetupStep step) => report.Results.Single(r => r.Step == step);

    private static SetupReport FixAndRetest(FakeTenant tenant, SetupReport report, Action<SetupRequest>? configure = null, bool includeRbac = false)
    {
        var outcomes = SetupFixRunner.Apply(report.FixActions(includeRbac), tenant, _ => true);
        Assert.All(outcomes, o => Assert.True(o.Applied, o.Error?.Message));
        return Run(tenant, configure);
    }

    [Fact]
    public void A_ready_tenant_passes_every_step_in_order_and_authenticates_once()
    {
        var tenant = FakeTenant.Ready();

        var report = Run(tenant);

        Assert.Equal(Enum.GetValues<SetupStep>(), report.Results.Select(r => r.Step));
        Assert.True(report.Succeeded, string.Join(Environment.NewLine, report.Results));
        Assert.All(report.Results.Where(r => r.Step != SetupStep.TestMessage), r => Assert.Equal(SetupCheckStatus.Pass, r.Status));
        Assert.Equal(SetupCheckStatus.Skipped, Step(report, SetupStep.TestMessage).Status);
        Assert.Equal(1, tenant.SmtpAuthentications);
        Assert.Empty(report.FixActions(includeRbac: true));
    }

    [Fact]
    public void A_fresh_tenant_names_the_service_principal_first_and_plans_every_exchange_fix_at_once()
    {
        var tenant = FakeTenant.Fresh();

        var report = Run(tenant);

        var first = report.FirstFailure!;
        Assert.Equal(SetupStep.ServicePrincipal, first.Step);
        Assert.Equal(ErrorIds.SetupServicePrincipalMissing, first.ReasonId);
        Assert.Contains(FakeTenant.EnterpriseObjectId, first.Detail);
        Assert.Equal($"New-ServicePrincipal -AppId {FakeTenant.ClientId} -ObjectId {FakeTenant.EnterpriseObjectId} -DisplayName Mailer", first.Fix);

        var permission = Step(report, SetupStep.MailboxPermission);
        Assert.Equal(SetupCheckStatus.Skipped, permission.Status);
        Assert.Contains("ServicePrincipal", permission.Detail);
        Assert.Equal(SetupCheckStatus.Fail, Step(report, SetupStep.SmtpAuth).Status);
        Assert.Equal(ErrorIds.SetupSmtpAuthDisabledByOrganization, Step(report, SetupStep.SmtpAuth).ReasonId);
        Assert.Equal(SetupCheckStatus.Skipped, Step(report, SetupStep.SmtpHandshake).Status);
        Assert.Equal(0, tenant.SmtpAuthentications);

        Assert.Equal(
            new[] { SetupFixKind.NewServicePrincipal, SetupFixKind.AddMailboxPermission, SetupFixKind.SetCasMailbox },
            report.FixActions(includeRbac: false).Select(a => a.Kind));

        var after = FixAndRetest(tenant, report);

        Assert.True(after.Succeeded, string.Join(Environment.NewLine, after.Results));
        Assert.False(tenant.OrganizationSmtpAuthDisabled == false, "the organisation-wide switch must not be touched");
        Assert.DoesNotContain(tenant.Commands, c => c.Contains("TransportConfig"));
    }

    [Fact]
    public void The_app_registrations_object_id_is_named_as_the_classic_mistake_with_both_ids()
    {
        var tenant = FakeTenant.Fresh();
        tenant.ServicePrincipals.Add(new ExchangeServicePrincipalRecord(FakeTenant.AppObjectId, FakeTenant.ClientId, FakeTenant.AppObjectId, "Mailer"));
        tenant.MailboxSmtpAuthDisabled[FakeTenant.Mailbox] = false;
        tenant.MailboxPermissions.Add(new(FakeTenant.Mailbox, FakeTenant.EnterpriseObjectId, new[] { "FullAccess" }, false, false));

        var report = Run(tenant);

        var result = report.FirstFailure!;
        Assert.Equal(SetupStep.ServicePrincipal, result.Step);
        Assert.Equal(ErrorIds.SetupServicePrincipalWrongObjectId, result.ReasonId);
        Assert.Contains(FakeTenant.AppObjectId, result.Detail);
        Assert.Contains(FakeTenant.EnterpriseObjectId, result.Detail);
        Assert.Contains("app registration's object id", result.Detail);
        Assert.Equal(
            $"Remove-ServicePrincipal -Identity {FakeTenant.AppObjectId} -Confirm:$false{Environment.NewLine}New-ServicePrincipal -AppId {FakeTenant.ClientId} -ObjectId {FakeTenant.EnterpriseObjectId} -DisplayName Mailer",
            result.Fix);

        var after = FixAndRetest(tenant, report);

        Assert.True(after.Succeeded, string.Join(Environment.NewLine, after.Results));
        Assert.Single(tenant.ServicePrincipals);
    }

    [Fact]
    public void Missing_consent_fails_the_token_permissions_step_with_the_portal_fix_and_no_exchange_action()
    {
        var tenant = FakeTenant.Ready();
        tenant.Consented = false;

        var report = Run(tenant);

        var result = report.FirstFailure!;
        Assert.Equal(SetupStep.TokenPermissions, result.Step);
        Assert.Equal(ErrorIds.SetupConsentMissing, result.ReasonId);
        Assert.Contains("SMTP.SendAsApp", result.Fix);
        Assert.Contains("Grant admin consent", result.Fix);
        Assert.Empty(result.FixActions);
        Assert.Equal(SetupCheckStatus.Skipped, Step(report, SetupStep.SmtpHandshake).Status);
    }

    [Fact]
    public void The_rbac_route_is_set_up_only_when_asked_and_then_passes()
    {
        var tenant = FakeTenant.Ready();
        tenant.Consented = false;
        tenant.MailboxPermissions.Clear();
        void UseRbac(SetupRequest r) => r.UseRbac = true;

        var report = Run(tenant, UseRbac);

        Assert.Equal(SetupCheckStatus.Pass, Step(report, SetupStep.TokenPermissions).Status);
        var permission = report.FirstFailure!;
        Assert.Equal(SetupStep.MailboxPermission, permission.Step);
        Assert.Equal(ErrorIds.SetupRbacAssignmentMissing, permission.ReasonId);
        Assert.Empty(report.FixActions(includeRbac: false));
        Assert.Equal(
            new[] { SetupFixKind.NewManagementScope, SetupFixKind.NewManagementRoleAssignment },
            report.FixActions(includeRbac: true).Select(a => a.Kind));

        var after = FixAndRetest(tenant, report, UseRbac, includeRbac: true);

        Assert.True(after.Succeeded, string.Join(Environment.NewLine, after.Results));
        // Found without the switch on the next run: the assignment itself says which route is in use.
        Assert.True(Run(tenant).Succeeded);
    }

    [Fact]
    public void An_rbac_scope_that_does_not_cover_the_mailbox_is_named()
    {
        var tenant = FakeTenant.Ready();
        tenant.Consented = false;
        tenant.MailboxPermissions.Clear();
        tenant.Scopes.Add(("Sales only", "PrimarySmtpAddress -eq 'sales@contoso.com'"));
        tenant.RoleAssignments.Add(("Sales SMTP", FakeTenant.EnterpriseObjectId, "Sales only"));

        var report = Run(tenant);

        Assert.Equal(SetupCheckStatus.Pass, Step(report, SetupStep.TokenPermissions).Status);
        var result = report.FirstFailure!;
        Assert.Equal(ErrorIds.SetupRbacScopeNotCovering, result.ReasonId);
        Assert.Contains("'Sales only'", result.Detail);
        Assert.Contains(FakeTenant.Mailbox, result.Detail);
    }

    [Theory]
    [InlineData(true, true, ErrorIds.SetupSmtpAuthDisabledForMailbox)]
    [InlineData(false, true, ErrorIds.SetupSmtpAuthDisabledForMailbox)]
    [InlineData(true, null, ErrorIds.SetupSmtpAuthDisabledByOrganization)]
    public void Smtp_auth_disabled_is_reported_with_the_rule_that_decided(bool organizationDisabled, bool? mailboxDisabled, string reason)
    {
        var tenant = FakeTenant.Ready();
        tenant.OrganizationSmtpAuthDisabled = organizationDisabled;
        tenant.MailboxSmtpAuthDisabled[FakeTenant.Mailbox] = mailboxDisabled;

        var report = Run(tenant);

        var result = report.FirstFailure!;
        Assert.Equal(SetupStep.SmtpAuth, result.Step);
        Assert.Equal(reason, result.ReasonId);
        Assert.Equal($"Set-CASMailbox -Identity {FakeTenant.Mailbox} -SmtpClientAuthenticationDisabled $false", result.Fix);
        Assert.True(FixAndRetest(tenant, report).Succeeded);
        Assert.Equal(organizationDisabled, tenant.OrganizationSmtpAuthDisabled);
    }

    [Fact]
    public void A_mailbox_value_overriding_a_disabled_organisation_passes_and_says_which_wins()
    {
        var tenant = FakeTenant.Ready();

        var result = Step(Run(tenant), SetupStep.SmtpAuth);

        Assert.Equal(SetupCheckStatus.Pass, result.Status);
        Assert.Contains("organisation: disabled", result.Detail);
        Assert.Contains("the mailbox setting wins", result.Detail);
    }

    [Fact]
    public void Send_as_for_another_sender_is_checked_fixed_and_proven_with_a_test_message()
    {
        var tenant = FakeTenant.Ready();
        void Configure(SetupRequest r)
        {
            r.From = new[] { FakeTenant.Shared };
            r.TestRecipient = "someone@fabrikam.com";
        }

        var report = Run(tenant, Configure);

        var result = report.FirstFailure!;
        Assert.Equal(SetupStep.SendAs, result.Step);
        Assert.Equal(ErrorIds.SetupSendAsMissing, result.ReasonId);
        Assert.Equal($"Add-RecipientPermission -Identity {FakeTenant.Shared} -Trustee {FakeTenant.Mailbox} -AccessRights SendAs -Confirm:$false", result.Fix);
        Assert.Equal(FakeTenant.Shared, result.Target);
        Assert.Equal(SetupCheckStatus.Skipped, Step(report, SetupStep.TestMessage).Status);

        var after = FixAndRetest(tenant, report, Configure);

        Assert.True(after.Succeeded, string.Join(Environment.NewLine, after.Results));
        Assert.Equal(SetupCheckStatus.Pass, Step(after, SetupStep.TestMessage).Status);
        Assert.Equal((FakeTenant.Shared, "someone@fabrikam.com"), Assert.Single(tenant.Delivered));
    }

    [Fact]
    public void Without_an_exchange_session_the_exchange_steps_say_how_to_connect_and_the_handshake_still_runs()
    {
        var tenant = FakeTenant.Fresh();

        var report = Run(tenant, exchangeConnected: false);

        foreach (var step in new[] { SetupStep.ServicePrincipal, SetupStep.Mailbox, SetupStep.MailboxPermission, SetupStep.SmtpAuth, SetupStep.SendAs })
        {
            var result = Step(report, step);
            Assert.Equal(SetupCheckStatus.Skipped, result.Status);
            Assert.Equal(ErrorIds.SetupExchangeNotConnected, result.ReasonId);
            Assert.Contains("Connect-ExchangeOnline", result.Fix);
        }

        var handshake = Step(report, SetupStep.SmtpHandshake);
        Assert.Equal(SetupCheckStatus.Fail, handshake.Status);
        Assert.Equal(ErrorIds.SmtpAuthenticationFailed, handshake.ReasonId);
        Assert.Contains("535 5.7.3", handshake.Detail);
        Assert.False(handshake.IsPending);
    }

    [Fact]
    public void Skip_exchange_leaves_the_exchange_steps_out_on_purpose()
    {
        var report = Run(FakeTenant.Ready(), r => r.SkipExchange = true);

        Assert.Contains("-SkipExchange", Step(report, SetupStep.ServicePrincipal).Detail);
        Assert.Null(Step(report, SetupStep.ServicePrincipal).Fix);
        Assert.Equal(SetupCheckStatus.Pass, Step(report, SetupStep.SmtpHandshake).Status);
        Assert.True(report.Succeeded);
    }

    [Fact]
    public void A_refused_token_fails_the_token_step_with_the_translated_error_and_skips_what_needs_it()
    {
        var tenant = FakeTenant.Ready();
        tenant.TokenErrorId = ErrorIds.TokenClientSecretExpired;

        var report = Run(tenant);

        var result = report.FirstFailure!;
        Assert.Equal(SetupStep.Token, result.Step);
        Assert.Equal(ErrorIds.TokenClientSecretExpired, result.ReasonId);
        Assert.Equal("Fix for " + ErrorIds.TokenClientSecretExpired, result.Fix);
        foreach (var step in new[] { SetupStep.TokenPermissions, SetupStep.ServicePrincipal, SetupStep.MailboxPermission, SetupStep.SmtpHandshake })
        {
            Assert.Equal(SetupCheckStatus.Skipped, Step(report, step).Status);
        }

        Assert.Equal(SetupCheckStatus.Pass, Step(report, SetupStep.Mailbox).Status);
        Assert.Single(report.Results, r => r.Status == SetupCheckStatus.Fail);
    }

    [Fact]
    public void An_unknown_tenant_fails_the_tenant_step_and_nothing_asks_for_a_token()
    {
        var tenant = FakeTenant.Ready();
        tenant.TenantExists = false;

        var report = Run(tenant);

        var result = report.FirstFailure!;
        Assert.Equal(SetupStep.Tenant, result.Step);
        Assert.Equal(ErrorIds.SetupTenantNotFound, result.ReasonId);
        Assert.Contains("AADSTS90002", result.Detail);
        Assert.Contains("-TenantId", result.Fix);
        Assert.Equal(SetupCheckStatus.Skipped, Step(report, SetupStep.Token).Status);
    }

    [Fact]
    public void A_malformed_profile_fails_first_with_the_set_command()
    {
        var tenant = FakeTenant.Ready();
        var profile = tenant.Profile();
        profile.Mailbox = "not an address";
        profile.Port = 465;

        var report = new SetupDoctor(tenant.Services()).Run(new SetupRequest(profile));

        var result = report.FirstFailure!;
        Assert.Equal(SetupStep.Profile, result.Step);
        Assert.Contains("Set-SmtpOAuthProfile -Name Mail -Mailbox", result.Fix);
        Assert.Contains("-Port 587", result.Fix);
        Assert.Single(report.Results, r => r.Status == SetupCheckStatus.Fail);
    }

    [Fact]
    public void A_secret_expiring_within_30_days_warns_with_the_rotation_steps()
    {
        var tenant = FakeTenant.Ready();
        tenant.SecretEnds = tenant.Now.AddDays(10);

        var result = Step(Run(tenant), SetupStep.CredentialLifetime);

        Assert.Equal(SetupCheckStatus.Warning, result.Status);
        Assert.Contains(tenant.SecretEnds.ToString("yyyy-MM-dd"), result.Detail);
        Assert.Contains("Set-SmtpOAuthProfile -Name Mail -ClientSecret", result.Fix);
        Assert.Contains("Delete the old secret", result.Fix);
    }

    [Fact]
    public void Without_graph_the_secret_end_date_is_skipped_with_the_permission_that_would_show_it()
    {
        var tenant = FakeTenant.Ready();
        tenant.GraphReadable = false;

        var report = Run(tenant);

        Assert.Equal(SetupCheckStatus.Skipped, Step(report, SetupStep.CredentialLifetime).Status);
        Assert.Contains("Application.Read.All", Step(report, SetupStep.CredentialLifetime).Detail);
        Assert.True(report.Succeeded);
    }

    [Fact]
    public void Security_defaults_are_reported_as_no_obstacle_to_oauth_with_the_basic_auth_dates()
    {
        var tenant = FakeTenant.Ready();
        tenant.SecurityDefaults = true;

        var result = Step(Run(tenant), SetupStep.SecurityPolicies);

        Assert.Equal(SetupCheckStatus.Pass, result.Status);
        Assert.Contains("Security defaults are ON", result.Detail);
        Assert.Contains("December 2026", result.Detail);
    }

    [Fact]
    public void A_refusal_after_every_exchange_step_passed_is_pending_and_wait_ends_when_exchange_catches_up()
    {
        var tenant = FakeTenant.Ready();
        tenant.PropagationPending = true;
        var request = new SetupRequest(tenant.Profile());
        var doctor = new SetupDoctor(tenant.Services());

        var report = doctor.Run(request);

        var handshake = report.FirstFailure!;
        Assert.Equal(SetupStep.SmtpHandshake, handshake.Step);
        Assert.True(handshake.IsPending);
        Assert.Equal(ErrorIds.SetupPropagationPending, handshake.ReasonId);

        var retests = 0;
        var clock = tenant.Now;
        var wait = new SetupPropagationWait(
            () =>
            {
                if (++retests == 2)
                {
                    tenant.PropagationPending = false;
                }

                return doctor.Run(request);
            },
            () => clock = clock.AddSeconds(1))
        { Sleep = (_, _) => { } };
        var (final, timedOut) = wait.Run(report, TimeSpan.FromSeconds(60), null, default);

        Assert.False(timedOut);
        Assert.True(final.Succeeded);
        Assert.Equal(2, retests);
    }

    [Fact]
    public void Wait_gives_up_at_the_timeout_and_says_what_is_still_pending()
    {
        var tenant = FakeTenant.Ready();
        tenant.PropagationPending = true;
        var request = new SetupRequest(tenant.Profile());
        var doctor = new SetupDoctor(tenant.Services());
        var clock = DateTimeOffset.UnixEpoch;
        var wait = new SetupPropagationWait(() => doctor.Run(request), () => clock = clock.AddSeconds(0.4)) { Sleep = (_, _) => { } };

        var (final, timedOut) = wait.Run(doctor.Run(request), TimeSpan.FromSeconds(1), null, default);

        Assert.True(timedOut);
        Assert.Equal(SetupStep.SmtpHandshake, Assert.Single(final.Pending).Step);
    }

    [Fact]
    public void Declined_fixes_change_nothing()
    {
        var tenant = FakeTenant.Fresh();
        var report = Run(tenant);

        var outcomes = SetupFixRunner.Apply(report.FixActions(false), tenant, _ => false);

        // FullAccess for the principal that was not registered is not even asked about.
        Assert.Equal(new[] { true, false, true }, outcomes.Select(o => o.Declined));
        Assert.StartsWith("New-ServicePrincipal", outcomes[1].BlockedBy, StringComparison.Ordinal);
        Assert.Empty(tenant.Commands);
        Assert.Empty(tenant.ServicePrincipals);
    }
}
