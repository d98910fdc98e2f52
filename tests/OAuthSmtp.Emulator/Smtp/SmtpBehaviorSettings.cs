using System;

namespace OAuthSmtp.Emulator.Smtp;

/// <summary>
/// The SMTP server's behaviour where EXCHANGE-FACTS marks it unconfirmed or where tests need smaller limits:
/// each property is a setting with the most likely (or documented) default. Reached through
/// <see cref="EmulatorFaults.SmtpSettings"/>; read at the moment each decision is made, so changes apply to open sessions.
/// </summary>
public sealed class SmtpBehaviorSettings
{
    /// <summary>Observed text on smtp-hve.office365.com; the log was truncated after "Please ensure the auth d", the tail is inferred.</summary>
    public const string DefaultMalformedXOAuth2Reply =
        "501 5.5.124 Invalid XOAUTH2 auth data - User address provided is not valid. Please ensure the auth data is formatted correctly.";

    /// <summary>Reply to QUIT [UNCONFIRMED exact text].</summary>
    public string QuitReply { get; set; } = "221 2.0.0 Service closing transmission channel";

    /// <summary>Reply to an XOAUTH2 blob that does not decode or lacks user=/auth=Bearer [UNCONFIRMED for smtp.office365.com].</summary>
    public string MalformedXOAuth2Reply { get; set; } = DefaultMalformedXOAuth2Reply;

    /// <summary>When true, every AUTH LOGIN gets 550 5.7.30 (Basic SMTP AUTH removed, §8). Default false: not removed yet.</summary>
    public bool BasicAuthRetired { get; set; }

    /// <summary>When true, the submission over the limit gets the older "STOREDRV.ClientSubmit; sender thread limit exceeded [Hostname=…]" text.</summary>
    public bool UseLegacyConcurrencyText { get; set; }

    /// <summary>Which of the observed Send As refusals the end of data answers (default: the current 554 5.2.0 form).</summary>
    public SendAsDeniedReplyForm SendAsDeniedReply { get; set; } = SendAsDeniedReplyForm.Current;

    /// <summary>
    /// Continuous error throttling [DOC: CET-DOC names no numbers]: after this many refusals of one kind (Send As, mailbox
    /// full, licence, too many recipients, invalid recipients) with no accepted message in between, the mailbox is
    /// throttled for <see cref="ContinuousErrorLockout"/>. 0 turns it off. Default 10 [INF].
    /// </summary>
    public int ContinuousErrorThreshold { get; set; } = 10;

    /// <summary>How long a throttled mailbox gets 550 5.2.25x (emulator clock). Default 1 hour [INF: "a period of time"].</summary>
    public TimeSpan ContinuousErrorLockout { get; set; } = TimeSpan.FromHours(1);

    /// <summary>When true, the throttled reply comes at the end of the data instead of at MAIL FROM (the stage is undocumented).</summary>
    public bool ContinuousErrorReplyAtEndOfData { get; set; }

    /// <summary>
    /// The end-of-data reply for a user mailbox without an Exchange licence. No public log shows the one-off reply
    /// (EXCHANGE-FACTS §5a, §9.9); this default is inferred from the EWS ErrorInvalidLicense text and the STOREDRV form.
    /// </summary>
    public string InvalidLicenseReply { get; set; } = DefaultInvalidLicenseReply;

    public const string DefaultInvalidLicenseReply =
        "554 5.2.0 STOREDRV.Submission.Exception:InvalidLicenseException; Failed to process message due to a permanent exception with message [BeginDiagnosticData]The license is invalid for this mailbox.[EndDiagnosticData]";

    /// <summary>Largest header block accepted; over it, 552 5.3.4 Header size exceeds fixed maximum size. Default 256 KiB [UNCONFIRMED: Exchange Online limits].</summary>
    public int MaxHeaderBytes { get; set; } = 256 * 1024;

    /// <summary>
    /// When true, a message with attachments sent with BDAT gets 552 5.3.4 Header size exceeds fixed maximum size after its
    /// last chunk, as smtp.office365.com answered MailKit in 2019 [OBS: jstedfast/MailKit#904; whether it still does is UNCONFIRMED].
    /// </summary>
    public bool RefuseBdatWithAttachments { get; set; }

    /// <summary>When true, STARTTLS also negotiates TLS 1.0/1.1 and then answers 421 4.7.66 (the real service does) instead of failing the handshake.</summary>
    public bool AcceptLegacyTlsHandshake { get; set; } = true;

    /// <summary>When true, MAIL without AUTH gets the older PRINTER-DOC wording of 530 5.7.57.</summary>
    public bool UseLegacyNotAuthenticatedText { get; set; }

    /// <summary>When true, a lower-case mechanism name (AUTH xoauth2) is refused as an unknown mechanism [UNCONFIRMED]. Default false (the doc sample uses lower case).</summary>
    public bool RequireUpperCaseMechanism { get; set; }

    /// <summary>
    /// When true, RCPT TO from a tenant whose outbound IP has low reputation (Tenant.LowReputationOutboundIp) gets
    /// 451 4.7.650 (rate limited due to IP reputation) instead of the end-of-data 550 5.7.708. The 4.7.650 reply is
    /// an inbound (MX) reply; on the submission endpoint it is [UNCONFIRMED]. Default false.
    /// </summary>
    public bool ThrottleLowReputationIpAtRcpt { get; set; }

    /// <summary>Messages a mailbox may have in submission at the same time, over all its connections [DOC: 3]; idle connections do not count.</summary>
    public int MaxConcurrentSubmissionsPerMailbox { get; set; } = 3;

    /// <summary>Messages per <see cref="MessageRateWindow"/> per mailbox before delivery is delayed (the reply is not) [DOC: 30 a minute].</summary>
    public int MessagesPerRateWindow { get; set; } = 30;

    public TimeSpan MessageRateWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Recipients per mailbox in a rolling 24 hours of the emulator clock [DOC: 10,000].</summary>
    public int RecipientsPerDay { get; set; } = 10_000;

    /// <summary>Recipients per message [UNCONFIRMED: 500].</summary>
    public int MaxRecipientsPerMessage { get; set; } = 500;

    /// <summary>The SIZE advertised in EHLO and enforced on MAIL FROM SIZE= and the received data [OBS].</summary>
    public long MaxMessageSize { get; set; } = 157_286_400;

    /// <summary>How long the server waits for the client's next bytes before it closes the session.</summary>
    public TimeSpan ClientIdleTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Longest command line accepted (an XOAUTH2 initial response holds a whole JWT).</summary>
    public int MaxCommandLineLength { get; set; } = 32 * 1024;

    public void Reset()
    {
        var defaults = new SmtpBehaviorSettings();
        QuitReply = defaults.QuitReply;
        MalformedXOAuth2Reply = defaults.MalformedXOAuth2Reply;
        BasicAuthRetired = defaults.BasicAuthRetired;
        UseLegacyConcurrencyText = defaults.UseLegacyConcurrencyText;
        UseLegacyNotAuthenticatedText = defaults.UseLegacyNotAuthenticatedText;
        RequireUpperCaseMechanism = defaults.RequireUpperCaseMechanism;
        ThrottleLowReputationIpAtRcpt = defaults.ThrottleLowReputationIpAtRcpt;
        MaxConcurrentSubmissionsPerMailbox = defaults.MaxConcurrentSubmissionsPerMailbox;
        SendAsDeniedReply = defaults.SendAsDeniedReply;
        ContinuousErrorThreshold = defaults.ContinuousErrorThreshold;
        ContinuousErrorLockout = defaults.ContinuousErrorLockout;
        ContinuousErrorReplyAtEndOfData = defaults.ContinuousErrorReplyAtEndOfData;
        InvalidLicenseReply = defaults.InvalidLicenseReply;
        MaxHeaderBytes = defaults.MaxHeaderBytes;
        RefuseBdatWithAttachments = defaults.RefuseBdatWithAttachments;
        AcceptLegacyTlsHandshake = defaults.AcceptLegacyTlsHandshake;
        MessagesPerRateWindow = defaults.MessagesPerRateWindow;
        MessageRateWindow = defaults.MessageRateWindow;
        RecipientsPerDay = defaults.RecipientsPerDay;
        MaxRecipientsPerMessage = defaults.MaxRecipientsPerMessage;
        MaxMessageSize = defaults.MaxMessageSize;
        ClientIdleTimeout = defaults.ClientIdleTimeout;
        MaxCommandLineLength = defaults.MaxCommandLineLength;
    }
}

/// <summary>The observed texts of a Send As refusal at the end of the data (EXCHANGE-FACTS §5a).</summary>
public enum SendAsDeniedReplyForm
{
    /// <summary>554 5.2.0 STOREDRV.Submission.Exception:SendAsDeniedException.MapiExceptionSendAsDenied; … (FusionAuth#220, MailKit#1176, Notifuse#250).</summary>
    Current,

    /// <summary>554 5.2.252 SendAsDenied; &lt;user&gt; not allowed to send as &lt;from&gt;; … (gophish#2900).</summary>
    SendAsDenied,

    /// <summary>550 5.7.60 SMTP; Client does not have permissions to send as this sender (PRINTER-DOC, PHPMailer#1231).</summary>
    Legacy,
}
