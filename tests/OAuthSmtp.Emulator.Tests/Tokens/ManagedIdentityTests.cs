using System;
using System.Threading.Tasks;
using Microsoft.Identity.Client;
using Microsoft.Identity.Client.AppConfig;
using OAuthSmtp.Emulator.Tests.Host;
using Xunit;

namespace OAuthSmtp.Emulator.Tests.Tokens;

/// <summary>MSAL's ManagedIdentityApplication reaches the emulator through IDENTITY_ENDPOINT / IDENTITY_HEADER (App Service).</summary>
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
        var result = await systemAssigned.AcquireTokenForManagedIdentity("https://outlook.office365.com").ExecuteAsync();
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
            var userResult = await userAssigned.AcquireTokenForManagedIdentity("https://outlook.office365.com").ExecuteAsync();
            Assert.Equal(_emulator.Current.UserAssignedIdentityObjectId, _emulator.TokenValidator.Validate(userResult.AccessToken, out _)!.ObjectId);
        }

        Assert.True(_emulator.Statistics.ManagedIdentityRequests >= 4);
    }

    [Fact]
    public async Task An_unknown_user_assigned_identity_is_refused()
    {
        using var environment = _emulator.ApplyManagedIdentityEnvironment();
        var app = ManagedIdentityApplicationBuilder.Create(ManagedIdentityId.WithUserAssignedClientId(Guid.NewGuid().ToString())).Build();
        var failure = await Assert.ThrowsAnyAsync<MsalServiceException>(() => app.AcquireTokenForManagedIdentity("https://outlook.office365.com").ExecuteAsync());
        Assert.Contains("No User Assigned or Delegated Managed Identity found", failure.Message);
    }
}

/// <summary>Tests that set process environment variables run one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessEnvironmentCollection
{
    public const string Name = "Process environment";
}
