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
    public void Retries_wait_the_interval_then_double_it()
    {
        var options = new SendSettings { RetryIntervalSec = 3, TimeoutSec = 20 }.ToSenderOptions(Plan, new FakeTokens());
        Assert.Equal(new[] { 3.0, 6.0, 12.0 }, new[] { 1, 2, 3 }.Select(n => options.RetryDelay(n).TotalSeconds));
        Assert.Equal(20_000, options.TimeoutMs);
        Assert.Equal(("smtp.office365.com", 587, "a@contoso.com"), (options.Host, options.Port, options.Mailbox));
        Assert.Equal(TimeSpan.Zero, new SendSettings { RetryIntervalSec = 0 }.ToSenderOptions(Plan, new FakeTokens()).RetryDelay(2));
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
