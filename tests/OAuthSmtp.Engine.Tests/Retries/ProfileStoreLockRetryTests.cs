using System;
using System.IO;
using System.Linq;
using OAuthSmtp.Engine.Errors;
using OAuthSmtp.Engine.Profiles;
using Xunit;

namespace OAuthSmtp.Engine.Tests.Retries;

/// <summary>The profile-store lock waits through the shared retry policy: bounded by its budget, on the injected clock.</summary>
public sealed class ProfileStoreLockRetryTests
{
    [Fact]
    public void A_held_lock_is_retried_with_jittered_waits_until_the_budget_and_then_reported_busy()
    {
        var directory = Path.Combine(Path.GetTempPath(), "oauthsmtp-lock-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var lockPath = Path.Combine(directory, "profiles.lock");
        var clock = new FakeRetryClock();

        using (new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None))
        {
            var error = Assert.Throws<OAuthSmtpException>(() => ProfileStoreLock.Acquire(lockPath, ProfileStoreLock.RetryFor(TimeSpan.FromSeconds(10), clock.Clock)));

            Assert.Equal(ErrorIds.ProfileStoreBusy, error.ErrorId);
            Assert.Contains("10 seconds", error.Message, StringComparison.Ordinal);
        }

        // The 10 s budget was spent on the injected clock: its waits add up to it (a lock that waited or measured its
        // budget on the real clock would leave them empty or short), with no elapsed-time check that a slow machine fails.
        var waited = clock.Waits.Aggregate(TimeSpan.Zero, (a, b) => a + b);
        Assert.InRange(waited, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(10.1));
        Assert.True(clock.Waits.Distinct().Count() > 10, "the waits are not jittered");

        using (ProfileStoreLock.Acquire(lockPath, ProfileStoreLock.RetryFor(TimeSpan.FromSeconds(10), clock.Clock)))
        {
            // Free again: taken at the first attempt.
        }

        Directory.Delete(directory, recursive: true);
    }
}
