namespace OAuthSmtp.Engine.Sending;

/// <summary>The Importance header (Outlook shows it as the flag); independent of Send-MailMessage's -Priority.</summary>
public enum MessageImportance
{
    Normal,
    Low,
    High,
}
