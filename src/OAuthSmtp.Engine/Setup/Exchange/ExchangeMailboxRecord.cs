using System;
using System.Collections.Generic;

namespace OAuthSmtp.Engine.Setup.Exchange;

/// <summary>The mailbox properties the setup checks read (Get-EXOMailbox).</summary>
public sealed class ExchangeMailboxRecord
{
    public ExchangeMailboxRecord(
        string identity, string primarySmtpAddress, string userPrincipalName, string recipientTypeDetails, string? externalDirectoryObjectId, IReadOnlyList<string>? emailAddresses = null, bool? skuAssigned = null)
    {
        Identity = identity ?? string.Empty;
        PrimarySmtpAddress = primarySmtpAddress ?? string.Empty;
        UserPrincipalName = userPrincipalName ?? string.Empty;
        RecipientTypeDetails = recipientTypeDetails ?? string.Empty;
        ExternalDirectoryObjectId = externalDirectoryObjectId;
        EmailAddresses = emailAddresses ?? Array.Empty<string>();
        SkuAssigned = skuAssigned;
    }

    public string Identity { get; }

    public string PrimarySmtpAddress { get; }

    public string UserPrincipalName { get; }

    /// <summary>UserMailbox, SharedMailbox, RoomMailbox, EquipmentMailbox…</summary>
    public string RecipientTypeDetails { get; }

    /// <summary>The Entra user's object id (the oid of that user's delegated tokens).</summary>
    public string? ExternalDirectoryObjectId { get; }

    /// <summary>Proxy addresses as Exchange lists them ("SMTP:primary", "smtp:alias").</summary>
    public IReadOnlyList<string> EmailAddresses { get; }

    /// <summary>
    /// Get-EXOMailbox -Properties SKUAssigned: whether a licence is assigned to the mailbox's user (false for an
    /// unlicensed user, and for a shared mailbox, which needs none); null when the session does not say.
    /// </summary>
    public bool? SkuAssigned { get; }

    /// <summary>A user mailbox known to have no licence: Exchange refuses its submissions (invalid licence errors).</summary>
    public bool IsUnlicensedUserMailbox =>
        SkuAssigned == false && string.Equals(RecipientTypeDetails, "UserMailbox", StringComparison.OrdinalIgnoreCase);

    public bool IsShared => string.Equals(RecipientTypeDetails, "SharedMailbox", StringComparison.OrdinalIgnoreCase);

    /// <summary>Whether an address is one of this mailbox's (primary, UPN or proxy).</summary>
    public bool HasAddress(string? address)
    {
        if (string.IsNullOrWhiteSpace(address))
        {
            return false;
        }

        var value = address!.Trim();
        if (string.Equals(value, PrimarySmtpAddress, StringComparison.OrdinalIgnoreCase)
            || string.Equals(value, UserPrincipalName, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        foreach (var proxy in EmailAddresses)
        {
            var colon = proxy.IndexOf(':');
            var bare = colon >= 0 ? proxy.Substring(colon + 1) : proxy;
            if (string.Equals(bare, value, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    public override string ToString() => PrimarySmtpAddress;
}
