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
/// Test-SmtpOAuthSetup -Fix repairs the Entra half (issue 17) through the administrator's (look-alike)
/// Connect-MgGraph session: for each of missing consent, Graph Mail.Send instead of SMTP.SendAsApp, a missing
/// enterprise application and an expired secret, the doctor shows the failure, -Fix -Wait repairs it, the re-test
/// passes and a test message is delivered. -WhatIf changes nothing; without a Graph session the Fix names
/// Connect-MgGraph; an admin without the role gets it named and nothing changes; no secret reaches any stream.
/// </summary>
public sealed class EntraFixSetupTests : IClassFixture<EmulatorFixture>, IDisposable
{
    private const string GraphEndpointVariable = "OAUTHSMTP_GRAPH_ENDPOINT";
    private readonly string? _previousGraphEndpoint = Environment.GetEnvironmentVariable(GraphEndpointVariable);
    private readonly EmulatorFixture _fixture;
    private PowerShellSession? _session;

    public EntraFixSetupTests(EmulatorFixture fixture)
    {
        _fixture = fixture;
    }

    private ExchangeOnlineEmulator Emulator => _fixture.Emulator;

    private ScenarioInfo Tenant => Emulator.Current;

    public void Dispose()
    {
        _session?.Dispose();
        Environment.SetEnvironmentVariable(GraphEndpointVariable, _previousGraphEndpoint);
    }

    /// <summary>An administrator's session on a Ready tenant with the profile 'Emu', then <paramref name="breakIt"/> (a Set-EmuApplication switch).</summary>
    private void Start(string breakIt, bool connectGraph = true, string[]? adminRoles = null, string[]? consentedScopes = null)
    {
        _session?.Dispose();
        _session = _fixture.NewAdminSession(Scenario.Ready, adminRoles: adminRoles, consentedScopes: consentedScopes, connectGraph: connectGraph);
        Environment.SetEnvironmentVariable(GraphEndpointVariable, Emulator.GraphEndpoint.ToString());
        var prepared = _session.Run(EmulatorFixture.NewProfileScript("Emu") + Environment.NewLine + "Set-EmuApplication " + breakIt);
        Assert.True(!prepared.AllErrors.Any(), prepared.ErrorText);
        Emulator.Statistics.Reset();
    }

    private ScriptResult Run(string script) => _session!.Run(script);

    private static PSObject ByStep(IEnumerable<PSObject> results, string step) => results.First(r => Text(r, "Step") == step);

    private static string Text(PSObject item, string property) => item.Properties[property]?.Value?.ToString() ?? string.Empty;

    private static string Flat(string text) => new(text.Where(c => !char.IsWhiteSpace(c)).ToArray());

    private static IReadOnlyList<string> Kinds(PSObject result) =>
        ((System.Collections.IEnumerable)result.Properties["FixActions"].Value).Cast<object>().Select(a => PSObject.AsPSObject(a).Properties["Kind"].Value.ToString()!).ToList();

    private PSObject Failing(string step, string reasonId)
    {
        var check = Run("Test-SmtpOAuthSetup -Profile Emu");
        Assert.True(!check.AllErrors.Any(), check.ErrorText);
        var result = ByStep(check.Output, step);
        Assert.Equal("Fail", Text(result, "Status"));
        Assert.Equal(reasonId, Text(result, "ReasonId"));
        return result;
    }

    /// <summary>-Fix -Wait with a test message: every step passes afterwards and the message is delivered.</summary>
    private ScriptResult FixAndSend()
    {
        var fixedRun = Run("Test-SmtpOAuthSetup -Profile Emu -Fix -Confirm:$false -Wait -Timeout 60 -TestRecipient it@contoso.com");
        Assert.True(!fixedRun.AllErrors.Any(), fixedRun.ErrorText);
        Assert.All(fixedRun.Output, r => Assert.NotEqual("Fail", Text(r, "Status")));
        Assert.Equal("Pass", Text(ByStep(fixedRun.Output, "TestMessage"), "Status"));
        Assert.Contains("it@contoso.com", Assert.Single(Emulator.Delivered.All).To, StringComparer.OrdinalIgnoreCase);

        var retest = Run("Test-SmtpOAuthSetup -Profile Emu -Quiet");
        Assert.True(!retest.AllErrors.Any(), retest.ErrorText);
        Assert.True((bool)Assert.Single(retest.Output).BaseObject);
        return fixedRun;
    }

    private bool Consented()
    {
        lock (Emulator.Tenant.SyncRoot)
        {
            var enterprise = Emulator.Tenant.ServicePrincipals.Where(s => s.AppId == Tenant.ClientId).Select(s => s.ObjectId).ToList();
            return Emulator.Tenant.AppRoleAssignments.Any(a => enterprise.Contains(a.PrincipalId) && a.RoleValue == "SMTP.SendAsApp" && a.ResourceId == Emulator.Tenant.ExchangeResourceServicePrincipalId);
        }
    }

    [Fact]
    public void Missing_consent_is_granted_through_the_graph_session_and_mail_is_delivered()
    {
        Start("-RevokeConsent");

        var failing = Failing("TokenPermissions", "SetupConsentMissing");
        Assert.Equal(new[] { "GrantAdminConsent" }, Kinds(failing));
        Assert.StartsWith("Invoke-MgGraphRequest -Method POST -Uri 'v1.0/servicePrincipals/", Text(failing, "Fix"), StringComparison.Ordinal);

        var fixedRun = FixAndSend();

        Assert.True(Consented());
        Assert.Equal(1, Emulator.Statistics.GraphWrites);
        Assert.Contains(fixedRun.Information, i => i.MessageData.ToString()!.StartsWith("Ran: Invoke-MgGraphRequest -Method POST", StringComparison.Ordinal));
    }

    [Fact]
    public void Graph_mail_send_only_gets_smtp_sendasapp_added_and_consented_and_says_mail_send_is_for_graph()
    {
        Start("-GraphMailSendOnly");

        var failing = Failing("TokenPermissions", "SetupGraphMailSendOnly");
        Assert.Contains("Mail.Send", Text(failing, "Detail"));
        Assert.Contains("not for SMTP", Text(failing, "Cause"));
        Assert.Equal(new[] { "AddSmtpPermission", "GrantAdminConsent" }, Kinds(failing));

        FixAndSend();

        Assert.True(Consented());
        lock (Emulator.Tenant.SyncRoot)
        {
            var app = Emulator.Tenant.Applications.Single(a => a.AppId == Tenant.ClientId);
            var requested = app.RequiredResourceAccess.SelectMany(r => r.ResourceAccess.Select(a => a.Id)).ToList();
            Assert.Contains(Emulator.Tenant.ExchangeAppRoles["SMTP.SendAsApp"], requested);
            Assert.Contains(Emulator.Tenant.GraphAppRoles["Mail.Send"], requested);
        }
    }

    [Fact]
    public void A_missing_enterprise_application_is_created_then_consented_and_registered_in_exchange()
    {
        Start("-RemoveEnterpriseApplication");

        var failing = Failing("Token", "TokenApplicationNotFound");
        Assert.Equal(new[] { "NewEnterpriseApplication" }, Kinds(failing));

        FixAndSend();

        lock (Emulator.Tenant.SyncRoot)
        {
            var enterprise = Emulator.Tenant.ServicePrincipals.Single(s => s.AppId == Tenant.ClientId);
            Assert.Equal(enterprise.ObjectId.ToString(), Assert.Single(Emulator.Tenant.ExchangeServicePrincipals).ObjectId, ignoreCase: true);
        }

        Assert.True(Consented());
    }

    [Fact]
    public void An_expired_secret_is_replaced_proven_and_stored_without_showing_either_secret()
    {
        Start("-SecretExpired");
        var oldSecret = Tenant.ClientSecret!;

        var failing = Failing("Token", "TokenClientSecretExpired");
        Assert.Equal(new[] { "RotateClientSecret" }, Kinds(failing));
        Assert.Contains("Update-SmtpOAuthCredential -Profile Emu", Text(failing, "Fix"));

        var fixedRun = FixAndSend();

        List<OAuthSmtp.Emulator.Model.ClientSecret> secrets;
        lock (Emulator.Tenant.SyncRoot)
        {
            secrets = Emulator.Tenant.Applications.Single(a => a.AppId == Tenant.ClientId).Secrets.ToList();
        }

        Assert.Equal(2, secrets.Count);
        var added = secrets.Single(s => s.Value != oldSecret);
        var shown = fixedRun.EverythingVisible();
        Assert.DoesNotContain(oldSecret, shown, StringComparison.Ordinal);
        Assert.DoesNotContain(added.Value, shown, StringComparison.Ordinal);
        Assert.Contains(fixedRun.Information, i => i.MessageData.ToString()!.Contains("New client secret", StringComparison.Ordinal));
    }

    [Fact]
    public void A_runbook_fixes_consent_with_GraphAccessToken_instead_of_a_session_and_the_token_is_shown_nowhere()
    {
        Start("-RevokeConsent", connectGraph: false);
        var token = (string)Run("$t = Get-EmuAdminGraphToken -Scopes AppRoleAssignment.ReadWrite.All,Application.ReadWrite.All,User.Read; [System.Net.NetworkCredential]::new('', $t).Password").Output.Single().BaseObject;
        Emulator.Statistics.Reset();

        var fixedRun = Run("Test-SmtpOAuthSetup -Profile Emu -Fix -Confirm:$false -GraphAccessToken $t -GraphEndpoint $EmuTenant.GraphEndpoint -Wait -Timeout 60 -Verbose");

        Assert.True(!fixedRun.AllErrors.Any(), fixedRun.ErrorText);
        Assert.All(fixedRun.Output, r => Assert.NotEqual("Fail", Text(r, "Status")));
        Assert.True(Consented());
        Assert.Equal(1, Emulator.Statistics.GraphWrites);
        Assert.DoesNotContain(token, fixedRun.EverythingVisible(), StringComparison.Ordinal);
    }

    [Fact]
    public void WhatIf_lists_the_graph_calls_and_changes_nothing()
    {
        Start("-GraphMailSendOnly");

        var result = Run("Test-SmtpOAuthSetup -Profile Emu -Fix -WhatIf");

        Assert.True(!result.AllErrors.Any(), result.ErrorText);
        Assert.Equal(0, Emulator.Statistics.GraphWrites);
        Assert.Equal(0, Emulator.Statistics.ExchangeChanges);
        Assert.False(Consented());
        var shown = Flat(result.HostText);
        Assert.Contains("What if:", result.HostText, StringComparison.Ordinal);
        Assert.Contains(Flat("PATCH /v1.0/applications/"), shown, StringComparison.Ordinal);
        Assert.Contains(Flat("/appRoleAssignedTo)"), shown, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_a_graph_session_the_fix_names_connect_mggraph_and_nothing_changes_in_entra()
    {
        Start("-RevokeConsent", connectGraph: false);

        var failing = Failing("TokenPermissions", "SetupConsentMissing");
        Assert.Empty(Kinds(failing));
        Assert.Contains("Connect-MgGraph -Scopes", Text(failing, "Fix"));

        var attempt = Run("Test-SmtpOAuthSetup -Profile Emu -Fix -Confirm:$false");

        Assert.Equal(0, Emulator.Statistics.GraphWrites);
        Assert.False(Consented());
        Assert.Contains(attempt.Warnings, w => w.Contains("TokenPermissions", StringComparison.Ordinal) && w.Contains("Microsoft Graph session", StringComparison.Ordinal));
    }

    [Fact]
    public void An_admin_without_a_consenting_role_gets_the_role_named_and_nothing_changes()
    {
        Start("-RevokeConsent", adminRoles: Array.Empty<string>(), consentedScopes: EmulatorFixture.SetupGraphScopes);

        var failing = Failing("TokenPermissions", "SetupConsentMissing");
        Assert.Empty(Kinds(failing));
        Assert.Contains("Cloud Application Administrator, Application Administrator, Privileged Role Administrator or Global Administrator", Text(failing, "Fix"));

        var attempt = Run("Test-SmtpOAuthSetup -Profile Emu -Fix -Confirm:$false");

        Assert.Equal(0, Emulator.Statistics.GraphWrites);
        Assert.False(Consented());
        Assert.Contains("Cloud Application Administrator", Text(ByStep(attempt.Output, "TokenPermissions"), "Fix"));
    }
}
