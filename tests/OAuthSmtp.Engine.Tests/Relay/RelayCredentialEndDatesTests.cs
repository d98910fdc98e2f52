using System;
using System.IO;
using System.Linq;
using System.Net;
using System.Text.Json.Nodes;
using OAuthSmtp.Engine.Profiles;
using OAuthSmtp.Engine.Relay;
using OAuthSmtp.Engine.Secrets;
using OAuthSmtp.Engine.Tests.Setup.Provisioning;
using Xunit;

namespace OAuthSmtp.Engine.Tests.Relay;

/// <summary>
/// A client secret made in the Entra portal: its end date is in Entra ID only. Read through the admin's Graph session
/// (the fake directory here), matched to the profile's secret as the doctor matches it, and recorded in the relay's
/// profile, so the relay warns before it expires; what cannot be told is said, and nothing is recorded.
/// </summary>
public sealed class RelayCredentialEndDatesTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 12, 4, 0, 0, 0, TimeSpan.Zero);

    private readonly string _home = Path.Combine(Path.GetTempPath(), "oauthsmtp-relay-enddate-tests", Guid.NewGuid().ToString("N"));
    private readonly FakeGraphDirectory _graph = new();
    private readonly RelayConfigurationStore _store;
    private readonly ProfileStore _profiles;
    private readonly string _appId = Guid.NewGuid().ToString();

    public RelayCredentialEndDatesTests()
    {
        _store = new RelayConfigurationStore(_home);
        _store.Create(RelayConfiguration.CreateDefault(_home, 2525), overwrite: false);
        _profiles = new ProfileStore(Path.Combine(_home, "profiles"));
        var profile = new SmtpOAuthProfile
        {
            Name = "Scanner",
            TenantId = "contoso.onmicrosoft.com",
            ClientId = Guid.Parse(_appId),
            Mailbox = "scanner@contoso.com",
            CredentialKind = CredentialKind.ClientSecret,
        };
        using var secret = new NetworkCredential(string.Empty, "Abc8Q~portal-made-secret-value").SecurePassword;
        _profiles.SaveProfile(profile, new SecretMaterial(secret, allowUnprotectedStorage: true), overwrite: false);
        _store.Update(c => c.Clients.Add(new RelayClient { Name = "Printer", Profile = "Scanner", Mailbox = "scanner@contoso.com", AllowedSources = { "127.0.0.1/32" }, AllowedSenders = { "scanner@contoso.com" } }));
    }

    public void Dispose()
    {
        if (Directory.Exists(_home))
        {
            Directory.Delete(_home, recursive: true);
        }
    }

    private void App(params (string KeyId, string Hint, DateTimeOffset End)[] secrets) => _graph.Applications.Add(new JsonObject
    {
        ["id"] = Guid.NewGuid().ToString(),
        ["appId"] = _appId,
        ["displayName"] = "Scanner relay",
        ["passwordCredentials"] = new JsonArray(secrets.Select(s => (JsonNode)new JsonObject { ["keyId"] = s.KeyId, ["displayName"] = "portal " + s.Hint, ["hint"] = s.Hint, ["endDateTime"] = s.End.ToString("o") }).ToArray()),
        ["keyCredentials"] = new JsonArray(),
    });

    [Fact]
    public void The_profiles_secret_is_told_apart_by_its_hint_and_its_end_date_recorded_for_the_relay()
    {
        Assert.Equal("Scanner", Assert.Single(RelayCredentialEndDates.Unknown(_store)).Name);
        Assert.Contains("Connect-MgGraph -Scopes Application.Read.All; Get-SmtpOAuthRelay", RelayCredentialEndDates.UnknownMessage("Scanner"));
        App(("11111111-0000-0000-0000-000000000001", "Xyz", Now.AddDays(300)), ("11111111-0000-0000-0000-000000000002", "Abc", Now.AddDays(12)));

        var outcome = Assert.Single(RelayCredentialEndDates.Record(_store, _graph, Now));

        Assert.Equal(Now.AddDays(12), outcome.EndsOn);
        Assert.True(outcome.ExpiresSoon);
        Assert.Contains("expires on 2026-12-16, in 12 day(s)", outcome.Message);
        Assert.Contains("Update-SmtpOAuthCredential -Profile 'Scanner' -RemoveOld", outcome.Message);
        var stored = _profiles.GetStoredProfile("Scanner");
        Assert.Equal(Now.AddDays(12), stored.CredentialEndsOn);
        Assert.Equal("11111111-0000-0000-0000-000000000002", stored.CredentialKeyId);
        using (var secret = _profiles.ReadSecret(stored))
        {
            Assert.Equal("Abc8Q~portal-made-secret-value", new NetworkCredential(string.Empty, secret).Password);
        }

        Assert.Empty(RelayCredentialEndDates.Unknown(_store));
        Assert.Empty(RelayCredentialEndDates.Record(_store, _graph, Now));
    }

    [Fact]
    public void Secrets_that_cannot_be_told_apart_record_nothing_and_say_so()
    {
        App(("11111111-0000-0000-0000-000000000001", "Xyz", Now.AddDays(300)), ("11111111-0000-0000-0000-000000000002", "Def", Now.AddDays(12)));

        var outcome = Assert.Single(RelayCredentialEndDates.Record(_store, _graph, Now));

        Assert.Null(outcome.EndsOn);
        Assert.Contains("cannot be told apart", outcome.Message);
        Assert.Null(_profiles.GetStoredProfile("Scanner").CredentialEndsOn);
    }

    [Fact]
    public void An_app_the_session_does_not_see_records_nothing_and_names_the_tenant()
    {
        var outcome = Assert.Single(RelayCredentialEndDates.Record(_store, _graph, Now));

        Assert.Null(outcome.EndsOn);
        Assert.Contains("contoso.onmicrosoft.com", outcome.Message);
        Assert.Single(RelayCredentialEndDates.Unknown(_store));
    }

    [Fact]
    public void A_far_end_date_is_recorded_without_alarm()
    {
        App(("11111111-0000-0000-0000-000000000003", "Abc", Now.AddDays(200)));

        var outcome = Assert.Single(RelayCredentialEndDates.Record(_store, _graph, Now));

        Assert.False(outcome.ExpiresSoon);
        Assert.DoesNotContain("Rotate", outcome.Message);
        Assert.Equal(Now.AddDays(200), _profiles.GetStoredProfile("Scanner").CredentialEndsOn);
    }
}
