using System;
using System.Linq;
using OAuthSmtp.Engine.Errors;
using OAuthSmtp.Engine.SendPlanning;
using OAuthSmtp.Engine.Tokens;
using Xunit;

namespace OAuthSmtp.Engine.Tests.SendPlanning;

public sealed class SendSettingsTests
{
    private static readonly SendConnectionPlan Plan = new("smtp.office365.com", 587, "a@contoso.com", "token");

    [Fact]
    public void Retries_wait_the_interval_then_double_it_less_up_to_half_at_random()
    {
        var options = new SendSettings { RetryIntervalSec = 3, TimeoutSec = 20 }.ToSenderOptions(Plan, new FakeTokens());
        Assert.Equal(3, options.Retry.MaxAttempts);
        options.Retry.Random = () => 0;
        Assert.Equal(new[] { 3.0, 6.0 }, new[] { 1, 2 }.Select(n => options.Retry.DelayBefore(n).TotalSeconds));
        options.Retry.Random = () => 0.999;
        Assert.All(new[] { 1, 2 }.Select(n => options.Retry.DelayBefore(n).TotalSeconds / (3 << (n - 1))), share => Assert.InRange(share, 0.5, 0.51));
        Assert.Equal(20_000, options.TimeoutMs);
        Assert.Equal(("smtp.office365.com", 587, "a@contoso.com"), (options.Host, options.Port, options.Mailbox));
        Assert.Equal(TimeSpan.Zero, new SendSettings { RetryIntervalSec = 0 }.ToSenderOptions(Plan, new FakeTokens()).Retry.DelayBefore(2));
    }

    [Theory]
    [InlineData(0, 1, 0)]
    [InlineData(3601, 1, 0)]
    [InlineData(100, -1, 0)]
    [InlineData(100, 601, 0)]
    [InlineData(100, 1, 10_001)]
    public void Options_outside_their_range_are_refused(int timeout, int retry, int throttle)
    {
        var error = Assert.Throws<OAuthSmtpException>(() => new SendSettings { TimeoutSec = timeout, RetryIntervalSec = retry, ThrottleLimit = throttle }.ToSenderOptions(Plan, new FakeTokens()));
        Assert.Equal(ErrorIds.InvalidSendOption, error.ErrorId);
    }

    private sealed class FakeTokens : IAccessTokenSource
    {
        public System.Threading.Tasks.Task<AccessToken> GetTokenAsync(bool forceRefresh, System.Threading.CancellationToken cancellationToken) =>
            throw new NotSupportedException();
    }
}
