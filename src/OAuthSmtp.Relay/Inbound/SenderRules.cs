using System.Collections.Generic;
using System.Linq;

namespace OAuthSmtp.Relay.Inbound;

/// <summary>Addresses as SmtpServer hands them over (user and host apart).</summary>
internal static class SenderRules
{
    public static string Address(SmtpServer.Mail.IMailbox mailbox) =>
        string.IsNullOrEmpty(mailbox.Host) ? mailbox.User ?? string.Empty : mailbox.User + "@" + mailbox.Host;

    public static IReadOnlyList<string> Addresses(IEnumerable<SmtpServer.Mail.IMailbox> mailboxes) => mailboxes.Select(Address).ToList();
}
