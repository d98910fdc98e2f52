using System;
using System.Linq;
using System.Threading.Tasks;
using MailKit.Net.Smtp;
using MailKit.Security;
using OAuthSmtp.Emulator.Model;
using Xunit;

namespace OAuthSmtp.Emulator.Tests.Smtp;

/// <summary>
/// Every AUTH row of EXCHANGE-FACTS §5a that SMTP submission can produce: a tenant state that produces it, and the
/// exact reply as MailKit's SmtpClient reports it. Also the states that must succeed (RBAC route, delegated, overrides).
/// </summary>
public sealed class SmtpAuthenticationReplyTests
{
    private const string Unsuccessful = "535 5.7.3 Authentication unsuccessful";

    private static async Task<string> AuthenticationFailure(SmtpTestHost host, string token, string user = SmtpTestHost.Mailbox)
    {
        using var client = await host.ConnectAsync();
        var error = await Assert.ThrowsAsync<AuthenticationException>(() => client.AuthenticateAsync(new SaslMechanismOAuth2(user, token)));
        return SmtpAssert.ReplyOf(error);
    }

    private static async Task<string> BasicFailure(SmtpTestHost host, string user, string password)
    {
        using var client = await host.ConnectAsync();
        var error = await Assert.ThrowsAnyAsync<Exception>(() => client.AuthenticateAsync(new SaslMechanismLogin(user, password)));
        return SmtpAssert.ReplyOf(error);
    }

    private static async Task AuthenticatesAsync(SmtpTestHost host, string token, string user = SmtpTestHost.Mailbox)
    {
        using var client = await host.ConnectAndAuthenticateAsync(token, user);
        Assert.True(client.IsAuthenticated);
        await client.DisconnectAsync(quit: true);
    }

    [Fact]
    public async Task No_Exchange_service_principal_gives_535_5_7_3()
    {
        await using var host = await SmtpTestHost.StartAsync();
        host.Tenant.ExchangeServicePrincipals.Clear();

        SmtpAssert.Reply(Unsuccessful, await AuthenticationFailure(host, host.AppToken()), hostTag: true);
        Assert.Contains(host.Statistics.SmtpTranscripts.SelectMany(t => t.Lines), l => l.Contains("New-ServicePrincipal was not run", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Service_principal_registered_with_the_app_registration_object_id_gives_535_5_7_3()
    {
        await using var host = await SmtpTestHost.StartAsync();
        host.Tenant.ExchangeServicePrincipals.Single().ObjectId = host.AppObjectId.ToString();

        SmtpAssert.Reply(Unsuccessful, await AuthenticationFailure(host, host.AppToken()), hostTag: true);
        Assert.Contains(host.Statistics.SmtpTranscripts.SelectMany(t => t.Lines), l => l.Contains("app registration's object id", StringComparison.Ordinal));
    }

    [Fact]
    public async Task No_FullAccess_and_no_RBAC_scope_gives_535_5_7_3()
    {
        await using var host = await SmtpTestHost.StartAsync();
        host.Tenant.MailboxPermissions.Clear();

        SmtpAssert.Reply(Unsuccessful, await AuthenticationFailure(host, host.AppToken()), hostTag: true);
    }

    [Fact]
    public async Task A_grant_too_new_to_have_propagated_fails_until_its_delay_passes()
    {
        await using var host = await SmtpTestHost.StartAsync();
        host.Tenant.MailboxPermissions.Single().EffectiveAt = host.Clock.UtcNow.AddMinutes(30);

        SmtpAssert.Reply(Unsuccessful, await AuthenticationFailure(host, host.AppToken()), hostTag: true);

        host.Clock.Advance(TimeSpan.FromMinutes(31));
        await AuthenticatesAsync(host, host.AppToken());
    }

    [Fact]
    public async Task A_token_for_another_audience_gives_535_5_7_3()
    {
        await using var host = await SmtpTestHost.StartAsync();

        SmtpAssert.Reply(Unsuccessful, await AuthenticationFailure(host, host.AppToken(audience: TestTokens.GraphAudience)), hostTag: true);
    }

    [Fact]
    public async Task An_expired_token_gives_535_5_7_3()
    {
        await using var host = await SmtpTestHost.StartAsync();
        var token = host.AppToken();
        host.Clock.Advance(TimeSpan.FromMinutes(61));

        SmtpAssert.Reply(Unsuccessful, await AuthenticationFailure(host, token), hostTag: true);
    }

    [Fact]
    public async Task A_token_from_another_tenant_gives_535_5_7_3()
    {
        await using var host = await SmtpTestHost.StartAsync();
        var token = TestTokens.App(Guid.NewGuid(), host.AppId, host.ServicePrincipalId, new[] { "SMTP.SendAsApp" }, host.Clock.UtcNow);

        SmtpAssert.Reply(Unsuccessful, await AuthenticationFailure(host, token), hostTag: true);
    }

    [Fact]
    public async Task A_token_without_roles_and_without_an_RBAC_assignment_gives_535_5_7_3()
    {
        await using var host = await SmtpTestHost.StartAsync();

        SmtpAssert.Reply(Unsuccessful, await AuthenticationFailure(host, host.AppToken(roles: Array.Empty<string>())), hostTag: true);
    }

    [Theory]
    [InlineData("MemberOfGroup -eq 'CN=SMTP Senders,OU=contoso.onmicrosoft.com,OU=Microsoft Exchange Hosted Organizations,DC=NAMPR01A001,DC=PROD,DC=OUTLOOK,DC=COM'")]
    [InlineData("PrimarySmtpAddress -eq 'alerts@contoso.com'")]
    [InlineData("Name -eq 'alerts'")]
    [InlineData("")]
    public async Task The_RBAC_route_authenticates_a_token_without_roles_for_a_mailbox_in_scope(string filter)
    {
        await using var host = await SmtpTestHost.StartAsync();
        GrantRbac(host, filter);

        await AuthenticatesAsync(host, host.AppToken(roles: Array.Empty<string>()));
    }

    [Fact]
    public async Task The_RBAC_route_refuses_a_mailbox_outside_the_scope()
    {
        await using var host = await SmtpTestHost.StartAsync();
        GrantRbac(host, "PrimarySmtpAddress -eq 'sales@contoso.com'");

        SmtpAssert.Reply(Unsuccessful, await AuthenticationFailure(host, host.AppToken(roles: Array.Empty<string>())), hostTag: true);
    }

    [Fact]
    public async Task A_token_with_SMTP_SendAsApp_and_a_mailbox_only_in_the_RBAC_scope_gives_535_5_7_3()
    {
        await using var host = await SmtpTestHost.StartAsync();
        host.Tenant.MailboxPermissions.Clear();
        GrantRbac(host, "PrimarySmtpAddress -eq 'alerts@contoso.com'");

        SmtpAssert.Reply(Unsuccessful, await AuthenticationFailure(host, host.AppToken()), hostTag: true);
    }

    [Fact]
    public async Task A_delegated_token_authenticates_its_own_mailbox()
    {
        await using var host = await SmtpTestHost.StartAsync();

        await AuthenticatesAsync(host, host.UserToken(), SmtpTestHost.UserAddress);
    }

    [Fact]
    public async Task A_delegated_token_for_a_shared_mailbox_needs_FullAccess_on_it()
    {
        await using var host = await SmtpTestHost.StartAsync();
        host.FindMailbox(SmtpTestHost.SharedMailbox).SmtpClientAuthenticationDisabled = false;

        SmtpAssert.Reply(Unsuccessful, await AuthenticationFailure(host, host.UserToken(), SmtpTestHost.SharedMailbox), hostTag: true);

        var permission = new MailboxPermission { MailboxIdentity = SmtpTestHost.SharedMailbox, User = SmtpTestHost.UserAddress, EffectiveAt = host.Clock.UtcNow };
        permission.AccessRights.Add("FullAccess");
        host.Tenant.MailboxPermissions.Add(permission);
        await AuthenticatesAsync(host, host.UserToken(), SmtpTestHost.SharedMailbox);
    }

    [Fact]
    public async Task A_delegated_token_with_user_naming_another_mailbox_gives_535_5_7_3()
    {
        await using var host = await SmtpTestHost.StartAsync();

        SmtpAssert.Reply(Unsuccessful, await AuthenticationFailure(host, host.UserToken(), SmtpTestHost.Mailbox), hostTag: true);
    }

    [Fact]
    public async Task A_delegated_token_without_SMTP_Send_gives_535_5_7_3()
    {
        await using var host = await SmtpTestHost.StartAsync();

        SmtpAssert.Reply(Unsuccessful, await AuthenticationFailure(host, host.UserToken(scopes: "Mail.Read User.Read"), SmtpTestHost.UserAddress), hostTag: true);
    }

    [Fact]
    public async Task SMTP_AUTH_off_for_the_organisation_with_no_mailbox_value_gives_the_Tenant_text()
    {
        await using var host = await SmtpTestHost.StartAsync();
        host.FindMailbox(SmtpTestHost.Mailbox).SmtpClientAuthenticationDisabled = null;

        SmtpAssert.Reply("535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant. Visit https://aka.ms/smtp_auth_disabled for more information.",
            await AuthenticationFailure(host, host.AppToken()), hostTag: true);
    }

    [Fact]
    public async Task SMTP_AUTH_off_for_the_mailbox_gives_the_Mailbox_text_even_when_the_organisation_allows_it()
    {
        await using var host = await SmtpTestHost.StartAsync();
        host.Tenant.TransportConfig.SmtpClientAuthenticationDisabled = false;
        host.FindMailbox(SmtpTestHost.Mailbox).SmtpClientAuthenticationDisabled = true;

        SmtpAssert.Reply("535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Mailbox. Visit https://aka.ms/smtp_auth_disabled for more information.",
            await AuthenticationFailure(host, host.AppToken()), hostTag: true);
    }

    [Fact]
    public async Task Enabling_SMTP_AUTH_on_the_mailbox_takes_effect_only_after_its_propagation_delay()
    {
        await using var host = await SmtpTestHost.StartAsync();
        var mailbox = host.FindMailbox(SmtpTestHost.Mailbox);
        mailbox.SmtpClientAuthenticationDisabled = null;
        host.Tenant.PropagationDelays[ChangeKind.CasMailbox] = TimeSpan.FromMinutes(60);
        TenantQueries.SetMailboxSmtpClientAuthenticationDisabled(host.Tenant, mailbox, false);

        Assert.Contains("disabled for the Tenant", await AuthenticationFailure(host, host.AppToken()), StringComparison.Ordinal);

        host.Clock.Advance(TimeSpan.FromMinutes(61));
        await AuthenticatesAsync(host, host.AppToken());
    }

    [Fact]
    public async Task Basic_auth_blocked_by_the_authentication_policy_gives_basic_authentication_is_disabled()
    {
        await using var host = await SmtpTestHost.StartAsync();
        host.Tenant.AuthenticationPolicies.Add(new AuthenticationPolicy { Name = "Block Basic Auth", AllowBasicAuthSmtp = false });
        host.Tenant.DefaultAuthenticationPolicy = "Block Basic Auth";

        SmtpAssert.Reply("535 5.7.139 Authentication unsuccessful, basic authentication is disabled.",
            await BasicFailure(host, SmtpTestHost.UserAddress, SmtpTestHost.UserPassword), hostTag: true);
    }

    [Fact]
    public async Task Basic_auth_with_security_defaults_on_gives_the_security_defaults_text()
    {
        await using var host = await SmtpTestHost.StartAsync();
        host.Tenant.Tenant.SecurityDefaultsEnabled = true;

        SmtpAssert.Reply("535 5.7.139 Authentication unsuccessful, user is locked by your organization's security defaults policy. Contact your administrator.",
            await BasicFailure(host, SmtpTestHost.UserAddress, SmtpTestHost.UserPassword), hostTag: true);
    }

    [Fact]
    public async Task Basic_auth_refused_by_conditional_access_gives_the_criteria_text()
    {
        await using var host = await SmtpTestHost.StartAsync();
        host.Tenant.Users.Single().MfaRequired = true;

        SmtpAssert.Reply("535 5.7.139 Authentication unsuccessful, the request did not meet the criteria to be authenticated successfully. Contact your administrator.",
            await BasicFailure(host, SmtpTestHost.UserAddress, SmtpTestHost.UserPassword), hostTag: true);
    }

    [Fact]
    public async Task Basic_auth_with_a_wrong_password_gives_credentials_incorrect()
    {
        await using var host = await SmtpTestHost.StartAsync();

        SmtpAssert.Reply("535 5.7.139 Authentication unsuccessful, the user credentials were incorrect.",
            await BasicFailure(host, SmtpTestHost.UserAddress, "not-the-password"), hostTag: true);
    }

    [Fact]
    public async Task Basic_auth_after_the_retirement_setting_gives_550_5_7_30()
    {
        await using var host = await SmtpTestHost.StartAsync();
        host.Faults.SmtpSettings.BasicAuthRetired = true;

        Assert.Equal("550 5.7.30 Basic authentication is not supported for Client Submission.",
            await BasicFailure(host, SmtpTestHost.UserAddress, SmtpTestHost.UserPassword));
    }

    [Fact]
    public async Task Basic_auth_with_the_right_password_and_nothing_blocking_it_succeeds()
    {
        await using var host = await SmtpTestHost.StartAsync();
        using var client = await host.ConnectAsync();

        await client.AuthenticateAsync(new SaslMechanismLogin(SmtpTestHost.UserAddress, SmtpTestHost.UserPassword));

        Assert.True(client.IsAuthenticated);
        Assert.Equal(1, host.Statistics.SmtpAuthenticationsSucceeded);
    }

    private static void GrantRbac(SmtpTestHost host, string filter)
    {
        const string groupDn = "CN=SMTP Senders,OU=contoso.onmicrosoft.com,OU=Microsoft Exchange Hosted Organizations,DC=NAMPR01A001,DC=PROD,DC=OUTLOOK,DC=COM";
        var group = new DistributionGroup { Name = "SMTP Senders", DistinguishedName = groupDn };
        group.Members.Add(SmtpTestHost.Mailbox);
        host.Tenant.Groups.Add(group);
        string? scopeName = null;
        if (filter.Length > 0)
        {
            scopeName = "RBAC Scope";
            host.Tenant.ManagementScopes.Add(new ManagementScope { Name = scopeName, RecipientRestrictionFilter = filter });
        }

        host.Tenant.ManagementRoleAssignments.Add(new ManagementRoleAssignment
        {
            Name = "SMTP for the mailer",
            Role = "Application SMTP.SendAsApp",
            App = host.ServicePrincipalId.ToString(),
            CustomResourceScope = scopeName,
            EffectiveAt = host.Clock.UtcNow,
        });
    }
}
