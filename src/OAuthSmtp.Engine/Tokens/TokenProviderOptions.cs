using System;
using OAuthSmtp.Engine.Retries;

namespace OAuthSmtp.Engine.Tokens;

/// <summary>Knobs of <see cref="TokenProvider"/>; the defaults are what the module uses.</summary>
public sealed class TokenProviderOptions
{
    /// <summary>
    /// Retries of an unavailable or unreachable token service: 3 attempts, 1 s then 2 s (jittered; a Retry-After
    /// wins, capped at 10 s). MSAL's own retry is off, so this is the only one.
    /// </summary>
    public RetryPolicy Retry { get; set; } = new(3, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10));

    /// <summary>
    /// Longest wait for one answer of the token service (a silent service held each attempt for 100 s, HttpClient's
    /// default); a request's own timeout (-TimeoutSec) shortens it.
    /// </summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The provider's clock: the grace time, certificate expiry and a Retry-After date are judged by its time, and the
    /// time limits (<see cref="RequestTimeout"/>, a request's own timeout) run on its Delay, so tests drive them.
    /// </summary>
    public RetryClock Clock { get; set; } = RetryClock.System;

    /// <summary>Where delegated sign-ins (refresh tokens) are kept; null: "tokens" under the profile store's folder, resolved per call.</summary>
    public string? DelegatedCacheDirectory { get; set; }
}
