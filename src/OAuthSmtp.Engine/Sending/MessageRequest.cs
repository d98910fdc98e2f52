using System.Collections.Generic;
using System.Net.Mail;
using System.Text;

namespace OAuthSmtp.Engine.Sending;

/// <summary>
/// One message as Send-SmtpOAuthMessage's parameters describe it (Send-MailMessage's meaning for the shared ones).
/// Nothing here is checked yet: <see cref="MessageBuilder"/> validates it and builds the MIME message.
/// </summary>
public sealed class MessageRequest
{
    /// <summary>The From address; null or empty means the profile's mailbox.</summary>
    public string? From { get; set; }

    public IList<string> To { get; set; } = new List<string>();

    public IList<string> Cc { get; set; } = new List<string>();

    public IList<string> Bcc { get; set; } = new List<string>();

    public IList<string> ReplyTo { get; set; } = new List<string>();

    public string? Subject { get; set; }

    /// <summary>The body; HTML when <see cref="BodyAsHtml"/>, plain text otherwise.</summary>
    public string? Body { get; set; }

    public bool BodyAsHtml { get; set; }

    /// <summary>A plain-text alternative sent alongside an HTML body (multipart/alternative).</summary>
    public string? TextBody { get; set; }

    /// <summary>Character set of the body; null means UTF-8.</summary>
    public Encoding? Encoding { get; set; }

    public MailPriority Priority { get; set; } = MailPriority.Normal;

    /// <summary>The Importance header; null follows <see cref="Priority"/>, as Send-MailMessage does.</summary>
    public MessageImportance? Importance { get; set; }

    public MessageSensitivity? Sensitivity { get; set; }

    /// <summary>Extra headers (name → value). Names that a parameter controls (From, To, Subject...) are refused.</summary>
    public IDictionary<string, string> Headers { get; set; } = new Dictionary<string, string>();

    /// <summary>Paths of files attached as they are; streamed from disk when the message is sent.</summary>
    public IList<string> Attachments { get; set; } = new List<string>();

    /// <summary>Content-ID → path of images the HTML body references as cid:ID.</summary>
    public IDictionary<string, string> InlineAttachments { get; set; } = new Dictionary<string, string>();

    public DeliveryNotificationOptions DeliveryNotificationOption { get; set; } = DeliveryNotificationOptions.None;
}
