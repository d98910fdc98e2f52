using System;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using OAuthSmtp.Emulator.Model;
using OAuthSmtp.Emulator.Tests.Host;
using OAuthSmtp.Emulator.Tests.Tokens;
using Xunit;

namespace OAuthSmtp.Emulator.Tests.Graph;

/// <summary>
/// The Graph write surface a setup uses, from the Empty scenario with the administrator's delegated token: create the
/// app, a secret, the enterprise app and admin consent, and see the token service honour it.
/// </summary>
public sealed class GraphWriteTests : IClassFixture<EmulatorFixture>
{
    private static readonly string[] SetupScopes = { "Application.ReadWrite.All", "AppRoleAssignment.ReadWrite.All", "DelegatedPermissionGrant.ReadWrite.All", "User.Read" };

    private readonly ExchangeOnlineEmulator _emulator;

    public GraphWriteTests(EmulatorFixture fixture)
    {
        _emulator = fixture.Emulator;
        _emulator.Reset(Scenario.Empty);

        // These tests are about what a Graph write does, not about when it reaches sign-in: they set replication to
        // none (the fixture's quick delay would refuse their next sign-in); the wait itself has its own test below.
        _emulator.Control.SetPropagationDelay(ChangeKind.DirectoryReplication, TimeSpan.Zero);
    }

    private GraphClient Admin() => GraphClient.Administrator(_emulator, SetupScopes);

    private async Task<(string ObjectId, string AppId)> CreateAppAsync(GraphClient graph, string name = "Mailer")
    {
        var (status, app) = await graph.PostAsync("applications", new { displayName = name, signInAudience = "AzureADMyOrg" });
        Assert.Equal(201, status);
        return (app.GetProperty("id").GetString()!, app.GetProperty("appId").GetString()!);
    }

    private async Task<string> ExchangeRoleIdAsync(GraphClient graph, string role = "SMTP.SendAsApp")
    {
        var (_, exchange) = await graph.GetAsync("servicePrincipals(appId='00000002-0000-0ff1-ce00-000000000000')?$select=id,appRoles");
        return exchange.GetProperty("appRoles").EnumerateArray().Single(r => r.GetProperty("value").GetString() == role).GetProperty("id").GetString()!;
    }

    [Fact]
    public void Empty_has_an_administrator_with_Global_Administrator_and_no_app()
    {
        Assert.Null(_emulator.Current.ClientId);
        Assert.Equal("admin@contoso.com", _emulator.Current.Administrator);
        Assert.DoesNotContain(_emulator.Tenant.ServicePrincipals, s => s.AppId != TenantModel.ExchangeResourceAppId && s.AppId != TenantModel.GraphResourceAppId);

        var token = _emulator.Tokens.SignInAdministratorToGraph(SetupScopes);
        var claims = TokenHttp.Claims(token.AccessToken);
        Assert.Equal("user", claims.GetProperty("idtyp").GetString());
        Assert.Equal("14d82eec-204b-4c2f-b7e8-296a70dab67e", claims.GetProperty("appid").GetString());
        Assert.Equal("https://graph.microsoft.com", claims.GetProperty("aud").GetString());
        var scp = claims.GetProperty("scp").GetString()!.Split(' ');
        Assert.Contains("Application.ReadWrite.All", scp);
        Assert.Contains("AppRoleAssignment.ReadWrite.All", scp);
        var wids = claims.GetProperty("wids").EnumerateArray().Select(w => w.GetString()).ToList();
        Assert.Contains("62e90394-69f5-4237-9190-012177145e10", wids);
        Assert.Contains("b79fbf4d-3ef9-4689-8143-76b194e85509", wids);
    }

    [Fact]
    public async Task App_secret_enterprise_app_and_consent_give_a_token_with_SMTP_SendAsApp()
    {
        var graph = Admin();
        var (objectId, appId) = await CreateAppAsync(graph);
        var roleId = await ExchangeRoleIdAsync(graph);
        var (status, _) = await graph.PatchAsync($"applications/{objectId}", new
        {
            requiredResourceAccess = new[] { new { resourceAppId = "00000002-0000-0ff1-ce00-000000000000", resourceAccess = new[] { new { id = roleId, type = "Role" } } } },
        });
        Assert.Equal(204, status);

        var (addStatus, password) = await graph.PostAsync($"applications/{objectId}/addPassword", new { passwordCredential = new { displayName = "oauthsmtp", endDateTime = DateTimeOffset.UtcNow.AddMonths(6) } });
        Assert.Equal(200, addStatus);
        var secret = password.GetProperty("secretText").GetString()!;
        Assert.Equal(40, secret.Length);
        Assert.Equal(secret[..3], password.GetProperty("hint").GetString());
        Assert.Equal("oauthsmtp", password.GetProperty("displayName").GetString());

        var (_, readBack) = await graph.GetAsync($"applications(appId='{appId}')");
        var stored = readBack.GetProperty("passwordCredentials").EnumerateArray().Single();
        Assert.Equal(JsonValueKind.Null, stored.GetProperty("secretText").ValueKind);
        Assert.Equal(roleId, readBack.GetProperty("requiredResourceAccess")[0].GetProperty("resourceAccess")[0].GetProperty("id").GetString());

        var (spStatus, sp) = await graph.PostAsync("servicePrincipals", new { appId });
        Assert.Equal(201, spStatus);
        var spId = sp.GetProperty("id").GetString()!;
        Assert.NotEqual(objectId, spId);

        var form = TokenHttp.ClientCredentials(_emulator, secret);
        form["client_id"] = appId;
        var (tokenStatus, unconsented) = await TokenHttp.TokenAsync(_emulator, form);
        Assert.Equal(200, tokenStatus);
        Assert.False(TokenHttp.Claims(unconsented.GetProperty("access_token").GetString()!).TryGetProperty("roles", out _));

        var (_, exchange) = await graph.GetAsync("servicePrincipals(appId='00000002-0000-0ff1-ce00-000000000000')");
        var exchangeSpId = exchange.GetProperty("id").GetString()!;
        var (assignStatus, assignment) = await graph.PostAsync($"servicePrincipals/{exchangeSpId}/appRoleAssignedTo", new { principalId = spId, resourceId = exchangeSpId, appRoleId = roleId });
        Assert.Equal(201, assignStatus);
        Assert.Equal("Office 365 Exchange Online", assignment.GetProperty("resourceDisplayName").GetString());

        var (_, consented) = await TokenHttp.TokenAsync(_emulator, form);
        var claims = TokenHttp.Claims(consented.GetProperty("access_token").GetString()!);
        Assert.Equal("SMTP.SendAsApp", claims.GetProperty("roles")[0].GetString());
        Assert.Equal(spId, claims.GetProperty("oid").GetString());

        var (again, duplicate) = await graph.PostAsync($"servicePrincipals/{exchangeSpId}/appRoleAssignedTo", new { principalId = spId, resourceId = exchangeSpId, appRoleId = roleId });
        Assert.Equal(400, again);
        Assert.Equal("Request_BadRequest", duplicate.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal("Permission being assigned already exists on the object.", duplicate.GetProperty("error").GetProperty("message").GetString());

        var (_, listed) = await graph.GetAsync($"servicePrincipals/{spId}/appRoleAssignments");
        var assignmentId = listed.GetProperty("value")[0].GetProperty("id").GetString();
        Assert.Equal(204, (await graph.DeleteAsync($"servicePrincipals/{exchangeSpId}/appRoleAssignedTo/{assignmentId}")).Status);
        var (_, revoked) = await TokenHttp.TokenAsync(_emulator, form);
        Assert.False(TokenHttp.Claims(revoked.GetProperty("access_token").GetString()!).TryGetProperty("roles", out _));
    }

    [Fact]
    public async Task A_new_app_and_a_new_secret_are_refused_by_the_token_service_until_they_replicate()
    {
        _emulator.Control.SetPropagationDelay(ChangeKind.DirectoryReplication, TimeSpan.FromMinutes(2));
        var graph = Admin();
        var (objectId, appId) = await CreateAppAsync(graph);
        var (_, password) = await graph.PostAsync($"applications/{objectId}/addPassword", new { });
        var secret = password.GetProperty("secretText").GetString()!;
        Assert.Equal(201, (await graph.PostAsync("servicePrincipals", new { appId })).Status);
        var form = TokenHttp.ClientCredentials(_emulator, secret);
        form["client_id"] = appId;

        var (status, refused) = await TokenHttp.TokenAsync(_emulator, form);
        Assert.Equal(400, status);
        Assert.Equal(700016, refused.GetProperty("error_codes")[0].GetInt32());

        _emulator.Clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(200, (await TokenHttp.TokenAsync(_emulator, form)).Status);

        var (_, second) = await graph.PostAsync($"applications/{objectId}/addPassword", new { passwordCredential = new { displayName = "rotated" } });
        form["client_secret"] = second.GetProperty("secretText").GetString()!;
        var (secretStatus, secretRefused) = await TokenHttp.TokenAsync(_emulator, form);
        Assert.Equal(401, secretStatus);
        Assert.Equal(7000215, secretRefused.GetProperty("error_codes")[0].GetInt32());
        _emulator.Clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(200, (await TokenHttp.TokenAsync(_emulator, form)).Status);
    }

    [Fact]
    public async Task A_secret_defaults_to_two_years_and_removePassword_takes_it_away()
    {
        var graph = Admin();
        var (objectId, _) = await CreateAppAsync(graph);
        var (_, password) = await graph.PostAsync($"applications/{objectId}/addPassword", null);
        var start = password.GetProperty("startDateTime").GetDateTimeOffset();
        Assert.Equal(start.AddYears(2), password.GetProperty("endDateTime").GetDateTimeOffset());
        var keyId = password.GetProperty("keyId").GetString();

        Assert.Equal(204, (await graph.PostAsync($"applications/{objectId}/removePassword", new { keyId })).Status);
        var (_, app) = await graph.GetAsync($"applications/{objectId}");
        Assert.Empty(app.GetProperty("passwordCredentials").EnumerateArray());
        Assert.Equal(400, (await graph.PostAsync($"applications/{objectId}/removePassword", new { keyId })).Status);
    }

    [Fact]
    public async Task A_second_enterprise_app_for_one_appId_is_409_and_an_unknown_appId_is_400()
    {
        var graph = Admin();
        var (_, appId) = await CreateAppAsync(graph);
        Assert.Equal(201, (await graph.PostAsync("servicePrincipals", new { appId })).Status);

        var (status, conflict) = await graph.PostAsync("servicePrincipals", new { appId });
        Assert.Equal(409, status);
        Assert.Equal("Request_MultipleObjectsWithSameKeyValue", conflict.GetProperty("error").GetProperty("code").GetString());
        Assert.Contains("is already in use", conflict.GetProperty("error").GetProperty("message").GetString());

        var unknown = Guid.NewGuid();
        var (badStatus, bad) = await graph.PostAsync("servicePrincipals", new { appId = unknown });
        Assert.Equal(400, badStatus);
        Assert.Equal($"The appId '{unknown}' of the service principal does not reference a valid application object.", bad.GetProperty("error").GetProperty("message").GetString());
    }

    [Fact]
    public async Task Delegated_consent_for_all_principals_is_created_once_and_serves_the_delegated_token()
    {
        var graph = Admin();
        var (objectId, appId) = await CreateAppAsync(graph);
        Assert.Equal(204, (await graph.PatchAsync($"applications/{objectId}", new { web = new { redirectUris = new[] { "https://erp.contoso.com/App%20E-Mailkonto/continue_oauth" } } })).Status);
        var (_, sp) = await graph.PostAsync("servicePrincipals", new { appId });
        var (_, exchange) = await graph.GetAsync("servicePrincipals(appId='00000002-0000-0ff1-ce00-000000000000')");
        var grant = new { clientId = sp.GetProperty("id").GetString(), consentType = "AllPrincipals", resourceId = exchange.GetProperty("id").GetString(), scope = "SMTP.Send offline_access" };

        var (status, created) = await graph.PostAsync("oauth2PermissionGrants", grant);
        Assert.Equal(201, status);
        Assert.Equal("SMTP.Send offline_access", created.GetProperty("scope").GetString());
        Assert.Equal(JsonValueKind.Null, created.GetProperty("principalId").ValueKind);

        var (again, conflict) = await graph.PostAsync("oauth2PermissionGrants", grant);
        Assert.Equal(409, again);
        Assert.Equal("Permission entry already exists.", conflict.GetProperty("error").GetProperty("message").GetString());

        var (_, listed) = await graph.GetAsync($"oauth2PermissionGrants?$filter=clientId eq '{grant.clientId}'");
        Assert.Single(listed.GetProperty("value").EnumerateArray());
        Assert.Contains(_emulator.Tenant.Applications.Single(a => a.AppId.ToString() == appId).WebRedirectUris, u => u.EndsWith("continue_oauth", StringComparison.Ordinal));

        Assert.Equal(204, (await graph.DeleteAsync($"oauth2PermissionGrants/{created.GetProperty("id").GetString()}")).Status);
        Assert.DoesNotContain(_emulator.Tenant.DelegatedGrants, g => g.ClientId.ToString() == grant.clientId);
    }

    [Theory]
    [InlineData("Application Administrator", true, false)]
    [InlineData("Cloud Application Administrator", true, false)]
    [InlineData("Privileged Role Administrator", true, true)]
    [InlineData("Global Administrator", true, true)]
    public async Task Who_may_grant_an_Exchange_and_a_Graph_application_permission(string role, bool exchangeAllowed, bool graphAllowed)
    {
        var graph = Admin();
        var (_, appId) = await CreateAppAsync(graph);
        var (_, sp) = await graph.PostAsync("servicePrincipals", new { appId });
        _emulator.Control.SetAdministrator(new[] { role });
        var (_, exchange) = await graph.GetAsync("servicePrincipals(appId='00000002-0000-0ff1-ce00-000000000000')");
        var (_, msGraph) = await graph.GetAsync("servicePrincipals(appId='00000003-0000-0000-c000-000000000000')");

        async Task<int> Grant(JsonElement resource, string value)
        {
            var roleId = resource.GetProperty("appRoles").EnumerateArray().Single(r => r.GetProperty("value").GetString() == value).GetProperty("id").GetString();
            var resourceId = resource.GetProperty("id").GetString();
            return (await graph.PostAsync($"servicePrincipals/{resourceId}/appRoleAssignedTo", new { principalId = sp.GetProperty("id").GetString(), resourceId, appRoleId = roleId })).Status;
        }

        Assert.Equal(exchangeAllowed ? 201 : 403, await Grant(exchange, "SMTP.SendAsApp"));
        Assert.Equal(graphAllowed ? 201 : 403, await Grant(msGraph, "Application.Read.All"));
    }

    [Fact]
    public async Task A_user_without_an_admin_role_is_refused_consent_with_Graphs_403()
    {
        var graph = Admin();
        var (_, appId) = await CreateAppAsync(graph);
        var (_, sp) = await graph.PostAsync("servicePrincipals", new { appId });
        var (_, exchange) = await graph.GetAsync("servicePrincipals(appId='00000002-0000-0ff1-ce00-000000000000')");
        _emulator.Control.SetAdministrator(Array.Empty<string>());

        var (status, refused) = await graph.PostAsync($"servicePrincipals/{exchange.GetProperty("id").GetString()}/appRoleAssignedTo",
            new { principalId = sp.GetProperty("id").GetString(), resourceId = exchange.GetProperty("id").GetString(), appRoleId = await ExchangeRoleIdAsync(graph) });
        Assert.Equal(403, status);
        var error = refused.GetProperty("error");
        Assert.Equal("Authorization_RequestDenied", error.GetProperty("code").GetString());
        Assert.Equal("Insufficient privileges to complete the operation.", error.GetProperty("message").GetString());
        Assert.True(error.GetProperty("innerError").TryGetProperty("request-id", out _));
        Assert.True(error.GetProperty("innerError").TryGetProperty("date", out _));

        // An ordinary member still creates (and owns) apps: "Users can register applications" is on by default.
        Assert.Equal(201, (await graph.PostAsync("applications", new { displayName = "Own app" })).Status);
        _emulator.Control.SetAdministrator(usersCanRegisterApplications: false);
        Assert.Equal(403, (await graph.PostAsync("applications", new { displayName = "Refused app" })).Status);
    }

    [Fact]
    public async Task A_token_without_the_write_scope_is_refused_and_the_model_is_unchanged()
    {
        var graph = GraphClient.Administrator(_emulator, "Application.Read.All");
        var before = _emulator.Tenant.Applications.Count;
        var (status, refused) = await graph.PostAsync("applications", new { displayName = "Mailer" });
        Assert.Equal(403, status);
        Assert.Equal("Authorization_RequestDenied", refused.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal(before, _emulator.Tenant.Applications.Count);
        Assert.Equal(0, _emulator.Statistics.GraphWrites);
    }

    [Fact]
    public void Consenting_an_admin_scope_needs_a_consenting_role_at_sign_in()
    {
        _emulator.Control.SetAdministrator(Array.Empty<string>());
        var refused = Assert.Throws<OAuthSmtp.Emulator.Tokens.SignInRefusedException>(() => _emulator.Tokens.SignInAdministratorToGraph(SetupScopes));
        Assert.Equal(65001, refused.Code);

        _emulator.Control.SetAdministrator(consentedGraphScopes: new[] { "Application.ReadWrite.All" });
        var token = _emulator.Tokens.SignInAdministratorToGraph(new[] { "User.Read" });
        Assert.Contains("Application.ReadWrite.All", token.Scopes);
        Assert.Equal(new[] { "b79fbf4d-3ef9-4689-8143-76b194e85509" }, TokenHttp.Claims(token.AccessToken).GetProperty("wids").EnumerateArray().Select(w => w.GetString()));
    }

    [Fact]
    public async Task Me_and_its_directory_roles_are_readable_with_User_Read()
    {
        _emulator.Control.SetAdministrator(new[] { "Application Administrator", "Exchange Administrator" });
        var graph = Admin();
        var (_, me) = await graph.GetAsync("me");
        Assert.Equal("admin@contoso.com", me.GetProperty("userPrincipalName").GetString());
        var (status, roles) = await graph.GetAsync("me/transitiveMemberOf/microsoft.graph.directoryRole?$select=displayName,roleTemplateId");
        Assert.Equal(200, status);
        var templates = roles.GetProperty("value").EnumerateArray().Select(r => r.GetProperty("roleTemplateId").GetString()).ToList();
        Assert.Equal(new[] { "9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3", "29232cdf-9323-42fd-ade2-1d097af3e4de" }, templates);

        var appOnly = await GraphClientForReadyAppAsync();
        var (meStatus, meRefused) = await appOnly.GetAsync("me");
        Assert.Equal(400, meStatus);
        Assert.Equal("/me request is only valid with delegated authentication flow.", meRefused.GetProperty("error").GetProperty("message").GetString());
    }

    [Fact]
    public async Task Uploading_a_certificate_with_PATCH_keyCredentials_lets_the_app_sign_in_with_it()
    {
        var graph = Admin();
        var (objectId, appId) = await CreateAppAsync(graph);
        await graph.PostAsync("servicePrincipals", new { appId });
        using var certificate = TokenHttp.NewSelfSignedCertificate();
        var key = Convert.ToBase64String(certificate.RawData);
        var (status, _) = await graph.PatchAsync($"applications/{objectId}", new { keyCredentials = new[] { new { type = "AsymmetricX509Cert", usage = "Verify", key, displayName = "CN=OAuthSmtp" } } });
        Assert.Equal(204, status);
        var (_, app) = await graph.GetAsync($"applications/{objectId}");
        var stored = app.GetProperty("keyCredentials").EnumerateArray().Single();
        Assert.Equal(JsonValueKind.Null, stored.GetProperty("key").ValueKind);
        Assert.Equal(Convert.ToBase64String(Convert.FromHexString(certificate.Thumbprint)), stored.GetProperty("customKeyIdentifier").GetString());

        var result = await Msal.WithCertificate(_emulator, appId, certificate).AcquireTokenForClient(new[] { "https://outlook.office365.com/.default" }).ExecuteAsync();
        Assert.False(string.IsNullOrEmpty(result.AccessToken));

        // Keeping the key by its keyId (key null, as read back) keeps it; an empty list removes it.
        Assert.Equal(204, (await graph.PatchAsync($"applications/{objectId}", new { keyCredentials = new[] { new { keyId = stored.GetProperty("keyId").GetString(), type = "AsymmetricX509Cert", usage = "Verify" } } })).Status);
        Assert.Single(_emulator.Tenant.Applications.Single(a => a.AppId.ToString() == appId).Certificates);
        Assert.Equal(204, (await graph.PatchAsync($"applications/{objectId}", new { keyCredentials = Array.Empty<object>() })).Status);
        Assert.Empty(_emulator.Tenant.Applications.Single(a => a.AppId.ToString() == appId).Certificates);
    }

    [Fact]
    public async Task Unknown_properties_and_bad_values_are_refused_without_a_change()
    {
        var graph = Admin();
        var (objectId, _) = await CreateAppAsync(graph);
        var (status, unknown) = await graph.PatchAsync($"applications/{objectId}", new { displayName = "Renamed", smtpServer = "x" });
        Assert.Equal(400, status);
        Assert.StartsWith("Property 'smtpServer' does not exist on type 'microsoft.graph.application'.", unknown.GetProperty("error").GetProperty("message").GetString());
        Assert.Equal("Mailer", _emulator.Tenant.Applications.Single(a => a.ObjectId.ToString() == objectId).DisplayName);

        var (audienceStatus, audience) = await graph.PatchAsync($"applications/{objectId}", new { signInAudience = "Everyone" });
        Assert.Equal(400, audienceStatus);
        Assert.Equal("Invalid value specified for property 'signInAudience' of resource 'Application'.", audience.GetProperty("error").GetProperty("message").GetString());
        Assert.Equal(404, (await graph.GetAsync($"applications/{Guid.NewGuid()}")).Status);
        Assert.Equal(204, (await graph.DeleteAsync($"applications/{objectId}")).Status);
        Assert.Equal(404, (await graph.GetAsync($"applications/{objectId}")).Status);
    }

    [Fact]
    public async Task Delegated_consent_written_through_Graph_is_what_the_delegated_token_carries()
    {
        var graph = Admin();
        var (objectId, appId) = await CreateAppAsync(graph, "Device mailer");
        Assert.Equal(204, (await graph.PatchAsync($"applications/{objectId}", new { isFallbackPublicClient = true })).Status);
        var (_, sp) = await graph.PostAsync("servicePrincipals", new { appId });
        var (_, exchange) = await graph.GetAsync("servicePrincipals(appId='00000002-0000-0ff1-ce00-000000000000')");
        var app = Msal.Public(_emulator, appId);
        _emulator.Tokens.AutoApproveDeviceCodesFor = _emulator.Current.DelegatedUser;

        var refused = await Assert.ThrowsAnyAsync<Microsoft.Identity.Client.MsalServiceException>(() =>
            app.AcquireTokenWithDeviceCode(new[] { Msal.SmtpSend }, _ => Task.CompletedTask).ExecuteAsync());
        Assert.Contains("AADSTS65001", refused.Message, StringComparison.Ordinal);

        Assert.Equal(201, (await graph.PostAsync("oauth2PermissionGrants", new
        {
            clientId = sp.GetProperty("id").GetString(),
            consentType = "AllPrincipals",
            resourceId = exchange.GetProperty("id").GetString(),
            scope = "SMTP.Send offline_access",
        })).Status);
        var result = await app.AcquireTokenWithDeviceCode(new[] { Msal.SmtpSend }, _ => Task.CompletedTask).ExecuteAsync();
        Assert.Equal("SMTP.Send", TokenHttp.Claims(result.AccessToken).GetProperty("scp").GetString());
    }

    [Fact]
    public async Task Someone_elses_app_needs_an_application_admin_role_to_change_and_consent_needs_one_too()
    {
        var graph = Admin();
        var (objectId, appId) = await CreateAppAsync(graph);
        var (_, sp) = await graph.PostAsync("servicePrincipals", new { appId });
        _emulator.Tenant.Applications.Single(a => a.ObjectId.ToString() == objectId).Owners.Clear();
        _emulator.Control.SetAdministrator(Array.Empty<string>());

        Assert.Equal(403, (await graph.PatchAsync($"applications/{objectId}", new { displayName = "Renamed" })).Status);
        Assert.Equal(403, (await graph.PostAsync($"applications/{objectId}/addPassword", null)).Status);
        Assert.Equal(403, (await graph.DeleteAsync($"servicePrincipals/{sp.GetProperty("id").GetString()}")).Status);
        var (_, exchange) = await graph.GetAsync("servicePrincipals(appId='00000002-0000-0ff1-ce00-000000000000')");
        Assert.Equal(403, (await graph.PostAsync("oauth2PermissionGrants", new
        {
            clientId = sp.GetProperty("id").GetString(),
            consentType = "AllPrincipals",
            resourceId = exchange.GetProperty("id").GetString(),
            scope = "SMTP.Send",
        })).Status);
        Assert.Equal(2, _emulator.Statistics.GraphWrites);

        _emulator.Control.SetAdministrator(new[] { "Cloud Application Administrator" });
        Assert.Equal(204, (await graph.PatchAsync($"applications/{objectId}", new { displayName = "Renamed" })).Status);
    }

    private async Task<GraphClient> GraphClientForReadyAppAsync()
    {
        // An app-only Graph token: a fresh app with Application.Read.All consented by the administrator.
        var graph = Admin();
        var (objectId, appId) = await CreateAppAsync(graph, "Reader");
        var (_, password) = await graph.PostAsync($"applications/{objectId}/addPassword", null);
        var (_, sp) = await graph.PostAsync("servicePrincipals", new { appId });
        var (_, msGraph) = await graph.GetAsync("servicePrincipals(appId='00000003-0000-0000-c000-000000000000')");
        var roleId = msGraph.GetProperty("appRoles").EnumerateArray().Single(r => r.GetProperty("value").GetString() == "Application.Read.All").GetProperty("id").GetString();
        await graph.PostAsync($"servicePrincipals/{msGraph.GetProperty("id").GetString()}/appRoleAssignedTo", new { principalId = sp.GetProperty("id").GetString(), resourceId = msGraph.GetProperty("id").GetString(), appRoleId = roleId });
        var form = TokenHttp.ClientCredentials(_emulator, password.GetProperty("secretText").GetString(), "https://graph.microsoft.com/.default");
        form["client_id"] = appId;
        var (_, token) = await TokenHttp.TokenAsync(_emulator, form);
        return new GraphClient(_emulator, token.GetProperty("access_token").GetString()!);
    }
}
