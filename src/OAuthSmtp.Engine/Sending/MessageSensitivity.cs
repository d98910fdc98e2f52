namespace OAuthSmtp.Engine.Sending;

/// <summary>The Sensitivity header (RFC 2156), shown by Outlook as "Personal", "Private" or "Confidential".</summary>
public enum MessageSensitivity
{
    Normal,
    Personal,
    Private,
    CompanyConfidential,
}
