using System;
using System.Net.Http;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.Identity.Client;
using Microsoft.Identity.Client.AppConfig;
using OAuthSmtp.Emulator.Tests.Host;
using Xunit;

namespace OAuthSmtp.Emulator.Tests.Tokens;

/// <summary>
/// MSAL's ManagedIdentityApplication reaches the emulator through IDENTITY_ENDPOINT / IDENTITY_HEADER (App Service).
/// MSAL keeps managed-identity tokens in one cache per process, shared by every ManagedIdentityApplication, so each
/// request here forces a refresh: another class's emulator (another tenant) may have filled that cache.
/// </summary>
[Collection(ProcessEnvironmentCollection.Name)]
public sealed class ManagedIdentityTests : IClassFixture<EmulatorFixture>
{
    private readonly ExchangeOnlineEmulator _emulator;

    public ManagedIdentityTests(EmulatorFixture fixture)
    {
        _emulator = fixture.Emulator;
        _emulator.Reset(Scenario.Ready);
    }

    [Fact]
    public async Task System_and_user_assigned_identities_get_Exchange_tokens_through_MSAL()
    {
        using var environment = _emulator.ApplyManagedIdentityEnvironment();
        var systemAssigned = ManagedIdentityApplicationBuilder.Create(ManagedIdentityId.SystemAssigned).Build();
        var result = await systemAssigned.AcquireTokenForManagedIdentity("https://outlook.office365.com").WithForceRefresh(true).ExecuteAsync();
        var token = _emulator.TokenValidator.Validate(result.AccessToken, out var failure);
        Assert.True(token is not null, failure);
        Assert.Equal(_emulator.Current.SystemAssignedIdentityObjectId, token!.ObjectId);
        Assert.Equal("https://outlook.office365.com", token.Audience);
        Assert.Equal(new[] { "SMTP.SendAsApp" }, token.Roles);

        foreach (var id in new[]
        {
            ManagedIdentityId.WithUserAssignedClientId(_emulator.Current.UserAssignedIdentityClientId.ToString()!),
            ManagedIdentityId.WithUserAssignedResourceId(_emulator.Current.UserAssignedIdentityResourceId!),
            ManagedIdentityId.WithUserAssignedObjectId(_emulator.Current.UserAssignedIdentityObjectId.ToString()!),
        })
        {
            var userAssigned = ManagedIdentityApplicationBuilder.Create(id).Build();
            var userResult = await userAssigned.AcquireTokenForManagedIdentity("https://outlook.office365.com").WithForceRefresh(true).ExecuteAsync();
            Assert.Equal(_emulator.Current.UserAssignedIdentityObjectId, _emulator.TokenValidator.Validate(userResult.AccessToken, out _)!.ObjectId);
        }

        Assert.True(_emulator.Statistics.ManagedIdentityRequests >= 4);
    }

    [Fact]
    public async Task An_unknown_user_assigned_identity_is_refused()
    {
        using var environment = _emulator.ApplyManagedIdentityEnvironment();
        var app = ManagedIdentityApplicationBuilder.Create(ManagedIdentityId.WithUserAssignedClientId(Guid.NewGuid().ToString())).Build();
        var failure = await Assert.ThrowsAnyAsync<MsalServiceException>(() => app.AcquireTokenForManagedIdentity("https://outlook.office365.com").WithForceRefresh(true).ExecuteAsync());
        Assert.Contains("No User Assigned or Delegated Managed Identity found", failure.Message);
    }
}

/// <summary>
/// The Azure VM protocol (IMDS, MI-DOCS how-to-use-vm-token) and Azure's managed-identity token cache
/// (MI-DOCS managed-identities-faq: "around 24 hours"). MSAL.NET reaches IMDS through AZURE_POD_IDENTITY_AUTHORITY_HOST
/// (ImdsManagedIdentitySource.GetValidatedEndpoint).
/// </summary>
[Collection(ProcessEnvironmentCollection.Name)]
public sealed class ImdsManagedIdentityTests : IClassFixture<EmulatorFixture>
{
    private readonly ExchangeOnlineEmulator _emulator;

    public ImdsManagedIdentityTests(EmulatorFixture fixture)
    {
        _emulator = fixture.Emulator;
        _emulator.Reset(Scenario.Ready);
    }

    [Fact]
    public async Task MSAL_on_an_Azure_VM_gets_an_Exchange_token_from_IMDS()
    {
        using var environment = _emulator.ApplyManagedIdentityEnvironment(ManagedIdentity.ManagedIdentityHost.AzureVm);
        var before = _emulator.Statistics.ManagedIdentityRequests;

        var systemAssigned = await ManagedIdentityApplicationBuilder.Create(ManagedIdentityId.SystemAssigned).Build()
            .AcquireTokenForManagedIdentity("https://outlook.office365.com").WithForceRefresh(true).ExecuteAsync();
        var userAssigned = await ManagedIdentityApplicationBuilder.Create(ManagedIdentityId.WithUserAssignedResourceId(_emulator.Current.UserAssignedIdentityResourceId!)).Build()
            .AcquireTokenForManagedIdentity("https://outlook.office365.com").WithForceRefresh(true).ExecuteAsync();

        var token = _emulator.TokenValidator.Validate(systemAssigned.AccessToken, out var failure);
        Assert.True(token is not null, failure);
        Assert.Equal(_emulator.Current.SystemAssignedIdentityObjectId, token!.ObjectId);
        Assert.Equal(new[] { "SMTP.SendAsApp" }, token.Roles);
        Assert.Equal(_emulator.Current.UserAssignedIdentityObjectId, _emulator.TokenValidator.Validate(userAssigned.AccessToken, out _)!.ObjectId);
        Assert.True(_emulator.Statistics.ManagedIdentityRequests >= before + 2);
    }

    [Fact]
    public async Task IMDS_wants_the_Metadata_header_and_answers_every_value_as_a_string()
    {
        using var http = new HttpClient();
        var url = $"{_emulator.ImdsTokenEndpoint}?api-version=2018-02-01&resource=https://outlook.office365.com";

        using var withoutHeader = await http.GetAsync(url);
        Assert.Equal(400, (int)withoutHeader.StatusCode);
        Assert.Contains("bad_request_102", await withoutHeader.Content.ReadAsStringAsync());

        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Add("Metadata", "true");
        using var response = await http.SendAsync(request);
        Assert.Equal(200, (int)response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        foreach (var name in new[] { "access_token", "refresh_token", "expires_in", "expires_on", "not_before", "resource", "token_type" })
        {
            Assert.Equal(JsonValueKind.String, body.RootElement.GetProperty(name).ValueKind);
        }

        Assert.Equal("https://outlook.office365.com", body.RootElement.GetProperty("resource").GetString());
    }

    [Fact]
    public async Task A_role_granted_to_a_managed_identity_shows_in_its_tokens_only_after_the_token_cache_delay()
    {
        var identity = _emulator.Current.UserAssignedIdentityClientId.ToString()!;
        _emulator.Control.SetPropagationDelay(Model.ChangeKind.ManagedIdentityRoles, OAuthSmtp.Emulator.Model.PropagationDefaults.Realistic[Model.ChangeKind.ManagedIdentityRoles]);
        Assert.True(_emulator.Control.SetManagedIdentityRole(identity, granted: false));
        Assert.True(_emulator.Control.SetManagedIdentityRole(identity));

        Assert.Empty(await RolesAsync(identity));
        _emulator.Clock.Advance(TimeSpan.FromHours(24) + TimeSpan.FromMinutes(1));
        Assert.Equal(new[] { "SMTP.SendAsApp" }, await RolesAsync(identity));
    }

    private async Task<System.Collections.Generic.IReadOnlyList<string>> RolesAsync(string clientId)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{_emulator.ImdsTokenEndpoint}?api-version=2018-02-01&resource=https://outlook.office365.com&client_id={clientId}");
        request.Headers.Add("Metadata", "true");
        using var response = await http.SendAsync(request);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return _emulator.TokenValidator.Validate(body.RootElement.GetProperty("access_token").GetString()!, out _)!.Roles;
    }
}

/// <summary>Tests that set process environment variables run one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessEnvironmentCollection
{
    public const string Name = "Process environment";
}
