using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using OAuthSmtp.Engine.Errors;
using OAuthSmtp.Engine.Profiles;
using OAuthSmtp.Engine.Setup;
using OAuthSmtp.Engine.Setup.Entra;
using OAuthSmtp.Engine.Setup.Probes;
using OAuthSmtp.Engine.Setup.Provisioning;
using OAuthSmtp.Engine.Tests.Setup.Provisioning;
using Xunit;

namespace OAuthSmtp.Engine.Tests.Setup;

/// <summary>
/// The Entra half of -Fix (issue 17), decided in the engine: with the admin's Graph session the checks plan the Graph
/// calls (consent, the SMTP.SendAsApp permission where only Graph Mail.Send is there, the enterprise application) or
/// the secret rotation; without a session, or without a scope or role, they plan nothing and say exactly what is missing.
/// </summary>
public sealed class EntraFixTests
{
    private const string MailSendRoleId = "6a0d8b8e-0000-4000-8000-00000000b001";

    private readonly FakeTenant _tenant = FakeTenant.Ready();
    private readonly FakeGraphDirectory _graph = new();
    private readonly List<string> _asked = new();
    private readonly List<string> _information = new();
    private readonly List<string> _warnings = new();
    private readonly List<OAuthSmtpException> _errors = new();

    public EntraFixTests()
    {
        _graph.ServicePrincipals[1]["appRoles"] = new JsonArray(new JsonObject { ["id"] = MailSendRoleId, ["value"] = "Mail.Send" });
        _graph.Applications.Add(new JsonObject
        {
            ["id"] = FakeTenant.AppObjectId,
            ["appId"] = FakeTenant.ClientId,
            ["displayName"] = "Mailer",
            ["passwordCredentials"] = new JsonArray(),
            ["keyCredentials"] = new JsonArray(),
            ["requiredResourceAccess"] = new JsonArray(Access(ExchangeOnlineResource.AppId, FakeGraphDirectory.SendAsAppRoleId)),
        });
        _graph.ServicePrincipals.Add(new JsonObject { ["id"] = FakeTenant.EnterpriseObjectId, ["appId"] = FakeTenant.ClientId, ["displayName"] = "Mailer" });

        // The token carries SMTP.SendAsApp exactly when the directory holds the consent, and Entra ID knows the app while its enterprise application exists.
        _tenant.ConsentedNow = () => _graph.AppRoleAssignments.Any(a => (string?)a["principalId"] == FakeTenant.EnterpriseObjectId && (string?)a["appRoleId"] == FakeGraphDirectory.SendAsAppRoleId);
        _tenant.TokenErrorNow = () => _graph.ServicePrincipals.Any(s => (string?)s["appId"] == FakeTenant.ClientId) ? null : ErrorIds.TokenApplicationNotFound;
    }

    private static JsonObject Access(string resourceAppId, string roleId) =>
        new() { ["resourceAppId"] = resourceAppId, ["resourceAccess"] = new JsonArray(new JsonObject { ["id"] = roleId, ["type"] = "Role" }) };

    private SetupServices Services(bool graphConnected = true)
    {
        var services = _tenant.Services();
        services.GraphAdmin = graphConnected ? _graph : null;
        services.GraphAdminUnavailableReason = graphConnected ? null : "Connect-MgGraph has not run in this session";
        return services;
    }

    private SetupReport Check(bool graphConnected = true) => new SetupDoctor(Services(graphConnected)).Run(new SetupRequest(_tenant.Profile()));

    private SetupReport Fix(Func<SetupFixAction, SetupFixConsent>? answer = null, SetupServices? services = null) =>
        new SetupWorkflow(services ?? Services(), new SetupHost
        {
            ShouldProcess = action =>
            {
                _asked.Add(action.CommandText);
                return (answer ?? (_ => SetupFixConsent.Approved))(action);
            },
            Information = _information.Add,
            Warning = _warnings.Add,
            Error = (error, _) => _errors.Add(error),
        }).Run(new SetupRequest(_tenant.Profile()), new SetupWorkflowOptions { Fix = true });

    private static SetupCheckResult Step(SetupReport report, SetupStep step) => report.Results.First(r => r.Step == step);

    [Fact]
    public void Missing_consent_is_planned_as_the_appRoleAssignedTo_call_and_fix_grants_it()
    {
        var report = Check();

        var permissions = Step(report, SetupStep.TokenPermissions);
        Assert.Equal(ErrorIds.SetupConsentMissing, permissions.ReasonId);
        var consent = Assert.Single(permissions.FixActions);
        Assert.Equal(SetupFixKind.GrantAdminConsent, consent.Kind);
        Assert.True(consent.ChangesEntra);
        Assert.Equal($"POST /v1.0/servicePrincipals/{FakeGraphDirectory.ExchangeSpId}/appRoleAssignedTo", consent.GraphCall);
        Assert.StartsWith($"Invoke-MgGraphRequest -Method POST -Uri 'v1.0/servicePrincipals/{FakeGraphDirectory.ExchangeSpId}/appRoleAssignedTo' -Body '{{", consent.CommandText, StringComparison.Ordinal);
        Assert.Contains(FakeTenant.EnterpriseObjectId, consent.CommandText);
        Assert.StartsWith(consent.CommandText, permissions.Fix, StringComparison.Ordinal);
        Assert.Empty(_graph.Changes);

        var after = Fix();

        Assert.True(after.Succeeded, string.Join(Environment.NewLine, after.Results));
        var write = Assert.Single(_graph.Changes);
        Assert.Equal($"POST /v1.0/servicePrincipals/{FakeGraphDirectory.ExchangeSpId}/appRoleAssignedTo", write.ToString());
        Assert.Contains(_information, i => i.StartsWith("Ran: Invoke-MgGraphRequest", StringComparison.Ordinal));
        Assert.Empty(_errors);
    }

    [Fact]
    public void Graph_mail_send_without_smtp_is_named_and_fixed_by_adding_smtp_sendasapp_then_consenting()
    {
        var app = _graph.App(FakeTenant.ClientId);
        app["requiredResourceAccess"] = new JsonArray(Access(HttpGraphAdmin.GraphAppId, MailSendRoleId));
        _graph.AppRoleAssignments.Add(new JsonObject { ["id"] = "grant-1", ["principalId"] = FakeTenant.EnterpriseObjectId, ["resourceId"] = FakeGraphDirectory.GraphSpId, ["appRoleId"] = MailSendRoleId });

        var permissions = Step(Check(), SetupStep.TokenPermissions);

        Assert.Equal(ErrorIds.SetupGraphMailSendOnly, permissions.ReasonId);
        Assert.Contains("Mail.Send", permissions.Detail);
        Assert.Contains("not for SMTP", permissions.Cause);
        Assert.Equal(new[] { SetupFixKind.AddSmtpPermission, SetupFixKind.GrantAdminConsent }, permissions.FixActions.Select(a => a.Kind));
        Assert.Equal($"PATCH /v1.0/applications/{FakeTenant.AppObjectId}", permissions.FixActions[0].GraphCall);
        Assert.Contains("Mail.Send stays", permissions.FixActions[0].Action);

        var after = Fix();

        Assert.True(after.Succeeded, string.Join(Environment.NewLine, after.Results));
        var access = app["requiredResourceAccess"]!.ToJsonString();
        Assert.Contains(MailSendRoleId, access);
        Assert.Contains(FakeGraphDirectory.SendAsAppRoleId, access);
        Assert.Equal(new[] { "PATCH", "POST" }, _graph.Changes.Select(c => c.Method));
    }

    [Fact]
    public void Declining_the_permission_skips_the_consent_that_needs_it()
    {
        _graph.App(FakeTenant.ClientId)["requiredResourceAccess"] = new JsonArray(Access(HttpGraphAdmin.GraphAppId, MailSendRoleId));

        Fix(action => action.Kind == SetupFixKind.AddSmtpPermission ? SetupFixConsent.Declined : SetupFixConsent.Approved);

        Assert.Single(_asked);
        Assert.Empty(_graph.Changes);
        Assert.Contains(_information, i => i.StartsWith("Not run: Invoke-MgGraphRequest -Method POST", StringComparison.Ordinal));
    }

    [Fact]
    public void WhatIf_lists_the_graph_calls_and_changes_nothing()
    {
        _graph.App(FakeTenant.ClientId)["requiredResourceAccess"] = new JsonArray(Access(HttpGraphAdmin.GraphAppId, MailSendRoleId));

        var report = Fix(_ => SetupFixConsent.WhatIf);

        Assert.Equal(2, _asked.Count);
        Assert.All(_asked, a => Assert.StartsWith("Invoke-MgGraphRequest", a, StringComparison.Ordinal));
        Assert.Empty(_graph.Changes);
        Assert.False(report.Succeeded);
    }

    [Fact]
    public void Without_a_graph_session_nothing_is_planned_and_the_fix_names_connect_mggraph()
    {
        var permissions = Step(Check(graphConnected: false), SetupStep.TokenPermissions);

        Assert.Empty(permissions.FixActions);
        Assert.Contains("Connect-MgGraph -Scopes Application.ReadWrite.All,AppRoleAssignment.ReadWrite.All,User.Read", permissions.Fix);
        Assert.Contains("Connect-MgGraph has not run", permissions.Fix);
        Assert.Contains("adminconsent?client_id=", permissions.Fix);
        Assert.Empty(_graph.Calls);

        Fix(services: Services(graphConnected: false));
        Assert.Contains(_warnings, w => w.Contains("TokenPermissions", StringComparison.Ordinal) && w.Contains("Microsoft Graph session", StringComparison.Ordinal));
    }

    [Fact]
    public void An_admin_without_a_consenting_role_gets_the_roles_named_and_nothing_changes()
    {
        _graph.Session = new GraphAdminSession(CommandGraphAdmin.SourceName, "helpdesk@contoso.com", FakeTenant.TenantId, false, new[] { "Application.ReadWrite.All", "AppRoleAssignment.ReadWrite.All" }, Array.Empty<string>());

        var permissions = Step(Check(), SetupStep.TokenPermissions);
        Fix();

        Assert.Empty(permissions.FixActions);
        Assert.Contains("helpdesk@contoso.com holds none of the directory roles that may do it: Cloud Application Administrator, Application Administrator, Privileged Role Administrator or Global Administrator", permissions.Fix);
        Assert.Empty(_graph.Changes);
        Assert.Empty(_asked);
    }

    [Fact]
    public void A_session_without_the_scope_gets_the_scope_named()
    {
        _graph.Session = new GraphAdminSession(CommandGraphAdmin.SourceName, "admin@contoso.com", FakeTenant.TenantId, false, new[] { "Application.Read.All", "User.Read" }, new[] { DirectoryRoles.GlobalAdministrator });

        var permissions = Step(Check(), SetupStep.TokenPermissions);

        Assert.Empty(permissions.FixActions);
        Assert.Contains("lacks the scope AppRoleAssignment.ReadWrite.All", permissions.Fix);
        Assert.DoesNotContain(_graph.Calls, c => c.Changes);
    }

    [Fact]
    public void A_missing_enterprise_application_is_created_and_consented_in_the_next_round()
    {
        _graph.ServicePrincipals.RemoveAll(s => (string?)s["appId"] == FakeTenant.ClientId);

        var token = Step(Check(), SetupStep.Token);

        Assert.Equal(ErrorIds.TokenApplicationNotFound, token.ReasonId);
        var create = Assert.Single(token.FixActions);
        Assert.Equal(SetupFixKind.NewEnterpriseApplication, create.Kind);
        Assert.Equal("POST /v1.0/servicePrincipals", create.GraphCall);
        Assert.Contains("has no enterprise application", token.Fix);

        // The fake directory gives the new enterprise application a new object id; the fake token keeps the old one,
        // so this test stops at what Entra needs: creation, then consent for the new principal in the next round.
        Fix();

        Assert.Equal(new[] { "POST /v1.0/servicePrincipals" }, _graph.Changes.Take(1).Select(c => c.ToString()));
        Assert.Contains(_graph.ServicePrincipals, s => (string?)s["appId"] == FakeTenant.ClientId);
    }

    [Fact]
    public void With_Wait_a_new_enterprise_application_is_waited_for_and_the_next_round_grants_consent()
    {
        _graph.ServicePrincipals.RemoveAll(s => (string?)s["appId"] == FakeTenant.ClientId);
        var notReplicatedFor = 2;
        _tenant.TokenErrorNow = () => !_graph.ServicePrincipals.Any(s => (string?)s["appId"] == FakeTenant.ClientId) || notReplicatedFor-- > 0
            ? ErrorIds.TokenApplicationNotFound
            : null;
        var workflow = new SetupWorkflow(Services(), new SetupHost { Information = _information.Add, Error = (error, _) => _errors.Add(error) }) { Sleep = (_, _) => { } };

        var report = workflow.Run(new SetupRequest(_tenant.Profile()), new SetupWorkflowOptions { Fix = true, Wait = true, Timeout = TimeSpan.FromMinutes(1) });

        Assert.True(report.Succeeded, string.Join(Environment.NewLine, report.Results));
        Assert.Equal(
            new[] { "POST /v1.0/servicePrincipals", $"POST /v1.0/servicePrincipals/{FakeGraphDirectory.ExchangeSpId}/appRoleAssignedTo" },
            _graph.Changes.Select(c => c.ToString()));
        Assert.Empty(_errors);
    }

    [Fact]
    public void An_enterprise_application_that_exists_but_is_not_replicated_is_pending_not_created_again()
    {
        _tenant.TokenErrorNow = () => ErrorIds.TokenApplicationNotFound;

        var token = Step(Check(), SetupStep.Token);

        Assert.True(token.IsPending);
        Assert.Empty(token.FixActions);
        Assert.Contains("not replicated", token.Fix);
    }

    [Fact]
    public void An_app_the_admins_tenant_does_not_have_is_named_and_nothing_is_planned()
    {
        _graph.Applications.Clear();
        _graph.ServicePrincipals.RemoveAll(s => (string?)s["appId"] == FakeTenant.ClientId);

        var token = Step(Check(), SetupStep.Token);

        Assert.Empty(token.FixActions);
        Assert.Contains("has no app registration with the client id " + FakeTenant.ClientId, token.Fix);
    }

    [Fact]
    public void An_expired_secret_is_rotated_through_the_rotation_and_the_next_check_uses_the_new_profile()
    {
        _tenant.TokenErrorNow = null;
        _tenant.TokenErrorId = ErrorIds.TokenClientSecretExpired;
        var reloaded = 0;
        var services = Services();
        services.SecretRotation = new SetupSecretRotation(
            _ => throw new InvalidOperationException("the engine test stops before the CredentialRotator"),
            "abc",
            name =>
            {
                reloaded++;
                _tenant.TokenErrorId = null;
                return (_tenant.Profile(), _tenant);
            });

        var token = Step(new SetupDoctor(services).Run(new SetupRequest(_tenant.Profile())), SetupStep.Token);

        var rotate = Assert.Single(token.FixActions);
        Assert.Equal(SetupFixKind.RotateClientSecret, rotate.Kind);
        Assert.Equal("Update-SmtpOAuthCredential -Profile Mail", rotate.CommandText);
        Assert.Contains("expired one stays in the app", token.Fix);

        // The rotation itself is CredentialRotator's (its own tests); here the runner hands it the admin's Graph session.
        IGraphAdmin? rotatedWith = null;
        var outcomes = SetupFixRunner.Apply(token.FixActions, new SetupFixSessions(_tenant, _graph, graph => rotatedWith = graph), _ => true);
        Assert.True(Assert.Single(outcomes).Applied);
        Assert.Same(_graph, rotatedWith);
        Assert.Equal(0, reloaded);
    }

    [Fact]
    public void An_expired_secret_without_a_graph_session_names_connect_mggraph()
    {
        _tenant.TokenErrorNow = null;
        _tenant.TokenErrorId = ErrorIds.TokenClientSecretExpired;
        var services = Services(graphConnected: false);
        services.SecretRotation = new SetupSecretRotation(_ => throw new InvalidOperationException(), "abc", _ => throw new InvalidOperationException());

        var token = Step(new SetupDoctor(services).Run(new SetupRequest(_tenant.Profile())), SetupStep.Token);

        Assert.Empty(token.FixActions);
        Assert.Contains("Connect-MgGraph -Scopes Application.ReadWrite.All,User.Read", token.Fix);
        Assert.Contains("Fix for TokenClientSecretExpired", token.Fix);
    }

    [Fact]
    public void A_tenant_that_is_right_reads_nothing_from_graph()
    {
        _tenant.ConsentedNow = null;

        var report = Check();

        Assert.True(report.Succeeded);
        Assert.Empty(_graph.Calls);
    }
}
