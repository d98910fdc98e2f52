using System;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Threading.Tasks;
using OAuthSmtp.Emulator.Tests.Host;
using OAuthSmtp.Emulator.Tests.Tokens;
using Xunit;

namespace OAuthSmtp.Emulator.Tests.Graph;

/// <summary>The Graph calls of EXCHANGE-FACTS §7 with a Graph token from the emulator's token service.</summary>
public sealed class GraphSurfaceTests : IClassFixture<EmulatorFixture>
{
    private readonly ExchangeOnlineEmulator _emulator;

    public GraphSurfaceTests(EmulatorFixture fixture)
    {
        _emulator = fixture.Emulator;
        _emulator.Reset(Scenario.Ready);
    }

    private async Task<string> GraphTokenAsync()
    {
        var result = await Msal.WithSecret(_emulator, _emulator.Current.ClientId.ToString()!, _emulator.Current.ClientSecret!)
            .AcquireTokenForClient(new[] { "https://graph.microsoft.com/.default" }).ExecuteAsync();
        return result.AccessToken;
    }

    private async Task<(HttpStatusCode Status, JsonElement Body)> GetAsync(string relative, string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_emulator.GraphEndpoint, relative));
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        using var response = await TokenHttp.Http.SendAsync(request);
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }

    [Fact]
    public async Task Application_service_principal_roles_and_consent_are_readable()
    {
        var token = await GraphTokenAsync();
        var current = _emulator.Current;

        var (status, apps) = await GetAsync($"applications?$filter=appId eq '{current.ClientId}'", token);
        Assert.Equal(HttpStatusCode.OK, status);
        var app = apps.GetProperty("value").EnumerateArray().Single();
        Assert.Equal(current.AppObjectId.ToString(), app.GetProperty("id").GetString());
        var secret = app.GetProperty("passwordCredentials").EnumerateArray().Single();
        Assert.Equal(current.ClientSecret![..3], secret.GetProperty("hint").GetString());
        Assert.Equal(JsonValueKind.Null, secret.GetProperty("secretText").ValueKind);
        Assert.Equal("00000002-0000-0ff1-ce00-000000000000", app.GetProperty("requiredResourceAccess")[0].GetProperty("resourceAppId").GetString());

        var (_, principals) = await GetAsync($"servicePrincipals?$filter=appId eq '{current.ClientId}'", token);
        var sp = principals.GetProperty("value").EnumerateArray().Single();
        Assert.Equal(current.EnterpriseAppObjectId.ToString(), sp.GetProperty("id").GetString());
        Assert.True(sp.GetProperty("accountEnabled").GetBoolean());

        var (_, exchange) = await GetAsync("servicePrincipals(appId='00000002-0000-0ff1-ce00-000000000000')?$select=id,appRoles", token);
        var exchangeId = exchange.GetProperty("id").GetString();
        var smtpRole = exchange.GetProperty("appRoles").EnumerateArray().Single(r => r.GetProperty("value").GetString() == "SMTP.SendAsApp").GetProperty("id").GetString();
        Assert.False(exchange.TryGetProperty("displayName", out _));

        var (_, assignments) = await GetAsync($"servicePrincipals/{current.EnterpriseAppObjectId}/appRoleAssignments", token);
        Assert.Contains(assignments.GetProperty("value").EnumerateArray(),
            a => a.GetProperty("resourceId").GetString() == exchangeId && a.GetProperty("appRoleId").GetString() == smtpRole);

        var (_, defaults) = await GetAsync("policies/identitySecurityDefaultsEnforcementPolicy", token);
        Assert.False(defaults.GetProperty("isEnabled").GetBoolean());
        _emulator.Control.SetSecurityDefaults(true);
        _emulator.Control.SetConditionalAccessBlock(true);
        (_, defaults) = await GetAsync("policies/identitySecurityDefaultsEnforcementPolicy", token);
        Assert.True(defaults.GetProperty("isEnabled").GetBoolean());
        var (_, policies) = await GetAsync("identity/conditionalAccess/policies", token);
        Assert.Equal("block", policies.GetProperty("value")[0].GetProperty("grantControls").GetProperty("builtInControls")[0].GetString());
    }

    [Fact]
    public async Task Graph_refuses_missing_tokens_Exchange_tokens_and_tokens_without_roles()
    {
        var (status, body) = await GetAsync("applications", null);
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("InvalidAuthenticationToken", body.GetProperty("error").GetProperty("code").GetString());

        var exchangeToken = (await Msal.WithSecret(_emulator, _emulator.Current.ClientId.ToString()!, _emulator.Current.ClientSecret!)
            .AcquireTokenForClient(new[] { Msal.ExchangeDefault }).ExecuteAsync()).AccessToken;
        (status, _) = await GetAsync("applications", exchangeToken);
        Assert.Equal(HttpStatusCode.Unauthorized, status);

        _emulator.Tenant.AppRoleAssignments.RemoveAll(a => a.ResourceId == _emulator.Tenant.GraphResourceServicePrincipalId);
        (status, body) = await GetAsync("applications", await GraphTokenAsync());
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal("Authorization_RequestDenied", body.GetProperty("error").GetProperty("code").GetString());
    }
}
