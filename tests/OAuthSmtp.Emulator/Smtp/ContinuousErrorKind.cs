namespace OAuthSmtp.Emulator.Smtp;

/// <summary>
/// The five kinds of refusal whose repetition throttles a mailbox from SMTP AUTH submission [DOC: CET-DOC]; the value is
/// the last part of the 5.2.25x code the throttled mailbox then gets.
/// </summary>
public enum ContinuousErrorKind
{
    MailboxFull = 251,
    SendAsDenied = 252,
    InvalidLicense = 253,
    TooManyRecipients = 254,
    InvalidRecipients = 255,
}
