using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace OAuthSmtp.Engine.Tokens;

/// <summary>
/// The in-process cache in front of MSAL: one entry per profile and credential identity, valid until its
/// expiry minus the profile's grace time; concurrent callers with the same key share one request (one
/// in-flight task per key), so N parallel sends cost one token request.
/// </summary>
internal sealed class AccessTokenCache
{
    private readonly object _gate = new();
    private readonly Dictionary<string, SmtpOAuthTokenInfo> _entries = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Task<SmtpOAuthTokenInfo>> _inFlight = new(StringComparer.Ordinal);
    private readonly Func<DateTimeOffset> _utcNow;

    public AccessTokenCache(Func<DateTimeOffset> utcNow)
    {
        _utcNow = utcNow;
    }

    /// <summary>A cached token still valid for at least <paramref name="grace"/>, or null.</summary>
    public SmtpOAuthTokenInfo? TryGetFresh(string key, TimeSpan grace)
    {
        lock (_gate)
        {
            return _entries.TryGetValue(key, out var entry) && entry.ExpiresOn - grace > _utcNow() ? entry : null;
        }
    }

    /// <summary>Whether an entry exists at all (fresh or not): a stale one means "renew", not "first sign-in".</summary>
    public bool HasEntry(string key)
    {
        lock (_gate)
        {
            return _entries.ContainsKey(key);
        }
    }

    /// <summary>
    /// Joins the request in flight for <paramref name="key"/>, or starts one with <paramref name="acquire"/>.
    /// <paramref name="joined"/> tells whether this caller rode on another's request.
    /// </summary>
    public Task<SmtpOAuthTokenInfo> Acquire(string key, Func<Task<SmtpOAuthTokenInfo>> acquire, out bool joined)
    {
        TaskCompletionSource<SmtpOAuthTokenInfo> started;
        lock (_gate)
        {
            if (_inFlight.TryGetValue(key, out var running))
            {
                joined = true;
                return running;
            }

            started = new TaskCompletionSource<SmtpOAuthTokenInfo>(TaskCreationOptions.RunContinuationsAsynchronously);
            _inFlight[key] = started.Task;
        }

        joined = false;
        _ = RunAsync(key, acquire, started);
        return started.Task;
    }

    public void Remove(Func<string, bool> match)
    {
        lock (_gate)
        {
            var doomed = new List<string>();
            foreach (var key in _entries.Keys)
            {
                if (match(key))
                {
                    doomed.Add(key);
                }
            }

            foreach (var key in doomed)
            {
                _entries.Remove(key);
            }
        }
    }

    private async Task RunAsync(string key, Func<Task<SmtpOAuthTokenInfo>> acquire, TaskCompletionSource<SmtpOAuthTokenInfo> completion)
    {
        try
        {
            var token = await acquire().ConfigureAwait(false);
            lock (_gate)
            {
                _entries[key] = token;
                _inFlight.Remove(key);
            }

            completion.TrySetResult(token);
        }
        catch (OperationCanceledException ex)
        {
            lock (_gate)
            {
                _inFlight.Remove(key);
            }

            completion.TrySetCanceled(ex.CancellationToken);
        }
        catch (Exception ex)
        {
            lock (_gate)
            {
                _inFlight.Remove(key);
            }

            completion.TrySetException(ex);
        }
    }
}
