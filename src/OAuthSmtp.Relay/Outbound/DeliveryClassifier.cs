using OAuthSmtp.Engine.Errors;
using OAuthSmtp.Engine.Sending;

namespace OAuthSmtp.Relay.Outbound;

/// <summary>What the relay does with a message Exchange did not take, decided on the engine's error id.</summary>
internal enum DeliveryVerdict
{
    /// <summary>Try again later (4xx, a lost connection before the data ended, the token service unreachable).</summary>
    Retry,

    /// <summary>Try again later, and use one connection fewer for this mailbox for a while (432 4.3.2: another program uses its slots).</summary>
    RetryWithFewerConnections,

    /// <summary>Not delivered and retrying will not help until someone acts: dead letter with reason and fix.</summary>
    DeadLetter,

    /// <summary>Dead letter, and rest the whole mailbox: Exchange locked it out of sending (550 5.2.251-255); every try now prolongs that.</summary>
    DeadLetterAndPauseMailbox,
}

/// <summary>
/// Sorts a failed submission (EXCHANGE-FACTS §5a, §8) into retry or dead letter, and names the dead letter's class:
/// Configuration (authentication, tokens, TLS, the host), Recipient, Size, SendAs, ThrottledMailbox, or Rejected.
/// </summary>
internal static class DeliveryClassifier
{
    public static (DeliveryVerdict Verdict, string Reason) Classify(string? errorId, bool transient)
    {
        switch (errorId)
        {
            case ErrorIds.ConcurrentConnectionLimit:
                return (DeliveryVerdict.RetryWithFewerConnections, "ConcurrentConnectionLimit");
            case ErrorIds.SenderThrottled:
                return (DeliveryVerdict.DeadLetterAndPauseMailbox, "ThrottledMailbox");
            case ErrorIds.SendAsDenied:
                return (DeliveryVerdict.DeadLetter, "SendAs");
            case ErrorIds.MessageTooLarge:
            case ErrorIds.HeaderTooLarge:
                return (DeliveryVerdict.DeadLetter, "Size");
            case ErrorIds.RecipientRejected:
            case ErrorIds.NoRecipients:
            case ErrorIds.InvalidEmailAddress:
            case ErrorIds.SmtpUtf8NotSupported:
                return (DeliveryVerdict.DeadLetter, "Recipient");
            case ErrorIds.SmtpConnectionFailed:
            case ErrorIds.ServerBusy:
            case ErrorIds.IpReputationThrottled:
            case ErrorIds.SmtpTransientFailure:
            case ErrorIds.TokenServiceUnavailable:
            case ErrorIds.TokenServiceUnreachable:
            case ErrorIds.OperationStopped:
            // Before the token is sent: a server that refused EHLO with 4xx looks to the client as if it offered no
            // STARTTLS. Retried; a server that never offers it ends as a dead letter with this reason after the retries.
            case ErrorIds.StartTlsNotOffered:
                return (DeliveryVerdict.Retry, errorId);
            case ErrorIds.SmtpAuthenticationFailed:
            case ErrorIds.SmtpAuthDisabledForTenant:
            case ErrorIds.SmtpAuthDisabledForMailbox:
            case ErrorIds.NotAuthenticated:
            case ErrorIds.MalformedXoauth2:
            case ErrorIds.TlsHandshakeFailed:
            case ErrorIds.TlsVersionNotSupported:
            case ErrorIds.Xoauth2NotOffered:
            case ErrorIds.UntrustedSmtpServer:
            case ErrorIds.ProfileNotFound:
            case ErrorIds.SecretManagementNotAvailable:
                return (DeliveryVerdict.DeadLetter, "Configuration");
        }

        if (transient)
        {
            return (DeliveryVerdict.Retry, errorId ?? "Transient");
        }

        if (errorId is not null && errorId.StartsWith("Token", System.StringComparison.Ordinal))
        {
            return (DeliveryVerdict.DeadLetter, "Configuration");
        }

        return (DeliveryVerdict.DeadLetter, "Rejected");
    }

    public static bool IsTransient(OAuthSmtpException? error) => error is SmtpReplyException { IsTransient: true } || error is SmtpConnectionException;
}
