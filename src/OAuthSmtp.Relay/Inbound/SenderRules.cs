using System;
using System.Collections.Generic;
using System.Linq;
using OAuthSmtp.Relay.Configuration;

namespace OAuthSmtp.Relay.Inbound;

/// <summary>Which senders and recipients a device may use.</summary>
internal static class SenderRules
{
    /// <summary>
    /// A device with a From rewrite may give any sender (it is replaced). Otherwise the sender must be in its allowed
    /// senders (an address, or "@domain" for a whole domain); with none listed, only its profile's mailbox.
    /// </summary>
    public static bool IsSenderAllowed(RelayDevice device, string address, string? profileMailbox)
    {
        if (device.FromRewrite is not null)
        {
            return true;
        }

        if (device.AllowedSenders.Count == 0)
        {
            return profileMailbox is not null && string.Equals(address, profileMailbox, StringComparison.OrdinalIgnoreCase);
        }

        return device.AllowedSenders.Any(allowed => Matches(allowed, address));
    }

    public static bool IsRecipientAllowed(RelayDevice device, string address)
    {
        if (device.RecipientDomains.Count == 0)
        {
            return true;
        }

        var at = address.LastIndexOf('@');
        var domain = at < 0 ? string.Empty : address[(at + 1)..];
        return device.RecipientDomains.Any(d => string.Equals(d.TrimStart('@'), domain, StringComparison.OrdinalIgnoreCase));
    }

    private static bool Matches(string allowed, string address) =>
        allowed.StartsWith('@')
            ? address.EndsWith(allowed, StringComparison.OrdinalIgnoreCase)
            : string.Equals(allowed, address, StringComparison.OrdinalIgnoreCase);

    public static int MaxMessageBytes(RelayDevice device, RelayLimits limits) =>
        device.MaxMessageBytes > 0 ? Math.Min(device.MaxMessageBytes, limits.MaxMessageBytes) : limits.MaxMessageBytes;

    public static string Address(SmtpServer.Mail.IMailbox mailbox) =>
        string.IsNullOrEmpty(mailbox.Host) ? mailbox.User ?? string.Empty : mailbox.User + "@" + mailbox.Host;

    public static IReadOnlyList<string> Addresses(IEnumerable<SmtpServer.Mail.IMailbox> mailboxes) => mailboxes.Select(Address).ToList();
}
