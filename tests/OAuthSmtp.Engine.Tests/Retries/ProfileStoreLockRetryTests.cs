using System;
using System.Diagnostics;
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
        var watch = Stopwatch.StartNew();

        using (new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None))
        {
            var error = Assert.Throws<OAuthSmtpException>(() => ProfileStoreLock.Acquire(lockPath, ProfileStoreLock.RetryFor(TimeSpan.FromSeconds(10), clock.Clock)));

            Assert.Equal(ErrorIds.ProfileStoreBusy, error.ErrorId);
            Assert.Contains("10 seconds", error.Message, StringComparison.Ordinal);
        }

        var waited = clock.Waits.Aggregate(TimeSpan.Zero, (a, b) => a + b);
        Assert.InRange(waited, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(10.1));
        Assert.True(clock.Waits.Distinct().Count() > 10, "the waits are not jittered");
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(9), $"the test slept ({watch.Elapsed})");

        using (ProfileStoreLock.Acquire(lockPath, ProfileStoreLock.RetryFor(TimeSpan.FromSeconds(10), clock.Clock)))
        {
            // Free again: taken at the first attempt.
        }

        Directory.Delete(directory, recursive: true);
    }
}
