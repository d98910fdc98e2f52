namespace OAuthSmtp.Emulator.Smtp;

/// <summary>
/// Reply texts of the submission endpoint. Labels follow EXCHANGE-FACTS: documented, observed (verbatim from logs),
/// inferred (Exchange's usual text for the situation, not confirmed for Exchange Online submission).
/// Texts that take the host tag get it appended by the session.
/// </summary>
internal static class SmtpReplies
{
    // Observed (§4).
    public const string StartTlsReady = "220 2.0.0 SMTP server ready";
    public const string SendHelloFirst = "503 5.5.2 Send hello first";
    public const string SenderOk = "250 2.1.0 Sender OK";
    public const string RecipientOk = "250 2.1.5 Recipient OK";
    public const string StartMailInput = "354 Start mail input; end with <CRLF>.<CRLF>";
    public const string AuthenticationSucceeded = "235 2.7.0 Authentication successful";
    public const string SaslEmptyChallenge = "334 ";
    public const string LoginUsernameChallenge = "334 VXNlcm5hbWU6";
    public const string LoginPasswordChallenge = "334 UGFzc3dvcmQ6";

    // Observed / documented (§5a); the 530 new text and 554 5.2.0 take the host tag.
    public const string NotAuthenticated = "530 5.7.57 Client not authenticated to send mail.";
    public const string NotAuthenticatedLegacy = "530 5.7.57 SMTP; Client was not authenticated to send anonymous mail during MAIL FROM";
    public const string ConcurrencyExceeded = "432 4.3.2 Concurrent connections limit exceeded.";

    /// <summary>The THROTTLE-DOC text until June 2025 and the logs' text; the real reply ends with [Hostname=…].</summary>
    public static string ConcurrencyExceededLegacy(string hostName) => $"432 4.3.2 STOREDRV.ClientSubmit; sender thread limit exceeded [Hostname={hostName}]";

    /// <summary>TLS 1.0/1.1 negotiated: the handshake completes, then this [OBS: zehm/sendEmail#1]; the host tag is the server's name in capitals.</summary>
    public static string LegacyTlsNotSupported(string hostName) =>
        $"421 4.7.66 TLS 1.0 and 1.1 are not supported. Please upgrade/update your client to support TLS 1.2. Visit https://aka.ms/smtp_auth_tls. [{hostName.ToUpperInvariant()}]";

    /// <summary>The header block is over the limit, or (setting) a BDAT message with attachments [OBS: jstedfast/MailKit#904].</summary>
    public const string HeaderTooLarge = "552 5.3.4 Header size exceeds fixed maximum size";

    /// <summary>Continuous error throttling [DOC: CET-DOC, texts verbatim].</summary>
    public static string SenderThrottled(ContinuousErrorKind kind) => kind switch
    {
        ContinuousErrorKind.MailboxFull => "550 5.2.251 Sender throttled due to continuous mailbox full errors.",
        ContinuousErrorKind.SendAsDenied => "550 5.2.252 Sender throttled due to continuous send as denied errors.",
        ContinuousErrorKind.InvalidLicense => "550 5.2.253 Sender throttled due to continuous invalid license errors.",
        ContinuousErrorKind.TooManyRecipients => "550 5.2.254 Sender throttled due to continuous too many recipients errors.",
        _ => "550 5.2.255 Sender throttled due to continuous invalid recipients errors.",
    };
    public const string SubmissionQuotaExceeded =
        "554 5.2.0 STOREDRV.Submission.Exception:SubmissionQuotaExceededException; Failed to process message due to a permanent exception with message [BeginDiagnosticData]Cannot submit message. 0.35250:0A00F882, 1.36674:0A000000, 1.61250:00000000[EndDiagnosticData]";

    /// <summary>Service-side throttling [OBS; usually an inbound/EOP reply]; the S code varies, S77 is the one users quote.</summary>
    public static string ServerBusy(string clientAddress) => $"451 4.7.500 Server busy. Please try again later from [{clientAddress}]. (S77)";

    // Inferred: Exchange's usual texts for these situations.
    public const string UnrecognizedAuthenticationType = "504 5.7.4 Unrecognized authentication type";
    public const string AlreadyAuthenticated = "503 5.5.2 Already authenticated";
    public const string AuthenticationAborted = "501 5.0.0 Authentication aborted";
    public const string CannotBase64Decode = "501 5.5.2 Cannot Base64-decode Client responses";
    public const string OnlyOneStartTls = "503 5.5.2 Only one STARTTLS command can be issued per session";
    public const string InvalidDomainName = "501 5.5.4 Invalid domain name";
    public const string InvalidArguments = "501 5.5.4 Invalid arguments";
    public const string InvalidSenderAddress = "501 5.1.7 Invalid address";
    public const string InvalidRecipientAddress = "501 5.1.3 Invalid address";
    public const string SenderAlreadySpecified = "503 5.5.2 Sender already specified";
    public const string NeedMailCommand = "503 5.5.2 Need mail command";
    public const string NeedRcptCommand = "503 5.5.2 Need rcpt command";
    public const string BdatRequiredForBinaryMime = "503 5.5.1 BDAT required for BINARYMIME";
    public const string BdatInProgress = "503 5.5.1 BDAT in progress";
    public const string TooManyRecipients = "452 4.5.3 Too many recipients";
    public const string MessageTooLarge = "552 5.3.4 Message size exceeds fixed maximum message size";
    public const string LineTooLong = "500 5.5.2 Line too long";
    public const string Ok = "250 2.0.0 OK";
    public const string Resetting = "250 2.0.0 Resetting";
    public const string ConnectionTimedOut = "421 4.4.1 Connection timed out";
    public const string ServiceShuttingDown = "421 4.3.2 Service not available, closing transmission channel";

    public static string UnrecognizedCommand(string verb) => $"500 5.3.3 Unrecognized command '{verb}'";

    public static string UnsupportedParameter(string name) => $"555 5.5.4 Unsupported option: {name}";

    public static string ChunkReceived(long octets) => $"250 2.0.0 CHUNK received OK, {octets} octets";
}
