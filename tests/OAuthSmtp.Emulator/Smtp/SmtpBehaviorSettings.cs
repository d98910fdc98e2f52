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

    /// <summary>When true, the 4th connection gets the older "STOREDRV.ClientSubmit; sender thread limit exceeded" text.</summary>
    public bool UseLegacyConcurrencyText { get; set; }

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

    /// <summary>Concurrent authenticated connections per mailbox [DOC: 3].</summary>
    public int MaxConcurrentConnectionsPerMailbox { get; set; } = 3;

    /// <summary>Messages per <see cref="MessageRateWindow"/> per mailbox before the end-of-data reply is held [DOC: 30 a minute].</summary>
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
        MaxConcurrentConnectionsPerMailbox = defaults.MaxConcurrentConnectionsPerMailbox;
        MessagesPerRateWindow = defaults.MessagesPerRateWindow;
        MessageRateWindow = defaults.MessageRateWindow;
        RecipientsPerDay = defaults.RecipientsPerDay;
        MaxRecipientsPerMessage = defaults.MaxRecipientsPerMessage;
        MaxMessageSize = defaults.MaxMessageSize;
        ClientIdleTimeout = defaults.ClientIdleTimeout;
        MaxCommandLineLength = defaults.MaxCommandLineLength;
    }
}
