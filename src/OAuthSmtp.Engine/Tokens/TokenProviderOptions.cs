using System;

namespace OAuthSmtp.Engine.Tokens;

/// <summary>Knobs of <see cref="TokenProvider"/>; the defaults are what the module uses.</summary>
public sealed class TokenProviderOptions
{
    /// <summary>Attempts for one token when the service is unavailable or unreachable (first try included).</summary>
    public int MaxAttempts { get; set; } = 3;

    /// <summary>Delay before the second attempt; doubled for each further one (a Retry-After header wins, capped by <see cref="MaxRetryDelay"/>).</summary>
    public TimeSpan InitialRetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Longest wait for one answer of the token service, MSAL's own retries included (without it a silent service
    /// held each attempt for a minute: MSAL retries once after the HTTP timeout).
    /// </summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The clock the cache judges expiry by.</summary>
    public Func<DateTimeOffset> UtcNow { get; set; } = () => DateTimeOffset.UtcNow;

    /// <summary>Where delegated sign-ins (refresh tokens) are kept; null: "tokens" under the profile store's folder, resolved per call.</summary>
    public string? DelegatedCacheDirectory { get; set; }
}
