using System;
using System.Diagnostics;
using System.IO;
using System.Threading;
using OAuthSmtp.Engine.Errors;

namespace OAuthSmtp.Engine.Profiles;

/// <summary>
/// The cross-process lock around every read-modify-write of the store: a lock file opened with FileShare.None
/// (an exclusive open on Windows, flock on Linux and macOS), retried until a bounded wait runs out. Held only
/// for the few milliseconds of one save, so two processes saving at once both get their turn.
/// </summary>
internal sealed class ProfileStoreLock : IDisposable
{
    private readonly FileStream _stream;

    private ProfileStoreLock(FileStream stream)
    {
        _stream = stream;
    }

    public static ProfileStoreLock Acquire(string lockPath, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        var delay = 10;
        while (true)
        {
            try
            {
                var stream = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
                return new ProfileStoreLock(stream);
            }
            catch (IOException) when (clock.Elapsed < timeout)
            {
                // Held by another process or thread: wait a little, with jitter so waiters do not march in step.
                Thread.Sleep(delay + ThreadSafeRandom.Next(delay));
                delay = Math.Min(delay * 2, 100);
            }
            catch (IOException exception)
            {
                throw new OAuthSmtpException(
                    ErrorIds.ProfileStoreBusy,
                    ErrorKind.ResourceUnavailable,
                    $"The profile store is locked by another process: '{lockPath}' stayed locked for {timeout.TotalSeconds:0} seconds.",
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
    }

    public void Dispose() => _stream.Dispose();

    private static class ThreadSafeRandom
    {
        private static readonly Random Seed = new();

        public static int Next(int maxValue)
        {
            lock (Seed)
            {
                return Seed.Next(maxValue);
            }
        }
    }
}
