namespace OAuthSmtp.Engine.Errors;

/// <summary>Ids of Send-SmtpOAuthMessage: bad input found before sending, and every SMTP reply of EXCHANGE-FACTS 5a.</summary>
public static partial class ErrorIds
{
    // Input, found before anything is sent.

    /// <summary>An address in From, To, Cc, Bcc or ReplyTo cannot be parsed as a mailbox.</summary>
    public const string InvalidEmailAddress = nameof(InvalidEmailAddress);

    /// <summary>No To, Cc or Bcc recipient.</summary>
    public const string NoRecipients = nameof(NoRecipients);

    /// <summary>No From address and no profile mailbox to default to.</summary>
    public const string SenderRequired = nameof(SenderRequired);

    /// <summary>An attachment or inline attachment path does not exist.</summary>
    public const string AttachmentNotFound = nameof(AttachmentNotFound);

    /// <summary>An attachment exists but cannot be opened for reading.</summary>
    public const string AttachmentUnreadable = nameof(AttachmentUnreadable);

    /// <summary>A -MessagePath .eml file that was read when planned became unreadable before its content was sent.</summary>
    public const string MessageFileUnreadable = nameof(MessageFileUnreadable);

    /// <summary>CR or LF inside Subject or a header value: header injection.</summary>
    public const string HeaderInjection = nameof(HeaderInjection);

    /// <summary>A -Headers name that is malformed or that a parameter of its own controls (From, To, Subject...).</summary>
    public const string InvalidHeader = nameof(InvalidHeader);

    /// <summary>The message is larger than the SIZE the server advertises.</summary>
    public const string MessageTooLarge = nameof(MessageTooLarge);

    /// <summary>An address needs SMTPUTF8 (non-ASCII local part) and the server does not offer it.</summary>
    public const string SmtpUtf8NotSupported = nameof(SmtpUtf8NotSupported);

    /// <summary>A -Message / -MessagePath input that is not a MIME message, a result carrying one, or a readable .eml file.</summary>
    public const string InvalidMessageInput = nameof(InvalidMessageInput);

    /// <summary>Neither -Profile nor -AccessToken (nor a Credential carrying a token) says how to authenticate.</summary>
    public const string SendCredentialMissing = nameof(SendCredentialMissing);

    /// <summary>-Credential's password or -AccessToken is not an access token (a JWT): a password, refused before any connection.</summary>
    public const string NotAnAccessToken = nameof(NotAnAccessToken);

    /// <summary>A sending option (-TimeoutSec, -RetryIntervalSec, -ThrottleLimit) outside its range.</summary>
    public const string InvalidSendOption = nameof(InvalidSendOption);

    // Connection.

    /// <summary>TCP connection to the SMTP server failed (DNS, refused, timeout).</summary>
    public const string SmtpConnectionFailed = nameof(SmtpConnectionFailed);

    /// <summary>The server's TLS certificate is not trusted, or the TLS handshake failed.</summary>
    public const string TlsHandshakeFailed = nameof(TlsHandshakeFailed);

    /// <summary>The server does not offer STARTTLS: the module never sends a token over plain text.</summary>
    public const string StartTlsNotOffered = nameof(StartTlsNotOffered);

    /// <summary>The server does not offer AUTH XOAUTH2.</summary>
    public const string Xoauth2NotOffered = nameof(Xoauth2NotOffered);

    /// <summary>The connection dropped after the whole message was sent and before the server answered.</summary>
    public const string DeliveryUnknown = nameof(DeliveryUnknown);

    /// <summary>A failed message could not be written to -FailedMessagePath.</summary>
    public const string FailedMessageNotSaved = nameof(FailedMessageNotSaved);

    // SMTP replies of EXCHANGE-FACTS 5a.

    /// <summary>535 5.7.3: Exchange does not accept this app (or user) for the mailbox.</summary>
    public const string SmtpAuthenticationFailed = nameof(SmtpAuthenticationFailed);

    /// <summary>535 5.7.139 ... disabled for the Tenant.</summary>
    public const string SmtpAuthDisabledForTenant = nameof(SmtpAuthDisabledForTenant);

    /// <summary>535 5.7.139 ... disabled for the Mailbox.</summary>
    public const string SmtpAuthDisabledForMailbox = nameof(SmtpAuthDisabledForMailbox);

    /// <summary>535 5.7.139 basic authentication is disabled, or 550 5.7.30: Basic AUTH refused.</summary>
    public const string BasicAuthDisabled = nameof(BasicAuthDisabled);

    /// <summary>535 5.7.139 ... security defaults policy.</summary>
    public const string SecurityDefaultsBlockSmtpAuth = nameof(SecurityDefaultsBlockSmtpAuth);

    /// <summary>535 5.7.139 ... did not meet the criteria (Conditional Access / MFA).</summary>
    public const string ConditionalAccessBlockSmtpAuth = nameof(ConditionalAccessBlockSmtpAuth);

    /// <summary>535 5.7.139 ... user credentials were incorrect (Basic password).</summary>
    public const string SmtpCredentialsIncorrect = nameof(SmtpCredentialsIncorrect);

    /// <summary>501 5.5.124: the XOAUTH2 blob was malformed.</summary>
    public const string MalformedXoauth2 = nameof(MalformedXoauth2);

    /// <summary>530 5.7.57: MAIL without a successful AUTH.</summary>
    public const string NotAuthenticated = nameof(NotAuthenticated);

    /// <summary>554 5.2.0 ...SendAsDeniedException, 554 5.2.252 SendAsDenied or 550 5.7.60: the authenticating mailbox has no Send As right on From.</summary>
    public const string SendAsDenied = nameof(SendAsDenied);

    /// <summary>432 4.3.2 at the end of the data: more than 3 messages submitted at once for the mailbox.</summary>
    public const string ConcurrentConnectionLimit = nameof(ConcurrentConnectionLimit);

    /// <summary>554 5.2.0 SubmissionQuotaExceeded: more than 10,000 recipients in 24 hours.</summary>
    public const string SubmissionQuotaExceeded = nameof(SubmissionQuotaExceeded);

    /// <summary>554 5.2.2: the sending mailbox is full.</summary>
    public const string MailboxFull = nameof(MailboxFull);

    /// <summary>451 4.7.500: service-side throttling.</summary>
    public const string ServerBusy = nameof(ServerBusy);

    /// <summary>451 4.7.650: IP reputation throttling.</summary>
    public const string IpReputationThrottled = nameof(IpReputationThrottled);

    /// <summary>550 5.7.708: the outbound IP is blocked.</summary>
    public const string OutboundIpBlocked = nameof(OutboundIpBlocked);

    /// <summary>550 5.7.705: the tenant exceeded its threshold.</summary>
    public const string TenantSendingBlocked = nameof(TenantSendingBlocked);

    /// <summary>550 5.7.501: spam abuse detected.</summary>
    public const string SpamAbuseDetected = nameof(SpamAbuseDetected);

    /// <summary>550 5.1.8: the mailbox is on the Restricted Users list.</summary>
    public const string RestrictedSender = nameof(RestrictedSender);

    /// <summary>550 5.7.520: external forwarding is blocked by the outbound spam policy.</summary>
    public const string ExternalForwardingBlocked = nameof(ExternalForwardingBlocked);

    /// <summary>550 5.2.251-5.2.255 "Sender throttled due to continuous ...": the mailbox is locked out of sending for a while.</summary>
    public const string SenderThrottled = nameof(SenderThrottled);

    /// <summary>554 5.2.0 …InvalidLicenseException (after the data): a user mailbox without a valid Exchange Online licence, or one whose licence has not reached SMTP yet.</summary>
    public const string MailboxUnlicensed = nameof(MailboxUnlicensed);

    /// <summary>552 5.3.4 "Header size exceeds fixed maximum size".</summary>
    public const string HeaderTooLarge = nameof(HeaderTooLarge);

    /// <summary>421 4.7.66: the connection negotiated TLS 1.0 or 1.1; Exchange Online requires TLS 1.2.</summary>
    public const string TlsVersionNotSupported = nameof(TlsVersionNotSupported);

    /// <summary>
    /// Not tried: an earlier failure stops the rest of the pipeline (a sender lockout, or the same connection or
    /// token failure for several messages in a row). The message is carried and can be sent again.
    /// </summary>
    public const string PipelineHalted = nameof(PipelineHalted);

    /// <summary>A recipient was refused (RCPT TO 5xx).</summary>
    public const string RecipientRejected = nameof(RecipientRejected);

    /// <summary>Any other 4xx reply.</summary>
    public const string SmtpTransientFailure = nameof(SmtpTransientFailure);

    /// <summary>Any other 5xx reply.</summary>
    public const string SmtpCommandFailed = nameof(SmtpCommandFailed);
}
