using System;
using OAuthSmtp.Engine.Errors;
using OAuthSmtp.Engine.Retries;
using OAuthSmtp.Engine.Sending;
using OAuthSmtp.Engine.Tokens;

namespace OAuthSmtp.Engine.SendPlanning;

/// <summary>
/// Send-SmtpOAuthMessage's sending options, checked, and turned into <see cref="SmtpSenderOptions"/> for a plan.
/// </summary>
public sealed class SendSettings
{
    public string? ProtocolLogPath { get; set; }

    /// <summary>Also log the message content (-ProtocolLogContent); the log holds commands and replies otherwise.</summary>
    public bool ProtocolLogContent { get; set; }

    public string? FailedMessagePath { get; set; }

    /// <summary>Messages per minute at most; 0 does not pace.</summary>
    public int ThrottleLimit { get; set; }

    /// <summary>Seconds for a connection and for each reply (1-3600).</summary>
    public int TimeoutSec { get; set; } = 100;

    /// <summary>Seconds before the first retry, doubled for each further one, less up to half at random (0-600; 0 retries at once).</summary>
    public int RetryIntervalSec { get; set; } = 1;

    public SmtpSenderOptions ToSenderOptions(SendConnectionPlan plan, IAccessTokenSource tokens)
    {
        Check(ThrottleLimit, 0, 10_000, "-ThrottleLimit");
        Check(TimeoutSec, 1, 3600, "-TimeoutSec");
        Check(RetryIntervalSec, 0, 600, "-RetryIntervalSec");
        return new SmtpSenderOptions(plan.Host, plan.Port, plan.Mailbox, tokens)
        {
            ProtocolLogPath = ProtocolLogPath,
            ProtocolLogContent = ProtocolLogContent,
            FailedMessagePath = FailedMessagePath,
            MessagesPerMinute = ThrottleLimit,
            TimeoutMs = TimeoutSec * 1000,
            Retry = RetryPolicyFor(RetryIntervalSec),
        };
    }

    /// <summary>3 attempts; the first retry after up to <paramref name="retryIntervalSec"/> seconds, the second after up to twice that (jittered).</summary>
    public static RetryPolicy RetryPolicyFor(int retryIntervalSec) =>
        new(3, TimeSpan.FromSeconds(retryIntervalSec), TimeSpan.FromSeconds(2 * retryIntervalSec));

    private static void Check(int value, int min, int max, string parameter)
    {
        if (value < min || value > max)
        {
            throw new OAuthSmtpException(
                ErrorIds.InvalidSendOption,
                ErrorKind.InvalidArgument,
                $"{parameter} {value} is outside {min}-{max}.",
                $"Give {parameter} a value from {min} to {max}, or leave it out for the default.",
                value);
        }
    }
}
