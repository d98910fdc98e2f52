using System;
using System.IO;
using OAuthSmtp.Engine.Errors;
using OAuthSmtp.Engine.Retries;

namespace OAuthSmtp.Engine.Profiles;

/// <summary>
/// The cross-process lock around every read-modify-write of the store: a lock file opened with FileShare.None
/// (an exclusive open on Windows, flock on Linux and macOS), retried by the engine's <see cref="RetryPolicy"/> until a bounded wait runs out. Held only
/// for the few milliseconds of one save, so two processes saving at once both get their turn.
/// </summary>
internal sealed class ProfileStoreLock : IDisposable
{
    private readonly FileStream _stream;

    private ProfileStoreLock(FileStream stream)
    {
        _stream = stream;
    }

    public static ProfileStoreLock Acquire(string lockPath, TimeSpan timeout) => Acquire(lockPath, RetryFor(timeout));

    /// <summary>Held by another process or thread: wait a little (10 ms, doubling to 100 ms, jittered so waiters do not march in step) until the time runs out.</summary>
    internal static RetryPolicy RetryFor(TimeSpan timeout, RetryClock? clock = null) =>
        new(int.MaxValue, TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(100)) { Budget = timeout, Clock = clock ?? RetryClock.System };

    internal static ProfileStoreLock Acquire(string lockPath, RetryPolicy retry)
    {
        try
        {
            return retry.Execute(
                _ => new ProfileStoreLock(OpenWithoutFollowingLinks(lockPath)),
                failure => failure is IOException ? RetryDecision.Again : RetryDecision.Stop);
        }
        catch (IOException exception)
        {
            throw new OAuthSmtpException(
                ErrorIds.ProfileStoreBusy,
                ErrorKind.ResourceUnavailable,
                $"The profile store is locked by another process: '{lockPath}' stayed locked for {retry.Budget.GetValueOrDefault().TotalSeconds:0} seconds.",
                "Wait until other OAuthSmtp commands that change profiles have finished, then run the command again. If no other process is running, delete the lock file.",
                lockPath,
                exception);
        }
        catch (UnauthorizedAccessException exception)
        {
            throw new OAuthSmtpException(
                ErrorIds.ProfileStoreWriteFailed,
                ErrorKind.PermissionDenied,
                $"Cannot open the profile store's lock file '{lockPath}': access is denied.",
                "Give your account write access to the folder, or point the environment variable OAUTHSMTP_HOME at a folder you own.",
                lockPath,
                exception);
        }
    }

    /// <summary>
    /// The lock file is ours alone: a symbolic link in its place (dangling or not) is removed, never followed, so a
    /// planted link cannot make a save create or truncate a file elsewhere (issue 13 item 13).
    /// </summary>
    private static FileStream OpenWithoutFollowingLinks(string lockPath)
    {
        var entry = new FileInfo(lockPath);
        entry.Refresh();
        if ((int)entry.Attributes != -1 && (entry.Attributes & FileAttributes.ReparsePoint) != 0)
        {
            File.Delete(lockPath);
        }

        return new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
    }

    public void Dispose() => _stream.Dispose();
}
