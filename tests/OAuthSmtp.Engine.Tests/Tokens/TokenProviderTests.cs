using System;
using System.Collections.Concurrent;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using System.Threading.Tasks;
using OAuthSmtp.Emulator;
using OAuthSmtp.Engine.Errors;
using OAuthSmtp.Engine.Profiles;
using OAuthSmtp.Engine.Retries;
using OAuthSmtp.Engine.Tests.Retries;
using OAuthSmtp.Engine.Tokens;
using Xunit;

namespace OAuthSmtp.Engine.Tests.Tokens;

[Collection(TokenEmulatorCollection.Name)]
public sealed class TokenProviderTests
{
    private readonly TokenEmulatorFixture _fixture;
    private DateTimeOffset _offset;

    public TokenProviderTests(TokenEmulatorFixture fixture)
    {
        _fixture = fixture;
    }

    private ExchangeOnlineEmulator Emulator => _fixture.Emulator;

    private readonly FakeRetryClock _retryClock = new();

    private TokenProvider NewProvider(string? cacheDirectory = null) => new(new TokenProviderOptions
    {
        Retry = new RetryPolicy(3, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10)) { Clock = _retryClock.Clock },
        // Expiry is judged on a clock the test moves; the time limits wait for real (30 s, never reached here).
        Clock = new RetryClock(() => DateTimeOffset.UtcNow + (_offset - DateTimeOffset.MinValue), Task.Delay),
        DelegatedCacheDirectory = cacheDirectory ?? TokenEmulatorFixture.NewTempDirectory(),
    });

    private void AdvanceClock(TimeSpan by) => _offset = (_offset == default ? DateTimeOffset.MinValue : _offset) + by;

    private static TokenRequest SecretRequest(ScenarioInfo info, string? secret = null) =>
        new(TokenEmulatorFixture.Profile(info, CredentialKind.ClientSecret)) { Secret = secret ?? info.ClientSecret };

    [Fact]
    public async Task Client_secret_token_carries_the_claims_Exchange_checks_and_a_second_call_makes_no_request()
    {
        var info = _fixture.Reset();
        var provider = NewProvider();

        var first = await provider.GetTokenAsync(SecretRequest(info), CancellationToken.None);
        var second = await provider.GetTokenAsync(SecretRequest(info), CancellationToken.None);

        Assert.Equal(TokenSource.Service, first.Source);
        Assert.Equal("https://outlook.office365.com", first.Audience);
        Assert.Equal(info.TenantId.ToString(), first.TenantId);
        Assert.Equal(info.ClientId.ToString(), first.ClientId);
        Assert.Equal(info.EnterpriseAppObjectId.ToString(), first.ObjectId);
        Assert.Contains("SMTP.SendAsApp", first.Roles);
        Assert.Equal(TokenIdentityType.App, first.IdentityType);
        Assert.Equal("client secret", first.ClientAuthentication);
        Assert.True(first.SmtpReady);
        Assert.Equal("emu", first.Profile);
        Assert.InRange(first.ExpiresOn, DateTimeOffset.UtcNow.AddMinutes(55), DateTimeOffset.UtcNow.AddMinutes(95));

        Assert.Equal(TokenSource.Cache, second.Source);
        Assert.Equal(first.Token.Value, second.Token.Value);
        Assert.Equal(1, Emulator.Statistics.TokenRequests);
    }

    [Fact]
    public async Task ForceRefresh_asks_the_service_again()
    {
        var info = _fixture.Reset();
        var provider = NewProvider();
        await provider.GetTokenAsync(SecretRequest(info), CancellationToken.None);

        var request = SecretRequest(info);
        request.ForceRefresh = true;
        var refreshed = await provider.GetTokenAsync(request, CancellationToken.None);

        Assert.Equal(TokenSource.Service, refreshed.Source);
        Assert.Equal(2, Emulator.Statistics.TokenRequests);
    }

    [Fact]
    public async Task A_token_is_renewed_once_it_is_within_the_grace_time_of_expiry()
    {
        var info = _fixture.Reset();
        Emulator.Faults.TokenLifetimeSeconds = 600;
        var provider = NewProvider();
        await provider.GetTokenAsync(SecretRequest(info), CancellationToken.None);

        AdvanceClock(TimeSpan.FromSeconds(600 - 31));
        var stillCached = await provider.GetTokenAsync(SecretRequest(info), CancellationToken.None);
        AdvanceClock(TimeSpan.FromSeconds(2));
        var renewed = await provider.GetTokenAsync(SecretRequest(info), CancellationToken.None);

        Assert.Equal(TokenSource.Cache, stillCached.Source);
        Assert.Equal(TokenSource.Service, renewed.Source);
        Assert.Equal(2, Emulator.Statistics.TokenRequests);
    }

    [Fact]
    public async Task MSALs_cache_renews_a_token_with_less_than_five_minutes_left_whatever_the_grace_time()
    {
        var info = _fixture.Reset();
        Emulator.Faults.TokenLifetimeSeconds = 240;
        var profile = TokenEmulatorFixture.Profile(info, CredentialKind.ClientSecret);
        profile.TokenGraceSeconds = 0;
        var provider = NewProvider();

        var first = await provider.GetTokenAsync(new TokenRequest(profile) { Secret = info.ClientSecret }, CancellationToken.None);
        var second = await provider.GetTokenAsync(new TokenRequest(profile) { Secret = info.ClientSecret }, CancellationToken.None);

        // MSAL never hands out a cached token within 5 minutes of its expiry (README: "How the cache works").
        Assert.Equal(TokenSource.Service, first.Source);
        Assert.Equal(TokenSource.Service, second.Source);
        Assert.Equal(2, Emulator.Statistics.TokenRequests);
    }

    [Fact]
    public async Task A_forgotten_profile_gets_a_new_token_for_every_kind_although_MSAL_shares_managed_identity_tokens()
    {
        var info = _fixture.Reset();
        using var environment = Emulator.ApplyManagedIdentityEnvironment();
        var provider = NewProvider();
        var managed = TokenEmulatorFixture.Profile(info, CredentialKind.SystemManagedIdentity, "mi-forget");
        var secret = TokenEmulatorFixture.Profile(info, CredentialKind.ClientSecret, "secret-forget");

        foreach (var profile in new[] { managed, secret })
        {
            TokenRequest Request() => new(profile) { Secret = info.ClientSecret };
            Assert.Equal(TokenSource.Service, (await provider.GetTokenAsync(Request(), CancellationToken.None)).Source);
            Assert.Equal(TokenSource.Cache, (await provider.GetTokenAsync(Request(), CancellationToken.None)).Source);
            provider.Forget(profile);
            Assert.Equal(TokenSource.Service, (await provider.GetTokenAsync(Request(), CancellationToken.None)).Source);
        }

        Assert.Equal(2, Emulator.Statistics.ManagedIdentityRequests);
        Assert.Equal(2, Emulator.Statistics.TokenRequests);
    }

    [Fact]
    public async Task Concurrent_callers_share_one_request()
    {
        var info = _fixture.Reset();
        var provider = NewProvider();

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => provider.GetTokenAsync(SecretRequest(info), CancellationToken.None))));

        Assert.Equal(1, Emulator.Statistics.TokenRequests);
        Assert.Single(results.Select(r => r.Token.Value).Distinct());
    }

    [Fact]
    public async Task Different_secrets_are_cached_apart()
    {
        var info = _fixture.Reset();
        var provider = NewProvider();
        await provider.GetTokenAsync(SecretRequest(info), CancellationToken.None);

        var error = await Assert.ThrowsAsync<OAuthSmtpException>(() => provider.GetTokenAsync(SecretRequest(info, "wrong-secret-value"), CancellationToken.None));

        Assert.Equal(ErrorIds.TokenInvalidClientSecret, error.ErrorId);
    }

    [Fact]
    public async Task A_short_outage_is_retried_and_a_long_one_is_reported()
    {
        var info = _fixture.Reset();
        Emulator.Faults.TokenServiceOutageCount = 1;
        var recovered = await NewProvider().GetTokenAsync(SecretRequest(info), CancellationToken.None);
        Assert.Equal(TokenSource.Service, recovered.Source);

        Emulator.Faults.TokenServiceOutageCount = 100;
        var verbose = new ConcurrentQueue<string>();
        var request = SecretRequest(info);
        request.Verbose = verbose.Enqueue;
        var error = await Assert.ThrowsAsync<OAuthSmtpException>(() => NewProvider().GetTokenAsync(request, CancellationToken.None));

        Assert.Equal(ErrorIds.TokenServiceUnavailable, error.ErrorId);
        Assert.Equal(ErrorKind.ResourceUnavailable, error.Kind);
        Assert.Contains(verbose, line => line.Contains("attempt 3 of 3", StringComparison.Ordinal));
        Emulator.Faults.TokenServiceOutageCount = 0;
    }

    [Fact]
    public async Task A_persistent_503_costs_exactly_the_policys_attempts_because_MSAL_does_not_retry_underneath()
    {
        var info = _fixture.Reset();
        Emulator.Faults.TokenServiceOutageCount = 100;
        try
        {
            var error = await Assert.ThrowsAsync<OAuthSmtpException>(() => NewProvider().GetTokenAsync(SecretRequest(info), CancellationToken.None));

            Assert.Equal(ErrorIds.TokenServiceUnavailable, error.ErrorId);
            // Three attempts of our policy, one request each (with MSAL's retry on 5xx underneath it was six).
            Assert.Equal(3, Emulator.Statistics.TokenRequests);
            Assert.Equal(2, _retryClock.Waits.Count);
        }
        finally
        {
            Emulator.Faults.TokenServiceOutageCount = 0;
        }
    }

    [Fact]
    public async Task A_request_timeout_bounds_the_token_request_retries_included()
    {
        var info = _fixture.Reset();
        Emulator.Faults.TokenServiceOutageCount = 100;
        // One clock for the retry waits and the time limits, moved by the test: nothing here waits for real time.
        var clock = new ManualClock();
        var slowWaits = new RetryPolicy(3, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1)) { Jitter = 0, Clock = clock.Clock };
        var provider = new TokenProvider(new TokenProviderOptions { Retry = slowWaits, Clock = clock.Clock, DelegatedCacheDirectory = TokenEmulatorFixture.NewTempDirectory() });
        var request = SecretRequest(info);
        request.Timeout = TimeSpan.FromSeconds(2);
        try
        {
            var pending = provider.GetTokenAsync(request, CancellationToken.None);

            // The first attempt got its 503 and the policy now waits a minute; two seconds later -TimeoutSec ends it.
            await clock.WaitUntilSomeoneWaitsAsync(TimeSpan.FromMinutes(1), patience: TimeSpan.FromSeconds(60));
            clock.Advance(TimeSpan.FromSeconds(2));
            // (Without the bound the minute never passes on this clock: the real-time guard turns that hang into a failure.)
            var error = await Assert.ThrowsAsync<OAuthSmtpException>(() => pending.WaitAsync(TimeSpan.FromSeconds(60)));

            Assert.Equal(ErrorIds.TokenServiceUnreachable, error.ErrorId);
            Assert.Contains("-TimeoutSec", error.Message, StringComparison.Ordinal);
            Assert.Equal(1, Emulator.Statistics.TokenRequests);
        }
        finally
        {
            Emulator.Faults.TokenServiceOutageCount = 0;
        }
    }

    [Fact]
    public async Task An_unreachable_token_service_is_reported_after_the_retries()
    {
        var info = _fixture.Reset();
        var profile = TokenEmulatorFixture.Profile(info, CredentialKind.ClientSecret);
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var deadPort = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        profile.AuthorityHost = new Uri($"https://localhost:{deadPort}/");

        var error = await Assert.ThrowsAsync<OAuthSmtpException>(() => NewProvider().GetTokenAsync(new TokenRequest(profile) { Secret = info.ClientSecret }, CancellationToken.None));

        Assert.Equal(ErrorIds.TokenServiceUnreachable, error.ErrorId);
        Assert.Equal(ErrorKind.ConnectionError, error.Kind);
    }

    [Fact]
    public async Task A_wrong_scope_is_refused_before_any_request()
    {
        var info = _fixture.Reset();
        var request = SecretRequest(info);
        request.Profile.Scope = "https://outlook.office365.com/SMTP.SendAsApp";

        var error = await Assert.ThrowsAsync<OAuthSmtpException>(() => NewProvider().GetTokenAsync(request, CancellationToken.None));

        Assert.Equal(ErrorIds.TokenScopeInvalid, error.ErrorId);
        Assert.Equal(0, Emulator.Statistics.TokenRequests);
    }

    public static TheoryData<string, string> ServiceErrors => new()
    {
        { "wrong-secret", ErrorIds.TokenInvalidClientSecret },
        { "expired-secret", ErrorIds.TokenClientSecretExpired },
        { "unknown-client", ErrorIds.TokenApplicationNotFound },
        { "unknown-tenant", ErrorIds.TokenTenantNotFound },
        { "unknown-resource", ErrorIds.TokenResourceNotFound },
        { "conditional-access", ErrorIds.TokenBlockedByConditionalAccess },
        { "app-disabled", ErrorIds.TokenApplicationDisabled },
    };

    [Theory]
    [InlineData("contoso")]
    [InlineData("common")]
    public async Task A_malformed_tenant_is_InvalidTenantId_before_any_request(string tenant)
    {
        var info = _fixture.Reset();
        var request = SecretRequest(info);
        request.Profile.TenantId = tenant;

        var error = await Assert.ThrowsAsync<OAuthSmtpException>(() => NewProvider().GetTokenAsync(request, CancellationToken.None));

        Assert.Equal(ErrorIds.InvalidTenantId, error.ErrorId);
        Assert.Equal("emu", error.TargetObject);
        Assert.Equal(0, Emulator.Statistics.TokenRequests);
    }

    [Theory]
    [MemberData(nameof(ServiceErrors))]
    public async Task Each_token_service_refusal_becomes_its_own_error(string situation, string expectedId)
    {
        var info = _fixture.Reset();
        var request = SecretRequest(info);
        switch (situation)
        {
            case "wrong-secret": request.Secret = "AbC8Q~this-is-the-secret-id-not-value"; break;
            case "expired-secret": Emulator.Control.ExpireSecrets(); break;
            case "unknown-client": request.Profile.ClientId = Guid.NewGuid(); break;
            case "unknown-tenant": request.Profile.TenantId = Guid.NewGuid().ToString(); break;
            case "unknown-resource": request.Profile.Scope = "https://outlook.office365.de/.default"; break;
            case "conditional-access": Emulator.Control.SetConditionalAccessBlock(true); break;
            case "app-disabled": Emulator.Control.SetApplicationEnabled(false); break;
        }

        var error = await Assert.ThrowsAsync<OAuthSmtpException>(() => NewProvider().GetTokenAsync(request, CancellationToken.None));

        Assert.Equal(expectedId, error.ErrorId);
        Assert.False(string.IsNullOrWhiteSpace(error.Fix));
        Assert.Equal("emu", error.TargetObject);
        Assert.DoesNotContain(info.ClientSecret!, error.Message, StringComparison.Ordinal);
        Assert.Equal(1, Emulator.Statistics.TokenRequests);
    }

    [Fact]
    public async Task Certificate_by_file_by_object_and_by_thumbprint_all_get_tokens()
    {
        var info = _fixture.Reset();
        using var certificate = NewCertificate();
        Emulator.Control.AddCertificate(X509CertificateLoader.LoadCertificate(certificate.Export(X509ContentType.Cert)));
        var directory = TokenEmulatorFixture.NewTempDirectory();
        var pfx = Path.Combine(directory, "mailer.pfx");
        File.WriteAllBytes(pfx, certificate.Export(X509ContentType.Pfx, "pfx-pass"));

        var byFile = TokenEmulatorFixture.Profile(info, CredentialKind.CertificateFile, "by-file");
        byFile.CertificatePath = pfx;
        var fileToken = await NewProvider().GetTokenAsync(new TokenRequest(byFile) { Secret = "pfx-pass" }, CancellationToken.None);

        var byObject = TokenEmulatorFixture.Profile(info, CredentialKind.CertificateThumbprint, "by-object");
        var objectToken = await NewProvider().GetTokenAsync(new TokenRequest(byObject) { Certificate = certificate }, CancellationToken.None);

        using (var store = new X509Store(StoreName.My, StoreLocation.CurrentUser))
        {
            store.Open(OpenFlags.ReadWrite);
            store.Add(X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pfx, "x"), "x", X509KeyStorageFlags.PersistKeySet | X509KeyStorageFlags.Exportable));
        }

        var byThumbprint = TokenEmulatorFixture.Profile(info, CredentialKind.CertificateThumbprint, "by-thumbprint");
        byThumbprint.CertificateThumbprint = certificate.Thumbprint.ToLowerInvariant();
        byThumbprint.CertificateStoreLocation = "CurrentUser";
        var storeToken = await NewProvider().GetTokenAsync(new TokenRequest(byThumbprint), CancellationToken.None);

        foreach (var token in new[] { fileToken, objectToken, storeToken })
        {
            Assert.Equal("certificate", token.ClientAuthentication);
            Assert.Contains("SMTP.SendAsApp", token.Roles);
        }
    }

    [Fact]
    public async Task A_pfx_is_loaded_once_per_session_and_again_only_when_the_file_changes_or_the_profile_is_forgotten()
    {
        var info = _fixture.Reset();
        using var certificate = NewCertificate();
        Emulator.Control.AddCertificate(X509CertificateLoader.LoadCertificate(certificate.Export(X509ContentType.Cert)));
        var pfx = Path.Combine(TokenEmulatorFixture.NewTempDirectory(), "mailer.pfx");
        File.WriteAllBytes(pfx, certificate.Export(X509ContentType.Pfx, "pfx-pass"));
        var written = File.GetLastWriteTimeUtc(pfx);
        var profile = TokenEmulatorFixture.Profile(info, CredentialKind.CertificateFile, "pfx-once");
        profile.CertificatePath = pfx;
        TokenRequest Request() => new(profile) { Secret = "pfx-pass", ForceRefresh = true };
        var provider = NewProvider();
        await provider.GetTokenAsync(Request(), CancellationToken.None);

        // Same file (same time stamp), unreadable contents: the certificate loaded at the first request still signs.
        File.WriteAllText(pfx, "not a pfx any more");
        File.SetLastWriteTimeUtc(pfx, written);
        var second = await provider.GetTokenAsync(Request(), CancellationToken.None);
        Assert.Equal(TokenSource.Service, second.Source);
        Assert.Equal(2, Emulator.Statistics.TokenRequests);

        // Forgotten (Set-SmtpOAuthProfile, Remove-SmtpOAuthProfile): the file is read again.
        provider.Forget(profile);
        var reread = await Assert.ThrowsAsync<OAuthSmtpException>(() => provider.GetTokenAsync(Request(), CancellationToken.None));
        Assert.Equal(ErrorIds.TokenCertificateUnusable, reread.ErrorId);
    }

    [Fact]
    public async Task Certificate_problems_are_reported_before_or_by_the_service()
    {
        var info = _fixture.Reset();
        using var notUploaded = NewCertificate();
        var rejected = await Assert.ThrowsAsync<OAuthSmtpException>(() =>
            NewProvider().GetTokenAsync(new TokenRequest(TokenEmulatorFixture.Profile(info, CredentialKind.CertificateThumbprint)) { Certificate = notUploaded }, CancellationToken.None));
        Assert.Equal(ErrorIds.TokenCertificateRejected, rejected.ErrorId);

        var missing = TokenEmulatorFixture.Profile(info, CredentialKind.CertificateThumbprint);
        missing.CertificateThumbprint = new string('A', 40);
        var notFound = await Assert.ThrowsAsync<OAuthSmtpException>(() => NewProvider().GetTokenAsync(new TokenRequest(missing), CancellationToken.None));
        Assert.Equal(ErrorIds.TokenCertificateNotFound, notFound.ErrorId);

        var pfx = Path.Combine(TokenEmulatorFixture.NewTempDirectory(), "c.pfx");
        File.WriteAllBytes(pfx, notUploaded.Export(X509ContentType.Pfx, "right"));
        var file = TokenEmulatorFixture.Profile(info, CredentialKind.CertificateFile);
        file.CertificatePath = pfx;
        var wrongPassword = await Assert.ThrowsAsync<OAuthSmtpException>(() => NewProvider().GetTokenAsync(new TokenRequest(file) { Secret = "wrong" }, CancellationToken.None));
        Assert.Equal(ErrorIds.TokenCertificateUnusable, wrongPassword.ErrorId);

        using var publicOnly = X509CertificateLoader.LoadCertificate(notUploaded.Export(X509ContentType.Cert));
        var noKey = await Assert.ThrowsAsync<OAuthSmtpException>(() =>
            NewProvider().GetTokenAsync(new TokenRequest(TokenEmulatorFixture.Profile(info, CredentialKind.CertificateThumbprint)) { Certificate = publicOnly }, CancellationToken.None));
        Assert.Equal(ErrorIds.TokenCertificateUnusable, noKey.ErrorId);
        Assert.Equal(1, Emulator.Statistics.TokenRequests);
    }

    [Fact]
    public async Task Managed_identities_get_tokens_from_the_endpoint_by_every_kind_of_id()
    {
        var info = _fixture.Reset();
        using var environment = Emulator.ApplyManagedIdentityEnvironment();
        var provider = NewProvider();

        var system = TokenEmulatorFixture.Profile(info, CredentialKind.SystemManagedIdentity, "mi-system");
        var systemToken = await provider.GetTokenAsync(new TokenRequest(system), CancellationToken.None);
        Assert.Equal(info.SystemAssignedIdentityObjectId.ToString(), systemToken.ObjectId);
        Assert.Equal(TokenSource.Service, systemToken.Source);
        Assert.Equal(TokenSource.Cache, (await provider.GetTokenAsync(new TokenRequest(system), CancellationToken.None)).Source);

        foreach (var (kind, id) in new[]
                 {
                     (ManagedIdentityIdKind.ClientId, info.UserAssignedIdentityClientId.ToString()!),
                     (ManagedIdentityIdKind.ResourceId, info.UserAssignedIdentityResourceId!),
                     (ManagedIdentityIdKind.ObjectId, info.UserAssignedIdentityObjectId.ToString()!),
                 })
        {
            var user = TokenEmulatorFixture.Profile(info, CredentialKind.UserManagedIdentity, "mi-" + kind);
            user.ManagedIdentityIdKind = kind;
            user.ManagedIdentityId = id;
            var token = await provider.GetTokenAsync(new TokenRequest(user), CancellationToken.None);
            Assert.Equal(info.UserAssignedIdentityObjectId.ToString(), token.ObjectId);
            Assert.Equal(TokenIdentityType.App, token.IdentityType);
        }

        Assert.Equal(4, Emulator.Statistics.ManagedIdentityRequests);
    }

    [Fact]
    public async Task On_an_Azure_VM_managed_identities_get_tokens_through_IMDS()
    {
        var info = _fixture.Reset();
        using var environment = Emulator.ApplyManagedIdentityEnvironment(OAuthSmtp.Emulator.ManagedIdentity.ManagedIdentityHost.AzureVm);
        var provider = NewProvider();

        var system = await provider.GetTokenAsync(new TokenRequest(TokenEmulatorFixture.Profile(info, CredentialKind.SystemManagedIdentity, "vm-system")), CancellationToken.None);
        var user = TokenEmulatorFixture.Profile(info, CredentialKind.UserManagedIdentity, "vm-user");
        user.ManagedIdentityIdKind = ManagedIdentityIdKind.ClientId;
        user.ManagedIdentityId = info.UserAssignedIdentityClientId.ToString();
        var userToken = await provider.GetTokenAsync(new TokenRequest(user), CancellationToken.None);

        Assert.Equal(info.SystemAssignedIdentityObjectId.ToString(), system.ObjectId);
        Assert.Equal(info.UserAssignedIdentityObjectId.ToString(), userToken.ObjectId);
        Assert.Equal("https://outlook.office365.com", system.Audience);
        Assert.Equal(2, Emulator.Statistics.ManagedIdentityRequests);
    }

    [Fact]
    public async Task An_unknown_user_assigned_identity_is_reported_as_unavailable()
    {
        var info = _fixture.Reset();
        using var environment = Emulator.ApplyManagedIdentityEnvironment();
        var user = TokenEmulatorFixture.Profile(info, CredentialKind.UserManagedIdentity);
        user.ManagedIdentityIdKind = ManagedIdentityIdKind.ClientId;
        user.ManagedIdentityId = Guid.NewGuid().ToString();

        var error = await Assert.ThrowsAsync<OAuthSmtpException>(() => NewProvider().GetTokenAsync(new TokenRequest(user), CancellationToken.None));

        Assert.Equal(ErrorIds.TokenManagedIdentityUnavailable, error.ErrorId);
    }

    [Fact]
    public async Task Device_code_sign_in_is_saved_so_a_later_non_interactive_process_renews_silently()
    {
        var info = _fixture.Reset();
        var cache = TokenEmulatorFixture.NewTempDirectory();
        var profile = TokenEmulatorFixture.Profile(info, CredentialKind.DeviceCode, "delegated");
        var messages = new ConcurrentQueue<string>();
        var approver = Task.Run(async () =>
        {
            var pending = await Emulator.Tokens.WaitForDeviceCodeAsync(TimeSpan.FromMinutes(2));
            Assert.NotNull(pending);
            Assert.True(Emulator.Tokens.ApproveDeviceCode(pending!.UserCode));
            return pending.UserCode;
        });

        var signedIn = await NewProvider(cache).GetTokenAsync(
            new TokenRequest(profile) { AllowUserInteraction = true, DeviceCodeMessage = messages.Enqueue },
            CancellationToken.None);
        var userCode = await approver;

        Assert.Contains(messages, m => m.Contains(userCode, StringComparison.Ordinal));
        Assert.Equal(TokenIdentityType.User, signedIn.IdentityType);
        Assert.Equal(info.DelegatedUser, signedIn.UserPrincipalName, ignoreCase: true);
        Assert.Contains("SMTP.Send", signedIn.Scopes);
        var file = Assert.Single(Directory.GetFiles(cache, "delegated-*.cache"));
                if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(cache));
        }

        // A new process (new provider): the saved access token, then a refresh without any person.
        var later = await NewProvider(cache).GetTokenAsync(new TokenRequest(profile) { AllowUserInteraction = false }, CancellationToken.None);
        Assert.Equal(TokenSource.Cache, later.Source);
        var requestsBefore = Emulator.Statistics.TokenRequests;
        var renewed = await NewProvider(cache).GetTokenAsync(new TokenRequest(profile) { AllowUserInteraction = false, ForceRefresh = true }, CancellationToken.None);
        Assert.Equal(TokenSource.Service, renewed.Source);
        Assert.Equal(requestsBefore + 1, Emulator.Statistics.TokenRequests);
    }

    [Theory]
    [InlineData(CredentialKind.DeviceCode)]
    [InlineData(CredentialKind.Interactive)]
    public async Task A_non_interactive_session_without_a_saved_sign_in_fails_at_once(CredentialKind kind)
    {
        var info = _fixture.Reset();
        var deviceCodes = new ConcurrentQueue<string>();

        // "At once" means without starting a sign-in nobody can answer: no device code, no request at all.
        var error = await Assert.ThrowsAsync<OAuthSmtpException>(() =>
            NewProvider().GetTokenAsync(new TokenRequest(TokenEmulatorFixture.Profile(info, kind)) { AllowUserInteraction = false, DeviceCodeMessage = deviceCodes.Enqueue }, CancellationToken.None));

        Assert.Empty(deviceCodes);
        Assert.Equal(ErrorIds.TokenInteractionRequired, error.ErrorId);
        Assert.Contains("not interactive", error.Message, StringComparison.Ordinal);
        Assert.Contains("Get-SmtpOAuthToken -Profile 'emu'", error.Fix, StringComparison.Ordinal);
        Assert.Equal(0, Emulator.Statistics.TokenRequests);
    }

    [Fact]
    public async Task Delegated_consent_missing_and_mfa_are_mapped()
    {
        var info = _fixture.Reset();
        Emulator.Control.RevokeConsent();
        Emulator.Tokens.AutoApproveDeviceCodesFor = info.DelegatedUser;
        try
        {
            var consent = await Assert.ThrowsAsync<OAuthSmtpException>(() =>
                NewProvider().GetTokenAsync(new TokenRequest(TokenEmulatorFixture.Profile(info, CredentialKind.DeviceCode)) { AllowUserInteraction = true }, CancellationToken.None));
            Assert.Equal(ErrorIds.TokenConsentRequired, consent.ErrorId);

            info = _fixture.Reset();
            Emulator.Tokens.AutoApproveDeviceCodesFor = info.DelegatedUser;
            Emulator.Control.SetUserMfa(info.DelegatedUser, mfaRequired: false, registrationRequired: true);
            var registration = await Assert.ThrowsAsync<OAuthSmtpException>(() =>
                NewProvider().GetTokenAsync(new TokenRequest(TokenEmulatorFixture.Profile(info, CredentialKind.DeviceCode)) { AllowUserInteraction = true }, CancellationToken.None));
            Assert.Equal(ErrorIds.TokenMfaRequired, registration.ErrorId);
        }
        finally
        {
            Emulator.Tokens.AutoApproveDeviceCodesFor = null;
        }
    }

    [Fact]
    public async Task The_sender_source_renews_on_demand_and_a_supplied_token_cannot_be_renewed_after_expiry()
    {
        var info = _fixture.Reset();
        var source = NewProvider().CreateSource(SecretRequest(info));

        var first = await source.GetTokenAsync(false, CancellationToken.None);
        var again = await source.GetTokenAsync(false, CancellationToken.None);
        var forced = await source.GetTokenAsync(true, CancellationToken.None);

        Assert.Same(first.Value, again.Value);
        Assert.NotEqual(first.Value, forced.Value);
        Assert.Equal(2, Emulator.Statistics.TokenRequests);

        var supplied = new StaticAccessTokenSource("Bearer " + first.Value);
        Assert.Equal(first.Value, (await supplied.GetTokenAsync(true, CancellationToken.None)).Value);
        var expired = new StaticAccessTokenSource(first.Value, () => DateTimeOffset.UtcNow.AddDays(1));
        var error = await Assert.ThrowsAsync<OAuthSmtpException>(() => expired.GetTokenAsync(false, CancellationToken.None));
        Assert.Equal(ErrorIds.TokenExpired, error.ErrorId);
    }

    private static X509Certificate2 NewCertificate()
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=OAuthSmtp test mailer", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(30));
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pfx, "t"), "t", X509KeyStorageFlags.Exportable);
    }
}
