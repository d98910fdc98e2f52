using System;
using System.Collections;
using System.Linq;
using System.Management.Automation;
using OAuthSmtp.Emulator.PowerShell;
using OAuthSmtp.Emulator.Tests.Host;
using OAuthSmtp.Hosting;
using Xunit;

namespace OAuthSmtp.Emulator.Tests.Graph;

/// <summary>Connect-MgGraph, Get-MgContext, Invoke-MgGraphRequest and Disconnect-MgGraph in a hosted runspace against the emulator.</summary>
public sealed class GraphLookAlikeTests : IClassFixture<EmulatorFixture>, IDisposable
{
    private readonly ExchangeOnlineEmulator _emulator;
    private readonly PowerShellSession _session;

    public GraphLookAlikeTests(EmulatorFixture fixture)
    {
        _emulator = fixture.Emulator;
        _emulator.Reset(Scenario.Empty);
        var options = new PowerShellSessionOptions();
        options.Modules.Add(EmulatorModules.GraphModulePath);
        options.Modules.Add(EmulatorModules.ControlModulePath);
        options.Variables[EmulatorSession.VariableName] = _emulator;
        _session = new PowerShellSession(options);
    }

    public void Dispose() => _session.Dispose();

    private ScriptResult Connect() => _session.Run("Connect-MgGraph -Scopes 'Application.ReadWrite.All','AppRoleAssignment.ReadWrite.All','User.Read' -NoWelcome");

    [Fact]
    public void Connect_MgGraph_signs_the_administrator_in_and_Get_MgContext_shows_it()
    {
        Assert.Empty(_session.Run("Get-MgContext").Output);
        var connect = Connect();
        Assert.Empty(connect.AllErrors);
        var context = Assert.Single(_session.Run("Get-MgContext").Output);
        Assert.Equal("admin@contoso.com", context.Properties["Account"].Value);
        Assert.Equal("Delegated", context.Properties["AuthType"].Value);
        Assert.Equal("14d82eec-204b-4c2f-b7e8-296a70dab67e", context.Properties["ClientId"].Value);
        Assert.Equal(_emulator.Current.TenantId.ToString(), context.Properties["TenantId"].Value);
        Assert.Contains("AppRoleAssignment.ReadWrite.All", (string[])context.Properties["Scopes"].Value);
        Assert.DoesNotContain(_session.Run("Get-MgContext | Format-List * | Out-String").Output.Select(o => o.ToString()), o => o!.Contains("eyJ", StringComparison.Ordinal));
    }

    [Fact]
    public void Invoke_MgGraphRequest_takes_relative_and_graph_microsoft_com_uris_and_returns_hashtables()
    {
        Connect();
        var created = _session.Run("Invoke-MgGraphRequest -Method POST -Uri 'v1.0/applications' -Body @{ displayName = 'Mailer' }");
        Assert.Empty(created.AllErrors);
        var app = Assert.IsType<Hashtable>(Assert.Single(created.Output).BaseObject);
        Assert.Equal("Mailer", app["displayName"]);

        var listed = _session.Run("(Invoke-MgGraphRequest -Uri \"https://graph.microsoft.com/v1.0/applications?`$filter=displayName eq 'Mailer'\").value[0].appId");
        Assert.Equal(app["appId"], Assert.Single(listed.Output).BaseObject);

        var json = _session.Run("Invoke-MgGraphRequest -Uri '/v1.0/me' -OutputType Json");
        Assert.True(!json.AllErrors.Any(), json.ErrorText);
        Assert.Contains("admin@contoso.com", Assert.Single(json.Output).BaseObject as string);
        var psObject = _session.Run("(Invoke-MgGraphRequest -Uri 'v1.0/me' -OutputType PSObject).userPrincipalName");
        Assert.Equal("admin@contoso.com", Assert.Single(psObject.Output).BaseObject);

        var patched = _session.Run($"Invoke-MgGraphRequest -Method PATCH -Uri 'v1.0/applications/{app["id"]}' -Body '{{\"displayName\":\"Mailer 2\"}}' -OutputType HttpResponseMessage | ForEach-Object {{ [int]$_.StatusCode }}");
        Assert.True(patched.AllErrors.Count() == 0, patched.ErrorText);
        Assert.Equal(204, Assert.Single(patched.Output).BaseObject);
        Assert.Equal(2, _emulator.Statistics.GraphWrites);
    }

    [Fact]
    public void A_refusal_is_a_terminating_InvokeGraphHttpResponseException_with_Graphs_JSON_in_ErrorDetails()
    {
        _emulator.Control.SetAdministrator(consentedGraphScopes: new[] { "Application.Read.All" });
        _session.Run("Connect-MgGraph -NoWelcome");
        var result = _session.Run("Invoke-MgGraphRequest -Method POST -Uri 'v1.0/applications' -Body @{ displayName = 'Mailer' }");
        var record = Assert.Single(result.AllErrors);
        Assert.Equal("InvokeGraphHttpResponseException,OAuthSmtp.Emulator.PowerShell.Graph.InvokeMgGraphRequestCommand", record.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidOperation, record.CategoryInfo.Category);
        Assert.Equal("Response status code does not indicate success: Forbidden (Forbidden).", record.Exception.Message);
        Assert.StartsWith("POST https://graph.microsoft.com/v1.0/applications", record.ErrorDetails.Message, StringComparison.Ordinal);
        Assert.Contains("403 Forbidden", record.ErrorDetails.Message, StringComparison.Ordinal);
        Assert.Contains("\"code\":\"Authorization_RequestDenied\"", record.ErrorDetails.Message, StringComparison.Ordinal);
        Assert.Empty(_emulator.Tenant.Applications);
    }

    [Fact]
    public void Without_a_sign_in_Graph_requests_fail_and_other_hosts_are_refused()
    {
        var result = _session.Run("Invoke-MgGraphRequest -Uri 'v1.0/me'");
        Assert.Equal("Authentication needed. Please call Connect-MgGraph.", Assert.Single(result.AllErrors).Exception.Message);

        Connect();
        var other = _session.Run("Invoke-MgGraphRequest -Uri 'https://evil.example/v1.0/me'");
        Assert.Equal("InvokeGraphRequestInvalidHost", Assert.Single(other.AllErrors).FullyQualifiedErrorId.Split(',')[0]);

        var disconnected = _session.Run("Disconnect-MgGraph | Out-Null; Get-MgContext");
        Assert.Empty(disconnected.Output);
    }

    [Fact]
    public void An_administrator_without_a_consenting_role_cannot_consent_admin_scopes_at_sign_in()
    {
        _session.Run("Set-EmuAdmin -Roles @()");
        var result = Connect();
        Assert.StartsWith("AADSTS65001:", Assert.Single(result.AllErrors).Exception.Message, StringComparison.Ordinal);
        Assert.Empty(_session.Run("Get-MgContext").Output);
    }

    [Fact]
    public void App_only_Connect_MgGraph_with_a_client_secret_carries_the_apps_Graph_roles()
    {
        _emulator.Reset(Scenario.Ready);
        var script = "param($id, $secret, $tenant) " +
            "$credential = [pscredential]::new($id, (ConvertTo-SecureString $secret -AsPlainText -Force)); " +
            "Connect-MgGraph -ClientSecretCredential $credential -TenantId $tenant -NoWelcome; Get-MgContext";
        var result = _session.Run(script, parameters: new System.Collections.Generic.Dictionary<string, object?>
        {
            ["id"] = _emulator.Current.ClientId.ToString(),
            ["secret"] = _emulator.Current.ClientSecret,
            ["tenant"] = _emulator.Current.TenantId.ToString(),
        });
        Assert.Empty(result.AllErrors);
        var context = Assert.Single(result.Output);
        Assert.Equal("AppOnly", context.Properties["AuthType"].Value);
        Assert.Equal("ClientSecret", context.Properties["TokenCredentialType"].Value);
        Assert.Contains("Application.Read.All", (string[])context.Properties["Scopes"].Value);
        Assert.Empty(_session.Run("Invoke-MgGraphRequest -Uri 'v1.0/applications' | Out-Null").AllErrors);

        var wrong = _session.Run(script, parameters: new System.Collections.Generic.Dictionary<string, object?>
        {
            ["id"] = _emulator.Current.ClientId.ToString(),
            ["secret"] = "abc8Q~wrong",
            ["tenant"] = "contoso.com",
        });
        Assert.StartsWith("AADSTS7000215:", Assert.Single(wrong.AllErrors).Exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Set_EmuAdmin_names_an_unknown_role()
    {
        var result = _session.Run("Set-EmuAdmin -Roles 'Mail Wizard'");
        var error = Assert.Single(result.AllErrors);
        Assert.StartsWith("UnknownDirectoryRole", error.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Contains("Application Administrator", error.Exception.Message, StringComparison.Ordinal);
        Assert.Contains(DirectoryRoleTemplatesGlobalAdministrator, _emulator.Tenant.Administrator!.DirectoryRoles);
    }

    private static readonly Guid DirectoryRoleTemplatesGlobalAdministrator = OAuthSmtp.Emulator.Model.DirectoryRoleTemplates.GlobalAdministrator;

    [Fact]
    public void AccessToken_connects_with_the_given_token_and_reads_the_context_from_it()
    {
        var token = _session.Run("$token = Get-EmuAdminGraphToken -Scopes Application.Read.All; $token.GetType().Name");
        Assert.Equal("SecureString", Assert.Single(token.Output).BaseObject);
        var result = _session.Run("Connect-MgGraph -AccessToken $token -NoWelcome; Get-MgContext");
        Assert.Empty(result.AllErrors);
        var context = Assert.Single(result.Output);
        Assert.Equal("UserProvidedAccessToken", context.Properties["AuthType"].Value);
        Assert.Equal("admin@contoso.com", context.Properties["Account"].Value);
        var me = _session.Run("(Invoke-MgGraphRequest -Uri 'v1.0/applications').value.Count");
        Assert.Empty(me.AllErrors);
    }
}
