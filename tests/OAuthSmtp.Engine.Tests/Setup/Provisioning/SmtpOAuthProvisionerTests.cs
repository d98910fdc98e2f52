using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using OAuthSmtp.Engine.Errors;
using OAuthSmtp.Engine.Profiles;
using OAuthSmtp.Engine.Setup;
using OAuthSmtp.Engine.Setup.Entra;
using OAuthSmtp.Engine.Setup.Exchange;
using OAuthSmtp.Engine.Setup.Provisioning;
using Xunit;

namespace OAuthSmtp.Engine.Tests.Setup.Provisioning;

/// <summary>
/// Initialize-SmtpOAuthSetup's engine (issue 17): from an empty tenant to a saved profile, a second run that changes
/// nothing, -WhatIf that lists and changes nothing, one error before any change when a role is missing, and a failure
/// midway that names done / not done and is continued by a re-run.
/// </summary>
public sealed class SmtpOAuthProvisionerTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("oauthsmtp-provision-").FullName;
    private readonly FakeGraphDirectory _graph = new();
    private readonly FakeTenant _exchange = FakeTenant.Fresh();
    private readonly List<string> _information = new();
    private readonly List<string> _warnings = new();

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private ProvisioningRequest Request(Action<ProvisioningRequest>? change = null)
    {
        var request = new ProvisioningRequest
        {
            Mailbox = FakeTenant.Mailbox,
            ProfileName = "Scanner",
            DisplayName = "Scanner SMTP",
            AllowUnprotectedSecret = true,
            From = new[] { FakeTenant.Shared },
            CertificateDirectory = Path.Combine(_folder, "certificates"),
            UseCertificateStore = false,
        };
        change?.Invoke(request);
        return request;
    }

    private ProvisioningRun Run(ProvisioningRequest request, Func<ProvisioningChange, SetupFixConsent>? consent = null, IExchangeAdmin? exchange = null)
    {
        var services = new ProvisioningServices(new ProfileStore(Path.Combine(_folder, "store")))
        {
            Graph = _graph,
            Exchange = exchange ?? _exchange,
            ExchangeHasCommand = _ => true,
            CanProtectSecrets = false,
            UtcNow = () => new DateTimeOffset(2026, 12, 3, 22, 0, 0, TimeSpan.Zero),
        };
        var host = new ProvisioningHost
        {
            ShouldProcess = consent ?? (_ => SetupFixConsent.Approved),
            Information = _information.Add,
            Warning = _warnings.Add,
        };
        return new SmtpOAuthProvisioner(services, host).Run(request);
    }

    [Fact]
    public void An_empty_tenant_gets_the_app_consent_secret_Exchange_grants_and_a_profile_and_a_second_run_changes_nothing()
    {
        var first = Run(Request());

        Assert.All(first.Results.Where(r => r.Step != ProvisioningStepNames.Application || true), r => Assert.NotEqual(ProvisioningStepStatus.Failed, r.Status));
        Assert.Equal(
            new[] { "Application", "Permission", "EnterpriseApplication", "AdminConsent", "Credential", "ExchangeServicePrincipal", "MailboxAccess", "SmtpAuth", "SendAs", "Profile" },
            first.Results.Where(r => r.Status == ProvisioningStepStatus.Changed).Select(r => r.Step));
        var app = _graph.App(first.AppId!);
        Assert.Contains(FakeGraphDirectory.SendAsAppRoleId, app["requiredResourceAccess"]!.ToJsonString(), StringComparison.Ordinal);
        var sp = _graph.ServicePrincipals.Single(s => (string?)s["appId"] == first.AppId);
        Assert.Equal((string?)sp["id"], first.ServicePrincipalId);
        Assert.Single(_graph.AppRoleAssignments, a => (string?)a["principalId"] == first.ServicePrincipalId && (string?)a["appRoleId"] == FakeGraphDirectory.SendAsAppRoleId);

        // Exchange: the ENTERPRISE app's object id, FullAccess, SMTP AUTH for the mailbox only, Send As for the mailbox.
        Assert.Contains($"New-ServicePrincipal {first.AppId} {first.ServicePrincipalId}", _exchange.Commands);
        Assert.Contains($"Add-MailboxPermission {FakeTenant.Mailbox} {first.ServicePrincipalId}", _exchange.Commands);
        Assert.Contains($"Set-CASMailbox {FakeTenant.Mailbox} False", _exchange.Commands);
        Assert.Contains($"Add-RecipientPermission {FakeTenant.Shared} {FakeTenant.Mailbox}", _exchange.Commands);
        Assert.DoesNotContain(_exchange.Commands, c => c.StartsWith("Set-TransportConfig", StringComparison.Ordinal));

        var profile = first.Profile!;
        Assert.Equal(CredentialKind.ClientSecret, profile.CredentialKind);
        Assert.Equal(Guid.Parse(first.AppId!), profile.ClientId);
        Assert.Equal(FakeTenant.TenantId, profile.TenantId);
        var card = SmtpOAuthProvisioner.Card(first, includeSecret: false);
        Assert.Equal(first.ServicePrincipalId, card.EnterpriseAppObjectId);
        Assert.Equal($"https://login.microsoftonline.com/{FakeTenant.TenantId}/oauth2/v2.0/token", card.TokenEndpoint);
        Assert.Equal("https://outlook.office365.com/.default", card.Scope);
        Assert.Equal("STARTTLS", card.Encryption);
        Assert.Null(card.ClientSecret);
        Assert.NotNull(card.SecretId);
        Assert.NotNull(SmtpOAuthProvisioner.Card(first, includeSecret: true).ClientSecret);

        var changesBefore = _graph.Changes.Count();
        var commandsBefore = _exchange.Commands.Count;
        var second = Run(Request());

        Assert.Equal(changesBefore, _graph.Changes.Count());
        Assert.Equal(commandsBefore, _exchange.Commands.Count);
        Assert.DoesNotContain(second.Results, r => r.Status == ProvisioningStepStatus.Changed);
        Assert.Equal(0, SmtpOAuthProvisioner.Card(second, false).Changes);
        Assert.Contains(_information, i => i.StartsWith("Nothing to change", StringComparison.Ordinal));
        Assert.Equal(first.AppId, second.AppId);
    }

    [Fact]
    public void WhatIf_lists_every_Graph_call_and_Exchange_command_and_changes_nothing()
    {
        var run = Run(Request(), _ => SetupFixConsent.WhatIf);

        Assert.Empty(_graph.Changes);
        Assert.Empty(_exchange.Commands);
        Assert.False(Directory.Exists(Path.Combine(_folder, "store")) && File.Exists(Path.Combine(_folder, "store", ProfileStore.FileName)));
        var calls = run.Results.SelectMany(r => r.Calls).ToList();
        Assert.Contains("POST /v1.0/applications", calls);
        Assert.Contains(calls, c => c.StartsWith("PATCH /v1.0/applications/", StringComparison.Ordinal));
        Assert.Contains("POST /v1.0/servicePrincipals", calls);
        Assert.Contains(calls, c => c.StartsWith($"POST /v1.0/servicePrincipals/{FakeGraphDirectory.ExchangeSpId}/appRoleAssignedTo", StringComparison.Ordinal));
        Assert.Contains(calls, c => c.EndsWith("/addPassword", StringComparison.Ordinal));
        Assert.Contains(calls, c => c.StartsWith("New-ServicePrincipal -AppId", StringComparison.Ordinal));
        Assert.Contains(calls, c => c.StartsWith("Add-MailboxPermission", StringComparison.Ordinal));
        Assert.Contains(calls, c => c.StartsWith("Set-CASMailbox", StringComparison.Ordinal));
        Assert.Contains(calls, c => c.StartsWith("Add-RecipientPermission", StringComparison.Ordinal));
        Assert.All(run.Results.Where(r => r.Status != ProvisioningStepStatus.Skipped), r => Assert.Equal(ProvisioningStepStatus.WouldChange, r.Status));
    }

    [Fact]
    public void An_admin_without_a_consent_role_gets_one_error_naming_the_roles_before_any_change()
    {
        _graph.Session = new GraphAdminSession(CommandGraphAdmin.SourceName, "helpdesk@contoso.com", FakeTenant.TenantId, false, new[] { "Application.ReadWrite.All" }, Array.Empty<string>());

        var error = Assert.Throws<OAuthSmtpException>(() => Run(Request()));

        Assert.Equal(ErrorIds.ProvisioningPermissionsMissing, error.ErrorId);
        Assert.Contains("Cloud Application Administrator", error.Message, StringComparison.Ordinal);
        Assert.Contains("AppRoleAssignment.ReadWrite.All", error.Message, StringComparison.Ordinal);
        Assert.Contains("Connect-MgGraph -Scopes Application.ReadWrite.All,AppRoleAssignment.ReadWrite.All", error.Fix, StringComparison.Ordinal);
        Assert.Empty(_graph.Calls);
        Assert.Empty(_exchange.Commands);
    }

    [Fact]
    public void Without_sessions_everything_missing_is_named_at_once()
    {
        var services = new ProvisioningServices(new ProfileStore(Path.Combine(_folder, "store"))) { GraphUnavailableReason = "Connect-MgGraph has not run", ExchangeUnavailableReason = "not connected", CanProtectSecrets = false };
        var error = Assert.Throws<OAuthSmtpException>(() => new SmtpOAuthProvisioner(services, new ProvisioningHost()).Run(Request(r => r.AllowUnprotectedSecret = false)));
        Assert.Equal(ErrorIds.ProvisioningPermissionsMissing, error.ErrorId);
        Assert.Contains("a Microsoft Graph session (Connect-MgGraph has not run)", error.Message, StringComparison.Ordinal);
        Assert.Contains("an Exchange Online session", error.Message, StringComparison.Ordinal);
        Assert.Contains("client secret", error.Message, StringComparison.Ordinal);
        Assert.Contains("-AllowUnprotectedSecret", error.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void A_failure_midway_names_done_and_not_done_and_a_rerun_continues()
    {
        var failing = new FailingExchange(_exchange, "New-ServicePrincipal");
        var error = Assert.Throws<OAuthSmtpException>(() => Run(Request(), exchange: failing));

        Assert.Equal(ErrorIds.ProvisioningStepFailed, error.ErrorId);
        Assert.Contains("Step ExchangeServicePrincipal failed", error.Message, StringComparison.Ordinal);
        Assert.Contains("Done: Application, Permission, EnterpriseApplication, AdminConsent, Credential.", error.Message, StringComparison.Ordinal);
        Assert.Contains("Not done: ExchangeServicePrincipal, MailboxAccess, SmtpAuth, SendAs, Profile.", error.Message, StringComparison.Ordinal);
        Assert.Contains("run the same Initialize-SmtpOAuthSetup command again", error.Fix, StringComparison.Ordinal);

        var apps = _graph.Applications.Count;
        var rerun = Run(Request());
        Assert.Equal(apps, _graph.Applications.Count);
        Assert.Equal(ProvisioningStepStatus.Unchanged, rerun.Results.Single(r => r.Step == ProvisioningStepNames.Application).Status);
        Assert.Equal(ProvisioningStepStatus.Changed, rerun.Results.Single(r => r.Step == ProvisioningStepNames.ExchangeServicePrincipal).Status);
        Assert.Equal(ProvisioningStepStatus.Changed, rerun.Results.Single(r => r.Step == ProvisioningStepNames.Profile).Status);
    }

    [Fact]
    public void A_Graph_refusal_midway_keeps_Graphs_text()
    {
        _graph.RefuseNext = "POST /v1.0/servicePrincipals/" + FakeGraphDirectory.ExchangeSpId;
        var error = Assert.Throws<OAuthSmtpException>(() => Run(Request()));
        Assert.Equal(ErrorIds.ProvisioningStepFailed, error.ErrorId);
        Assert.Contains("Step AdminConsent failed", error.Message, StringComparison.Ordinal);
        Assert.Contains("Authorization_RequestDenied", error.Message, StringComparison.Ordinal);
        Assert.Equal(ErrorKind.PermissionDenied, error.Kind);
    }

    [Fact]
    public void The_RBAC_route_requests_no_API_permission_and_scopes_the_role_to_the_mailbox()
    {
        var run = Run(Request(r => r.Route = SmtpAccessRoute.Rbac));

        Assert.Equal(ProvisioningStepStatus.Skipped, run.Results.Single(r => r.Step == ProvisioningStepNames.Permission).Status);
        Assert.Equal(ProvisioningStepStatus.Skipped, run.Results.Single(r => r.Step == ProvisioningStepNames.AdminConsent).Status);
        Assert.Empty(_graph.AppRoleAssignments);
        Assert.Equal("[]", _graph.App(run.AppId!)["requiredResourceAccess"]!.ToJsonString());
        Assert.Contains($"New-ManagementScope SMTP OAuth {FakeTenant.Mailbox}", _exchange.Commands);
        Assert.Contains(_exchange.Commands, c => c.StartsWith("New-ManagementRoleAssignment", StringComparison.Ordinal) && c.Contains(run.ServicePrincipalId!, StringComparison.Ordinal));
        Assert.DoesNotContain(_exchange.Commands, c => c.StartsWith("Add-MailboxPermission", StringComparison.Ordinal));

        var again = Run(Request(r => r.Route = SmtpAccessRoute.Rbac));
        Assert.DoesNotContain(again.Results, r => r.Status == ProvisioningStepStatus.Changed);
    }

    [Fact]
    public void A_certificate_is_made_its_public_key_uploaded_and_its_pfx_kept_owner_only()
    {
        var run = Run(Request(r => r.CredentialType = ProvisioningCredentialType.Certificate));

        var keys = _graph.App(run.AppId!)["keyCredentials"]!.AsArray();
        var key = Assert.Single(keys)!;
        Assert.Equal("AsymmetricX509Cert", (string?)key["type"]);
        Assert.Equal(run.CertificateThumbprint, BitConverter.ToString(Convert.FromBase64String((string)key["customKeyIdentifier"]!)).Replace("-", string.Empty, StringComparison.Ordinal));
        Assert.True(File.Exists(run.CertificatePath));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(run.CertificatePath!));
        }

        Assert.Equal(CredentialKind.CertificateFile, run.Profile!.CredentialKind);
        Assert.DoesNotContain(_graph.Calls, c => c.Path.EndsWith("addPassword", StringComparison.Ordinal));

        var again = Run(Request(r => r.CredentialType = ProvisioningCredentialType.Certificate));
        Assert.Equal(ProvisioningStepStatus.Unchanged, again.Results.Single(r => r.Step == ProvisioningStepNames.Credential).Status);
        Assert.DoesNotContain(again.Results, r => r.Status == ProvisioningStepStatus.Changed);
    }

    [Fact]
    public void A_managed_identity_gets_the_role_and_no_app_or_credential()
    {
        _graph.ServicePrincipals.Add(new System.Text.Json.Nodes.JsonObject { ["id"] = "0b0b0b0b-0000-0000-0000-000000000001", ["appId"] = "0a0a0a0a-0000-0000-0000-000000000001", ["displayName"] = "vm-reports", ["servicePrincipalType"] = "ManagedIdentity" });
        var run = Run(Request(r => { r.CredentialType = ProvisioningCredentialType.ManagedIdentity; r.ManagedIdentityId = "0a0a0a0a-0000-0000-0000-000000000001"; }));

        Assert.Empty(_graph.Applications);
        Assert.Single(_graph.AppRoleAssignments, a => (string?)a["principalId"] == "0b0b0b0b-0000-0000-0000-000000000001");
        Assert.Contains("New-ServicePrincipal 0a0a0a0a-0000-0000-0000-000000000001 0b0b0b0b-0000-0000-0000-000000000001", _exchange.Commands);
        Assert.Equal(CredentialKind.UserManagedIdentity, run.Profile!.CredentialKind);
        Assert.Equal(ProvisioningStepStatus.Skipped, run.Results.Single(r => r.Step == ProvisioningStepNames.Credential).Status);
    }

    [Fact]
    public void A_delegated_app_gets_redirect_uris_SMTP_Send_offline_access_and_consent_for_all_users()
    {
        var run = Run(Request(r => { r.Delegated = true; r.RedirectUris = new[] { "https://crm.contoso.com/App%20E-Mailkonto/continue_oauth" }; r.From = Array.Empty<string>(); }));

        var app = _graph.App(run.AppId!);
        Assert.Contains("continue_oauth", app["web"]!.ToJsonString(), StringComparison.Ordinal);
        Assert.Contains(FakeGraphDirectory.SendScopeId, app["requiredResourceAccess"]!.ToJsonString(), StringComparison.Ordinal);
        Assert.Contains(_graph.PermissionGrants, g => (string?)g["resourceId"] == FakeGraphDirectory.ExchangeSpId && (string?)g["scope"] == "SMTP.Send" && (string?)g["consentType"] == "AllPrincipals");
        Assert.Contains(_graph.PermissionGrants, g => (string?)g["resourceId"] == FakeGraphDirectory.GraphSpId && (string?)g["scope"] == "offline_access");
        Assert.DoesNotContain(_exchange.Commands, c => c.StartsWith("New-ServicePrincipal", StringComparison.Ordinal));
        Assert.Equal(CredentialKind.DeviceCode, run.Profile!.CredentialKind);

        var again = Run(Request(r => { r.Delegated = true; r.RedirectUris = new[] { "https://crm.contoso.com/App%20E-Mailkonto/continue_oauth" }; r.From = Array.Empty<string>(); }));
        Assert.DoesNotContain(again.Results, r => r.Status == ProvisioningStepStatus.Changed);
    }

    [Fact]
    public void Declining_one_change_stops_there_and_says_what_was_not_done()
    {
        var run = Run(Request(), change => change.Step == ProvisioningStepNames.AdminConsent ? SetupFixConsent.Declined : SetupFixConsent.Approved);

        Assert.Equal(ProvisioningStepNames.AdminConsent, run.DeclinedStep);
        Assert.Empty(_exchange.Commands);
        Assert.Contains(_warnings, w => w.Contains("You declined AdminConsent", StringComparison.Ordinal) && w.Contains("Profile", StringComparison.Ordinal));
    }

    /// <summary>The fake tenant's Exchange, with one command failing as Exchange would refuse it.</summary>
    private sealed class FailingExchange : IExchangeAdmin
    {
        private readonly IExchangeAdmin _inner;
        private readonly string _failing;

        public FailingExchange(IExchangeAdmin inner, string failing)
        {
            _inner = inner;
            _failing = failing;
        }

        public IReadOnlyList<ExchangeServicePrincipalRecord> GetServicePrincipals() => _inner.GetServicePrincipals();

        public ExchangeMailboxRecord? GetMailbox(string identity) => _inner.GetMailbox(identity);

        public IReadOnlyList<MailboxPermissionRecord> GetMailboxPermissions(string mailbox) => _inner.GetMailboxPermissions(mailbox);

        public IReadOnlyList<RecipientPermissionRecord> GetRecipientPermissions(string identity) => _inner.GetRecipientPermissions(identity);

        public bool? GetMailboxSmtpClientAuthenticationDisabled(string mailbox) => _inner.GetMailboxSmtpClientAuthenticationDisabled(mailbox);

        public bool GetOrganizationSmtpClientAuthenticationDisabled() => _inner.GetOrganizationSmtpClientAuthenticationDisabled();

        public IReadOnlyList<ServicePrincipalAuthorizationRecord>? TestServicePrincipalAuthorization(string servicePrincipal, string mailbox) => _inner.TestServicePrincipalAuthorization(servicePrincipal, mailbox);

        public void NewServicePrincipal(string appId, string objectId, string displayName)
        {
            Fail("New-ServicePrincipal");
            _inner.NewServicePrincipal(appId, objectId, displayName);
        }

        public void RemoveServicePrincipal(string identity) => _inner.RemoveServicePrincipal(identity);

        public void AddMailboxPermission(string mailbox, string user) => _inner.AddMailboxPermission(mailbox, user);

        public void SetMailboxSmtpClientAuthenticationDisabled(string mailbox, bool disabled) => _inner.SetMailboxSmtpClientAuthenticationDisabled(mailbox, disabled);

        public void AddRecipientPermission(string identity, string trustee) => _inner.AddRecipientPermission(identity, trustee);

        public void NewManagementScope(string name, string recipientRestrictionFilter) => _inner.NewManagementScope(name, recipientRestrictionFilter);

        public void NewManagementRoleAssignment(string name, string role, string app, string customResourceScope) => _inner.NewManagementRoleAssignment(name, role, app, customResourceScope);

        private void Fail(string command)
        {
            if (command == _failing)
            {
                throw new ExchangeAdminException(command, "The term 'New-ServicePrincipal' is not recognized as a name of a cmdlet.");
            }
        }
    }
}
