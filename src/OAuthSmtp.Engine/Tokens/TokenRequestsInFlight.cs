using System;
using System.Collections.Generic;
using System.Threading.Tasks;

namespace OAuthSmtp.Engine.Tokens;

/// <summary>
/// One token request in flight per profile, credential and scope: concurrent callers with the same key share it,
/// so N parallel sends that find MSAL's cache empty (or stale) cost one request to the token service, not N.
/// MSAL does not do this itself: two simultaneous AcquireTokenForClient calls on an empty cache both ask the service.
/// This holds no tokens; MSAL's cache does.
/// </summary>
internal sealed class TokenRequestsInFlight
{
    private readonly object _gate = new();
    private readonly Dictionary<string, Task<SmtpOAuthTokenInfo>> _running = new(StringComparer.Ordinal);

    /// <summary>
    /// Joins the request in flight for <paramref name="key"/>, or starts one with <paramref name="acquire"/>.
    /// <paramref name="joined"/> tells whether this caller rode on another's request.
    /// </summary>
    public Task<SmtpOAuthTokenInfo> Join(string key, Func<Task<SmtpOAuthTokenInfo>> acquire, out bool joined)
    {
        TaskCompletionSource<SmtpOAuthTokenInfo> started;
        lock (_gate)
        {
            if (_running.TryGetValue(key, out var running))
            {
                joined = true;
                return running;
            }

            started = new TaskCompletionSource<SmtpOAuthTokenInfo>(TaskCreationOptions.RunContinuationsAsynchronously);
            _running[key] = started.Task;
        }

        joined = false;
        _ = RunAsync(key, acquire, started);
        return started.Task;
    }

    private async Task RunAsync(string key, Func<Task<SmtpOAuthTokenInfo>> acquire, TaskCompletionSource<SmtpOAuthTokenInfo> completion)
    {
        try
        {
            var token = await acquire().ConfigureAwait(false);
            Finish(key);
            completion.TrySetResult(token);
        }
        catch (OperationCanceledException ex)
        {
            Finish(key);
            completion.TrySetCanceled(ex.CancellationToken);
        }
        catch (Exception ex)
        {
            Finish(key);
            completion.TrySetException(ex);
        }
    }

    private void Finish(string key)
    {
        lock (_gate)
        {
            _running.Remove(key);
        }
    }
}
