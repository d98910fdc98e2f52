using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Identity.Client;
using Microsoft.Identity.Client.AppConfig;
using OAuthSmtp.Engine.Errors;
using OAuthSmtp.Engine.Profiles;
using OAuthSmtp.Engine.Retries;
using MsalTokenSource = Microsoft.Identity.Client.TokenSource;

namespace OAuthSmtp.Engine.Tokens;

/// <summary>
/// Gets SMTP access tokens through MSAL.NET for every credential kind of a profile: client secret, certificate
/// (store, file or object), managed identity (system- or user-assigned), device code and browser sign-in.
/// MSAL's own cache is the only token cache: each profile and credential keeps one MSAL application for the
/// session (<see cref="MsalApplications"/>), so a second call within a token's lifetime is served by MSAL without a
/// request. MSAL renews a token 5 minutes before it expires; a profile's longer grace time asks MSAL for a new one
/// earlier (WithForceRefresh), as does -ForceRefresh. Concurrent callers share one request (<see cref="TokenRequestsInFlight"/>).
/// Transient failures of the token service are retried by the engine's one <see cref="RetryPolicy"/>
/// (MSAL's own retry on 5xx is off, so one attempt is one request);
/// every failure leaves as an <see cref="OAuthSmtpException"/> from <see cref="TokenErrorTranslator"/>.
/// </summary>
public sealed class TokenProvider
{
    private static readonly string[] StandardAuthorityHosts =
    {
        "login.microsoftonline.com",
        "login.microsoftonline.us",
        "login.partner.microsoftonline.cn",
        "login.chinacloudapi.cn",
    };

    /// <summary>MSAL does not hand out a cached token that expires within 5 minutes (its AccessTokenExpirationBuffer).</summary>
    private static readonly TimeSpan MsalRenewal = TimeSpan.FromMinutes(5);

    private readonly TokenProviderOptions _options;
    private readonly TokenRequestsInFlight _inFlight = new();
    private readonly MsalApplications _applications = new();

    public TokenProvider(TokenProviderOptions? options = null)
    {
        _options = options ?? new TokenProviderOptions();
    }

    /// <summary>The module's process-wide provider: every cmdlet call shares its cache.</summary>
    public static TokenProvider Shared { get; } = new();

    /// <summary>A token for the request's profile: from MSAL's cache while it is fresh, else from the token service.</summary>
    public async Task<SmtpOAuthTokenInfo> GetTokenAsync(TokenRequest request, CancellationToken cancellationToken)
    {
        if (request is null)
        {
            throw new ArgumentNullException(nameof(request));
        }

        var profile = request.Profile;
        ValidateProfile(profile);
        var scopes = TokenScopes.For(profile.CredentialKind, profile.Scope, profile.Cloud, Target(profile));
        var key = RequestKey(request, scopes);
        for (var round = 0; ; round++)
        {
            var shared = _inFlight.Join(key, () => AcquireWithRetriesAsync(request, scopes, cancellationToken), out var joined);
            if (joined)
            {
                request.Verbose?.Invoke($"Another caller in this process is already requesting a token for {Describe(profile)}; waiting for it instead of sending a second request.");
            }

            try
            {
                return await WaitAsync(shared, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (joined && !cancellationToken.IsCancellationRequested && round < 2)
            {
                // The caller whose request we joined was stopped; ours was not: ask again.
            }
        }
    }

    /// <summary>An <see cref="IAccessTokenSource"/> for the sender: this request, through this provider's MSAL applications.</summary>
    public IAccessTokenSource CreateSource(TokenRequest request) => new ProfileAccessTokenSource(this, request);

    /// <summary>
    /// Forgets cached tokens of a profile (after Set-/Remove-SmtpOAuthProfile): its MSAL applications, their caches and
    /// certificates go; including its saved delegated sign-in when asked.
    /// </summary>
    public void Forget(SmtpOAuthProfile profile, bool includeDelegatedSignIn = false)
    {
        var prefix = KeyPrefix(profile);
        _applications.Remove(key => key.StartsWith(prefix, StringComparison.Ordinal));
        if (includeDelegatedSignIn)
        {
            DelegatedSignInCache.Delete(profile, DelegatedSignInCache.DirectoryFor(_options.DelegatedCacheDirectory));
        }
    }

    private async Task<SmtpOAuthTokenInfo> AcquireWithRetriesAsync(TokenRequest request, TokenScopes scopes, CancellationToken cancellationToken)
    {
        var profile = request.Profile;
        var context = ErrorContext(request);

        // Delegated flows wait for a person (device code, browser): neither retried nor bounded by a timeout.
        var policy = profile.IsDelegated ? RetryPolicy.None : _options.Retry;
        var attemptTimeout = _options.RequestTimeout;
        using var overall = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        ClockCancellation? boundTimer = null;
        if (!profile.IsDelegated && request.Timeout is { } bound)
        {
            // -TimeoutSec: the whole token request, retries included, ends within it.
            boundTimer = ClockCancellation.After(_options.Clock, bound, overall);
            attemptTimeout = bound < attemptTimeout ? bound : attemptTimeout;
        }

        using var stopBoundTimer = boundTimer;

        TimeSpan? retryAfter = null;
        try
        {
            return await policy.ExecuteAsync(
                async (attempt, token) =>
                {
                    using var attemptCancellation = CancellationTokenSource.CreateLinkedTokenSource(token);
                    using var attemptTimer = profile.IsDelegated ? null : ClockCancellation.After(_options.Clock, attemptTimeout, attemptCancellation);

                    try
                    {
                        return await AcquireOnceAsync(request, scopes, attemptCancellation.Token).ConfigureAwait(false);
                    }
                    catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                    {
                        retryAfter = RetryAfter(exception);
                        throw overall.IsCancellationRequested && !cancellationToken.IsCancellationRequested
                            ? BoundExceeded(request, context)
                            : attemptCancellation.IsCancellationRequested && !cancellationToken.IsCancellationRequested
                            ? TokenErrorTranslator.Unreachable(new TimeoutException($"The token service did not answer within {attemptTimeout.TotalSeconds:0.#} s."), context)
                            : TokenErrorTranslator.Translate(exception, context);
                    }
                },
                failure => failure is OAuthSmtpException { ErrorId: ErrorIds.TokenServiceUnavailable or ErrorIds.TokenServiceUnreachable }
                    ? RetryDecision.After(retryAfter)
                    : RetryDecision.Stop,
                retry => request.Verbose?.Invoke($"The token service did not answer usefully ({(retry.Failure as OAuthSmtpException)?.ErrorId}); attempt {retry.NextAttempt} of {retry.MaxAttempts} in {retry.Delay.TotalSeconds:0.#} s."),
                overall.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (overall.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            // The -TimeoutSec bound ran out while waiting between attempts.
            throw BoundExceeded(request, context);
        }
    }

    private static OAuthSmtpException BoundExceeded(TokenRequest request, TokenErrorContext context) =>
        new(
            ErrorIds.TokenServiceUnreachable,
            ErrorKind.OperationTimeout,
            $"The token service at {request.Profile.AuthorityHost.GetLeftPart(UriPartial.Authority)} did not give a token within {request.Timeout.GetValueOrDefault().TotalSeconds:0.#} s (-TimeoutSec), retries included.",
            "Check DNS, the proxy and the firewall for HTTPS (port 443) to the authority host (behind a proxy set HTTPS_PROXY), or allow more time with a larger -TimeoutSec.",
            context.Target);

    private TimeSpan? RetryAfter(Exception exception)
    {
        if (exception is MsalServiceException { Headers.RetryAfter: { } retryAfter })
        {
            return retryAfter.Delta ?? (retryAfter.Date.HasValue ? retryAfter.Date.Value - _options.Clock.UtcNow() : null);
        }

        return null;
    }

    private async Task<SmtpOAuthTokenInfo> AcquireOnceAsync(TokenRequest request, TokenScopes scopes, CancellationToken cancellationToken)
    {
        var profile = request.Profile;
        var grace = TimeSpan.FromSeconds(Math.Max(0, profile.TokenGraceSeconds));
        AuthenticationResult result;
        switch (profile.CredentialKind)
        {
            case CredentialKind.ClientSecret:
            case CredentialKind.CertificateThumbprint:
            case CredentialKind.CertificateFile:
                result = await AcquireForClientAsync(request, scopes, grace, cancellationToken).ConfigureAwait(false);
                break;
            case CredentialKind.SystemManagedIdentity:
            case CredentialKind.UserManagedIdentity:
                result = await AcquireForManagedIdentityAsync(request, scopes, grace, cancellationToken).ConfigureAwait(false);
                break;
            case CredentialKind.DeviceCode:
            case CredentialKind.Interactive:
                result = await AcquireDelegatedAsync(request, scopes, grace, cancellationToken).ConfigureAwait(false);
                break;
            default:
                throw new OAuthSmtpException(ErrorIds.TokenCredentialMissing, ErrorKind.InvalidArgument, $"Unknown credential kind {profile.CredentialKind}.", "Recreate the profile with New-SmtpOAuthProfile.", Target(profile));
        }

        if (string.IsNullOrWhiteSpace(result.AccessToken))
        {
            throw TokenErrorTranslator.NotATokenResponse("its answer has no access_token", ErrorContext(request));
        }

        var source = result.AuthenticationResultMetadata?.TokenSource == MsalTokenSource.Cache ? TokenSource.Cache : TokenSource.Service;
        var claims = JwtClaimsDecoder.TryDecode(result.AccessToken);
        var assessment = claims is null
            ? SmtpTokenAssessment.NotAJwt()
            : SmtpTokenAssessment.Assess(claims, _options.Clock.UtcNow(), profile.Cloud, TokenScopes.IsAppOnly(profile.CredentialKind), profile.CredentialKind is CredentialKind.SystemManagedIdentity or CredentialKind.UserManagedIdentity);
        var info = new SmtpOAuthTokenInfo(new AccessToken(result.AccessToken, result.ExpiresOn), claims, source, profile.Name, assessment);
        request.Verbose?.Invoke(source == TokenSource.Cache
            ? $"Using the cached token for {Describe(profile)}; it expires at {info.ExpiresOn:u} and is renewed {Math.Max(grace.TotalSeconds, MsalRenewal.TotalSeconds):0} s before that."
            : $"The token service issued a token for {Describe(profile)}; it expires at {info.ExpiresOn:u}.");
        return info;
    }

    /// <summary>
    /// MSAL's cached token, unless -ForceRefresh asked for a new one or the cached one has no more than the
    /// profile's grace time left on our clock (MSAL itself renews only within its 5 minutes): then a new one.
    /// </summary>
    private async Task<AuthenticationResult> CachedOrRenewedAsync(TokenRequest request, bool forceRefresh, TimeSpan grace, Func<bool, Task<AuthenticationResult>> acquire)
    {
        var result = await acquire(forceRefresh).ConfigureAwait(false);
        if (forceRefresh || result.AuthenticationResultMetadata?.TokenSource != MsalTokenSource.Cache || result.ExpiresOn - grace > _options.Clock.UtcNow())
        {
            return result;
        }

        request.Verbose?.Invoke($"The cached token for {Describe(request.Profile)} expires at {result.ExpiresOn:u}, within the profile's grace time of {grace.TotalSeconds:0} s; asking for a new one.");
        return await acquire(true).ConfigureAwait(false);
    }

    private async Task<AuthenticationResult> AcquireForClientAsync(TokenRequest request, TokenScopes scopes, TimeSpan grace, CancellationToken cancellationToken)
    {
        var profile = request.Profile;
        if (profile.CredentialKind == CredentialKind.ClientSecret && string.IsNullOrEmpty(request.Secret))
        {
            throw new OAuthSmtpException(
                ErrorIds.TokenCredentialMissing,
                ErrorKind.InvalidArgument,
                string.IsNullOrEmpty(profile.Name) ? "No client secret was given." : $"Profile '{profile.Name}' has no client secret stored.",
                string.IsNullOrEmpty(profile.Name) ? "Give -ClientSecret (a SecureString) or -Credential." : $"Set-SmtpOAuthProfile -Name '{profile.Name}' -ClientSecret (Read-Host -AsSecureString).",
                Target(profile));
        }

        var client = await _applications.GetOrAddAsync(ClientKey(request), () => Task.FromResult(BuildConfidentialClient(request))).ConfigureAwait(false);
        if (client.Certificate is { } certificate)
        {
            // Loaded once, but its expiry is judged at every use: a long session can outlive it.
            CertificateResolver.EnsureUsable(certificate, profile, _options.Clock.UtcNow());
        }

        request.Verbose?.Invoke($"Requesting an app-only token for client {profile.ClientId} from {Authority(profile)} with {client.Description}, scope {scopes.Scopes[0]}: MSAL's cache answers while the token is fresh, else the token service.");
        return await CachedOrRenewedAsync(
            request,
            request.ForceRefresh,
            grace,
            forceRefresh => client.Confidential!
                .AcquireTokenForClient(scopes.Scopes)
                .WithForceRefresh(forceRefresh)
                .ExecuteAsync(cancellationToken)).ConfigureAwait(false);
    }

    private MsalApplications.Entry BuildConfidentialClient(TokenRequest request)
    {
        var profile = request.Profile;
        var builder = ConfidentialClientApplicationBuilder.Create(profile.ClientId.ToString())
            .WithHttpClientFactory(TokenHttpClientFactory.Instance, retryOnceOn5xx: false);
        builder = WithAuthority(builder, profile);
        if (profile.CredentialKind == CredentialKind.ClientSecret)
        {
            return MsalApplications.Entry.ForClient(builder.WithClientSecret(request.Secret).Build(), null, ownsCertificate: false, "a client secret");
        }

        var certificate = CertificateResolver.Resolve(request, _options.Clock.UtcNow());
        var owned = !ReferenceEquals(certificate, request.Certificate);
        try
        {
            return MsalApplications.Entry.ForClient(
                builder.WithCertificate(certificate).Build(),
                certificate,
                owned,
                $"the certificate {certificate.Thumbprint} (valid until {certificate.NotAfter.ToUniversalTime():yyyy-MM-dd})");
        }
        catch
        {
            if (owned)
            {
                certificate.Dispose();
            }

            throw;
        }
    }

    private async Task<AuthenticationResult> AcquireForManagedIdentityAsync(TokenRequest request, TokenScopes scopes, TimeSpan grace, CancellationToken cancellationToken)
    {
        var application = await _applications.GetOrAddAsync(ClientKey(request), () => Task.FromResult(BuildManagedIdentity(request.Profile))).ConfigureAwait(false);
        request.Verbose?.Invoke($"Requesting a token for {application.Description} for the resource {scopes.Resource}: MSAL's cache answers while the token is fresh, else the endpoint.");
        var result = await CachedOrRenewedAsync(
            request,
            request.ForceRefresh || !application.HasServed,
            grace,
            forceRefresh => application.ManagedIdentity!
                .AcquireTokenForManagedIdentity(scopes.Resource)
                .WithForceRefresh(forceRefresh)
                .ExecuteAsync(cancellationToken)).ConfigureAwait(false);
        application.MarkServed();
        return result;
    }

    private static MsalApplications.Entry BuildManagedIdentity(SmtpOAuthProfile profile)
    {
        ManagedIdentityId identity;
        string which;
        if (profile.CredentialKind == CredentialKind.SystemManagedIdentity)
        {
            identity = ManagedIdentityId.SystemAssigned;
            which = "the system-assigned managed identity";
        }
        else
        {
            var id = profile.ManagedIdentityId;
            if (string.IsNullOrWhiteSpace(id))
            {
                throw new OAuthSmtpException(
                    ErrorIds.TokenCredentialMissing,
                    ErrorKind.InvalidArgument,
                    "A user-assigned managed identity needs its client id, resource id or object id.",
                    "Set-SmtpOAuthProfile -Name <name> -ManagedIdentity -ManagedIdentityId <client id | resource id | object id>.",
                    Target(profile));
            }

            var kind = profile.ManagedIdentityIdKind ?? GuessIdKind(id!);
            identity = kind switch
            {
                ManagedIdentityIdKind.ResourceId => ManagedIdentityId.WithUserAssignedResourceId(id),
                ManagedIdentityIdKind.ObjectId => ManagedIdentityId.WithUserAssignedObjectId(id),
                _ => ManagedIdentityId.WithUserAssignedClientId(id),
            };
            which = $"the user-assigned managed identity with {kind} {id}";
        }

        var application = ManagedIdentityApplicationBuilder.Create(identity)
            .WithHttpClientFactory(TokenHttpClientFactory.Instance, retryOnceOn5xx: false)
            .Build();
        return MsalApplications.Entry.ForManagedIdentity(application, which);
    }

    private static async Task<MsalApplications.Entry> BuildSignInAsync(SmtpOAuthProfile profile, string cacheDirectory)
    {
        var builder = PublicClientApplicationBuilder.Create(profile.ClientId.ToString())
            .WithHttpClientFactory(TokenHttpClientFactory.Instance, retryOnceOn5xx: false)
            .WithRedirectUri("http://localhost");
        var application = WithAuthority(builder, profile).Build();

        // The sign-in is kept in MSAL's persistent cache (Microsoft.Identity.Client.Extensions.Msal), shared with later processes.
        await DelegatedSignInCache.AttachAsync(application, profile, cacheDirectory).ConfigureAwait(false);
        return MsalApplications.Entry.ForSignIn(application, "a saved sign-in");
    }

    private async Task<AuthenticationResult> AcquireDelegatedAsync(TokenRequest request, TokenScopes scopes, TimeSpan grace, CancellationToken cancellationToken)
    {
        var profile = request.Profile;
        var cacheDirectory = DelegatedSignInCache.DirectoryFor(_options.DelegatedCacheDirectory);
        var entry = await _applications.GetOrAddAsync(ClientKey(request, cacheDirectory), () => BuildSignInAsync(profile, cacheDirectory)).ConfigureAwait(false);
        var application = entry.Public!;

        // MSAL adds openid, profile and offline_access to every public-client request itself.
        var msalScopes = scopes.Scopes.Where(s => !string.Equals(s, "offline_access", StringComparison.OrdinalIgnoreCase)).ToArray();
        var accounts = (await application.GetAccountsAsync().ConfigureAwait(false)).ToList();
        var account = accounts.FirstOrDefault(a => string.Equals(a.Username, profile.Mailbox, StringComparison.OrdinalIgnoreCase))
                      ?? accounts.FirstOrDefault();
        if (account is not null)
        {
            request.Verbose?.Invoke($"Using the saved sign-in of {account.Username} for {Describe(profile)}{(request.ForceRefresh ? " to get a fresh token" : string.Empty)}.");
            try
            {
                return await CachedOrRenewedAsync(
                    request,
                    request.ForceRefresh,
                    grace,
                    forceRefresh => application.AcquireTokenSilent(msalScopes, account)
                        .WithForceRefresh(forceRefresh)
                        .ExecuteAsync(cancellationToken)).ConfigureAwait(false);
            }
            catch (MsalUiRequiredException exception) when (request.AllowUserInteraction)
            {
                request.Verbose?.Invoke($"The saved sign-in cannot be used silently any more ({exception.ErrorCode}); a new sign-in is needed.");
            }
        }

        var flow = profile.CredentialKind == CredentialKind.DeviceCode ? "device-code" : "browser";
        if (!request.AllowUserInteraction)
        {
            throw InteractionRequired(profile, $"The {flow} sign-in needs a person, and this session is not interactive (no console user, -NonInteractive, or a service), and no saved sign-in exists for {Describe(profile)}.");
        }

        if (profile.CredentialKind == CredentialKind.Interactive)
        {
            if (!request.BrowserAvailable)
            {
                throw InteractionRequired(profile, "The browser sign-in needs a web browser on this computer, and none can be opened here (no desktop session).");
            }

            request.Verbose?.Invoke($"Opening the browser for {Describe(profile)} at {Authority(profile)}.");
            return await application.AcquireTokenInteractive(msalScopes)
                .WithUseEmbeddedWebView(false)
                .ExecuteAsync(cancellationToken)
                .ConfigureAwait(false);
        }

        request.Verbose?.Invoke($"Starting the device-code sign-in for {Describe(profile)} at {Authority(profile)}.");
        return await application.AcquireTokenWithDeviceCode(msalScopes, code =>
            {
                request.DeviceCodeMessage?.Invoke(code.Message);
                return Task.CompletedTask;
            })
            .ExecuteAsync(cancellationToken)
            .ConfigureAwait(false);
    }

    private static OAuthSmtpException InteractionRequired(SmtpOAuthProfile profile, string cause)
    {
        var name = string.IsNullOrEmpty(profile.Name) ? "<name>" : profile.Name.Replace("'", "''");
        return new OAuthSmtpException(
            ErrorIds.TokenInteractionRequired,
            ErrorKind.InvalidOperation,
            cause,
            $"Sign in once from an interactive PowerShell session as the account that runs the task: Get-SmtpOAuthToken -Profile '{name}' (the sign-in is saved for that account and later runs renew it silently); or use an app-only profile (client secret, certificate or managed identity) for unattended sending.",
            Target(profile));
    }

    private static T WithAuthority<T>(T builder, SmtpOAuthProfile profile)
        where T : AbstractApplicationBuilder<T>
    {
        var authority = Authority(profile);
        var host = profile.AuthorityHost.Host;
        if (StandardAuthorityHosts.Any(h => string.Equals(h, host, StringComparison.OrdinalIgnoreCase)))
        {
            return builder.WithAuthority(authority, validateAuthority: true);
        }

        // A host MSAL does not know (a test emulator, a proxy): no instance discovery, no authority validation.
        return builder.WithAuthority(authority, validateAuthority: false).WithInstanceDiscovery(false);
    }

    private static string Authority(SmtpOAuthProfile profile) =>
        profile.AuthorityHost.GetLeftPart(UriPartial.Authority) + "/" + Uri.EscapeDataString(profile.TenantId.Trim());

    private static void ValidateProfile(SmtpOAuthProfile profile)
    {
        var managed = profile.CredentialKind is CredentialKind.SystemManagedIdentity or CredentialKind.UserManagedIdentity;
        if (managed)
        {
            return;
        }

        if (string.IsNullOrWhiteSpace(profile.TenantId))
        {
            throw new OAuthSmtpException(ErrorIds.TokenCredentialMissing, ErrorKind.InvalidArgument, "No tenant was given.", "Give the tenant id or a verified domain with -TenantId.", Target(profile));
        }

        // The one profile validator's rules and ids, so a bad tenant is InvalidTenantId whichever cmdlet got it.
        ProfileValidator.ValidateTenant(profile.TenantId, Target(profile));

        if (profile.ClientId == Guid.Empty)
        {
            throw new OAuthSmtpException(ErrorIds.TokenCredentialMissing, ErrorKind.InvalidArgument, "No client id was given.", "Give the Application (client) ID of the app registration with -ClientId.", Target(profile));
        }

        ProfileValidator.ValidateAuthorityHost(profile.AuthorityHost, Target(profile));
    }

    private static ManagedIdentityIdKind GuessIdKind(string id) =>
        id.StartsWith("/subscriptions/", StringComparison.OrdinalIgnoreCase) ? ManagedIdentityIdKind.ResourceId : ManagedIdentityIdKind.ClientId;

    private static TokenErrorContext ErrorContext(TokenRequest request) => new()
    {
        ProfileName = string.IsNullOrEmpty(request.Profile.Name) ? null : request.Profile.Name,
        TenantId = request.Profile.TenantId,
        ClientId = request.Profile.ClientId == Guid.Empty ? null : request.Profile.ClientId.ToString(),
        CredentialKind = request.Profile.CredentialKind,
        Cloud = request.Profile.Cloud,
        AuthorityHost = request.Profile.AuthorityHost,
        Scope = request.Profile.Scope,
        SecretExpiresOn = request.SecretExpiresOn,
    };

    private static string KeyPrefix(SmtpOAuthProfile profile) => (profile.Name ?? string.Empty).ToUpperInvariant() + "|";

    /// <summary>One request in flight per application and scope.</summary>
    private string RequestKey(TokenRequest request, TokenScopes scopes) =>
        ClientKey(request, request.Profile.IsDelegated ? DelegatedSignInCache.DirectoryFor(_options.DelegatedCacheDirectory) : null) + "|" + string.Join(" ", scopes.Scopes).ToUpperInvariant();

    /// <summary>
    /// The MSAL application's key: profile, authority, tenant, client and the credential's identity (a hash of a
    /// secret, never the secret); for a sign-in also the folder its persistent cache lives in.
    /// </summary>
    private static string ClientKey(TokenRequest request, string? signInCacheDirectory = null)
    {
        var profile = request.Profile;
        string credential = profile.CredentialKind switch
        {
            CredentialKind.ClientSecret => "secret:" + Fingerprint(request.Secret),
            CredentialKind.CertificateThumbprint => "cert:" + (request.Certificate?.Thumbprint ?? profile.CertificateThumbprint ?? string.Empty).ToUpperInvariant(),
            // The file's time too: a .pfx replaced on disk (a rotated certificate) is loaded anew.
            CredentialKind.CertificateFile => "pfx:" + (request.Certificate?.Thumbprint ?? profile.CertificatePath + "#" + Fingerprint(request.Secret) + "#" + LastWrite(profile.CertificatePath)),
            CredentialKind.UserManagedIdentity => "mi:" + profile.ManagedIdentityIdKind + ":" + profile.ManagedIdentityId,
            CredentialKind.SystemManagedIdentity => "mi:system",
            _ => "delegated:" + profile.Mailbox.ToUpperInvariant() + "@" + signInCacheDirectory,
        };

        return string.Join(
            "|",
            KeyPrefix(profile).TrimEnd('|'),
            profile.AuthorityHost.ToString().ToUpperInvariant(),
            profile.TenantId.Trim().ToUpperInvariant(),
            profile.ClientId.ToString(),
            profile.CredentialKind.ToString(),
            credential);
    }

    private static string LastWrite(string? path) =>
        !string.IsNullOrEmpty(path) && System.IO.File.Exists(path) ? System.IO.File.GetLastWriteTimeUtc(path!).Ticks.ToString(CultureInfo.InvariantCulture) : "absent";

    private static string Fingerprint(string? secret)
    {
        if (string.IsNullOrEmpty(secret))
        {
            return "none";
        }

        using var sha = SHA256.Create();
        var hash = sha.ComputeHash(Encoding.UTF8.GetBytes(secret));
        return string.Concat(hash.Take(16).Select(b => b.ToString("x2", CultureInfo.InvariantCulture)));
    }

    private static string Describe(SmtpOAuthProfile profile) =>
        string.IsNullOrEmpty(profile.Name) ? $"client {profile.ClientId}" : $"profile '{profile.Name}'";

    private static object Target(SmtpOAuthProfile profile) =>
        string.IsNullOrEmpty(profile.Name) ? profile.ClientId.ToString() : profile.Name;

    private static async Task<T> WaitAsync<T>(Task<T> task, CancellationToken cancellationToken)
    {
        if (task.IsCompleted || !cancellationToken.CanBeCanceled)
        {
            return await task.ConfigureAwait(false);
        }

        var cancelled = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        using (cancellationToken.Register(() => cancelled.TrySetResult(true)))
        {
            if (await Task.WhenAny(task, cancelled.Task).ConfigureAwait(false) != task)
            {
                throw new OperationCanceledException(cancellationToken);
            }
        }

        return await task.ConfigureAwait(false);
    }
}
