using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;

namespace OAuthSmtp.Engine.Relay;

/// <summary>
/// A device or program allowed to send through the relay: where it may connect from, how it authenticates (a user name
/// and a generated password kept only as a verifier), what it may send, and the profile and mailbox it sends as.
/// </summary>
public sealed class RelayClient
{
    /// <summary>Letters, digits, '.', '_' and '-', 1 to 64 characters: 'Printer-2OG'.</summary>
    public string? Name { get; set; }

    /// <summary>The AUTH user name (the device name unless given otherwise); unique across devices, case-insensitive.</summary>
    public string? UserName { get; set; }

    /// <summary>The device's password as PBKDF2-SHA256 verifier; null for a device that sends without AUTH from its allowed sources.</summary>
    public RelayCredentialVerifier? Credential { get; set; }

    /// <summary>CIDR ranges the device connects from; empty means any source a listener admits.</summary>
    public List<string> AllowedSources { get; set; } = new();

    /// <summary>Envelope and From addresses the device may use: 'scanner@contoso.com' or '*@contoso.com'.</summary>
    public List<string> AllowedSenders { get; set; } = new();

    /// <summary>Recipient domains the device may send to; empty means any.</summary>
    public List<string> AllowedRecipientDomains { get; set; } = new();

    /// <summary>The connection profile (in the relay's profile store) the relay sends with.</summary>
    public string? Profile { get; set; }

    /// <summary>The mailbox the device's mail is sent as (the profile's mailbox unless given).</summary>
    public string? Mailbox { get; set; }

    /// <summary>Replace the envelope sender and From with <see cref="Mailbox"/> (for devices that cannot set a usable From).</summary>
    public bool RewriteFrom { get; set; }

    /// <summary>A smaller message size limit for this device; null means the relay's.</summary>
    public long? MaxMessageBytes { get; set; }

    public DateTimeOffset CreatedOn { get; set; }

    /// <summary>Whether the device may connect from <paramref name="source"/> (listeners' allow-lists apply as well).</summary>
    public bool AllowsSource(IPAddress source) =>
        AllowedSources.Count == 0 || AllowedSources.Any(r => AddressRange.Parse(r).Contains(source));

    /// <summary>
    /// Whether the device may use <paramref name="address"/> as envelope sender or From. A device with
    /// <see cref="RewriteFrom"/> may give any: the relay replaces it with the mailbox.
    /// </summary>
    public bool AllowsSender(string? address)
    {
        if (RewriteFrom)
        {
            return true;
        }

        if (string.IsNullOrEmpty(address))
        {
            return false;
        }

        var at = address!.LastIndexOf('@');
        var domain = at < 0 ? string.Empty : address.Substring(at + 1);
        return AllowedSenders.Any(pattern =>
            string.Equals(pattern, address, StringComparison.OrdinalIgnoreCase)
            || (pattern.StartsWith("*@", StringComparison.Ordinal) && string.Equals(pattern.Substring(2), domain, StringComparison.OrdinalIgnoreCase)));
    }

    /// <summary>Whether the device may send to <paramref name="address"/>.</summary>
    public bool AllowsRecipient(string? address)
    {
        if (AllowedRecipientDomains.Count == 0)
        {
            return true;
        }

        var at = address?.LastIndexOf('@') ?? -1;
        if (at < 0)
        {
            return false;
        }

        var domain = address!.Substring(at + 1);
        return AllowedRecipientDomains.Any(d => string.Equals(d, domain, StringComparison.OrdinalIgnoreCase));
    }
}
