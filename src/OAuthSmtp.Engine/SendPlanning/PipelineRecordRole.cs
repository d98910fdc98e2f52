namespace OAuthSmtp.Engine.SendPlanning;

/// <summary>What one pipeline object is to Send-SmtpOAuthMessage.</summary>
public enum PipelineRecordRole
{
    /// <summary>A message of its own (a CSV row, an object with To/Subject/..., an .eml file, the call without input).</summary>
    Message,

    /// <summary>
    /// A file for the one message the command line describes (Get-ChildItem *.pdf | Send-SmtpOAuthMessage -To ...):
    /// collected, and sent with every other such file as one message at the end, as Send-MailMessage does.
    /// </summary>
    AttachmentOfCommandLineMessage,
}
