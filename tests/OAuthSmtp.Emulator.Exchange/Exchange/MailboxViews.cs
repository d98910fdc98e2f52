using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using OAuthSmtp.Emulator.Model;

namespace OAuthSmtp.Emulator.PowerShell.Exchange;

/// <summary>
/// How mailboxes and their Client Access settings look in output. Get-Mailbox/Get-CASMailbox return every property;
/// the REST cmdlets Get-EXOMailbox/Get-EXOCasMailbox return the "Minimum" property set plus what -Properties or
/// -PropertySets ask for, as the real ones do (so ExchangeGuid or SmtpClientAuthenticationDisabled are absent unless requested).
/// </summary>
internal static class MailboxViews
{
    public const string MailboxTypeName = "OAuthSmtp.Emulator.Exchange.Mailbox";
    public const string CasMailboxTypeName = "OAuthSmtp.Emulator.Exchange.CASMailbox";

    /// <summary>Get-EXOMailbox "Minimum" property set (PS-DOCS cmdlet-property-sets).</summary>
    public static readonly string[] ExoMailboxMinimum =
    {
        "ExternalDirectoryObjectId", "UserPrincipalName", "Alias", "DisplayName", "EmailAddresses", "PrimarySmtpAddress",
        "RecipientType", "RecipientTypeDetails", "Identity", "Id", "ExchangeVersion", "Name", "DistinguishedName", "OrganizationId", "Guid",
    };

    /// <summary>Get-EXOCasMailbox "Minimum" property set (PS-DOCS cmdlet-property-sets).</summary>
    public static readonly string[] ExoCasMailboxMinimum =
    {
        "ActiveSyncEnabled", "ECPEnabled", "EmailAddresses", "EwsEnabled", "ExternalDirectoryObjectId", "Guid", "Identity",
        "ImapEnabled", "MAPIEnabled", "Name", "OWAEnabled", "OrganizationId", "PopEnabled", "PrimarySmtpAddress",
    };

    public static IReadOnlyList<KeyValuePair<string, object?>> MailboxProperties(TenantModel tenant, Mailbox mailbox)
    {
        lock (tenant.SyncRoot)
        {
            var name = RecipientFilter.NameOf(mailbox);
            return new List<KeyValuePair<string, object?>>
            {
                new("Identity", name),
                new("Id", name),
                new("Name", name),
                new("Alias", mailbox.Alias),
                new("DisplayName", mailbox.DisplayName),
                new("PrimarySmtpAddress", mailbox.PrimarySmtpAddress),
                new("UserPrincipalName", mailbox.UserPrincipalName),
                new("EmailAddresses", EmailAddresses(mailbox)),
                new("RecipientType", "UserMailbox"),
                new("RecipientTypeDetails", mailbox.RecipientTypeDetails),
                new("ExternalDirectoryObjectId", mailbox.ExternalDirectoryObjectId == Guid.Empty ? "" : mailbox.ExternalDirectoryObjectId.ToString()),
                new("ExchangeGuid", mailbox.ExchangeGuid),
                new("Guid", mailbox.ExchangeGuid),
                new("DistinguishedName", TenantQueries.MailboxDistinguishedName(tenant, mailbox)),
                new("OrganizationId", tenant.Tenant.InitialDomain),
                new("ExchangeVersion", "0.20 (15.0.0.0)"),
                new("IsShared", string.Equals(mailbox.RecipientTypeDetails, "SharedMailbox", StringComparison.OrdinalIgnoreCase)),
                new("MaxSendSize", $"{mailbox.MaxSendSize / (1024 * 1024)} MB ({mailbox.MaxSendSize:N0} bytes)"),
                new("SKUAssigned", mailbox.SkuAssigned),
                new("AuthenticationPolicy", mailbox.AuthenticationPolicy),
                new("WhenCreated", mailbox.EffectiveAt == default ? (object?)null : mailbox.EffectiveAt.UtcDateTime),
            };
        }
    }

    public static IReadOnlyList<KeyValuePair<string, object?>> CasMailboxProperties(TenantModel tenant, Mailbox mailbox)
    {
        lock (tenant.SyncRoot)
        {
            var name = RecipientFilter.NameOf(mailbox);
            return new List<KeyValuePair<string, object?>>
            {
                new("Identity", name),
                new("Name", name),
                new("DisplayName", mailbox.DisplayName),
                new("PrimarySmtpAddress", mailbox.PrimarySmtpAddress),
                new("EmailAddresses", EmailAddresses(mailbox)),
                new("ExternalDirectoryObjectId", mailbox.ExternalDirectoryObjectId == Guid.Empty ? "" : mailbox.ExternalDirectoryObjectId.ToString()),
                new("Guid", mailbox.ExchangeGuid),
                new("OrganizationId", tenant.Tenant.InitialDomain),
                new("ActiveSyncEnabled", true),
                new("ECPEnabled", true),
                new("EwsEnabled", true),
                new("ImapEnabled", true),
                new("MAPIEnabled", true),
                new("OWAEnabled", true),
                new("PopEnabled", true),
                // What the admin set (null = follow the organisation), not the value still in force while a change propagates.
                new("SmtpClientAuthenticationDisabled", mailbox.SmtpClientAuthenticationDisabled),
            };
        }
    }

    public static string[] EmailAddresses(Mailbox mailbox)
    {
        var addresses = new List<string> { "SMTP:" + mailbox.PrimarySmtpAddress };
        foreach (var proxy in mailbox.ProxyAddresses)
        {
            var bare = proxy.Contains(':') ? proxy.Substring(proxy.IndexOf(':') + 1) : proxy;
            if (string.Equals(bare, mailbox.PrimarySmtpAddress, StringComparison.OrdinalIgnoreCase)) continue;
            addresses.Add(proxy.Contains(':') ? "smtp:" + bare : "smtp:" + proxy);
        }

        return addresses.ToArray();
    }

    /// <summary>A PSObject with the given properties; <paramref name="include"/> null means all of them.</summary>
    public static PSObject ToObject(string typeName, IEnumerable<KeyValuePair<string, object?>> properties, ISet<string>? include)
    {
        var result = new PSObject();
        result.TypeNames.Insert(0, typeName);
        foreach (var property in properties)
        {
            if (include is null || include.Contains(property.Key))
            {
                result.Properties.Add(new PSNoteProperty(property.Key, property.Value));
            }
        }

        return result;
    }

    /// <summary>The property names a REST cmdlet returns: Minimum unless -PropertySets says otherwise, plus -Properties.</summary>
    public static ISet<string>? Selection(string[] minimum, string[]? properties, string[]? propertySets)
    {
        if (propertySets is not null && propertySets.Any(s => string.Equals(s, "All", StringComparison.OrdinalIgnoreCase)))
        {
            return null;
        }

        var selection = new HashSet<string>(minimum, StringComparer.OrdinalIgnoreCase);
        foreach (var property in properties ?? Array.Empty<string>())
        {
            // -Properties takes a comma-separated list too.
            foreach (var name in property.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                selection.Add(name);
            }
        }

        return selection;
    }

    /// <summary>-ResultSize: a number or "Unlimited"; the default is 1000.</summary>
    public static int ParseResultSize(object? resultSize)
    {
        if (resultSize is null) return 1000;
        var text = (resultSize is PSObject ps ? ps.BaseObject : resultSize).ToString();
        if (string.Equals(text, "Unlimited", StringComparison.OrdinalIgnoreCase)) return int.MaxValue;
        return int.TryParse(text, out var size) && size > 0
            ? size
            : throw new PSArgumentException($"Cannot process argument transformation on parameter 'ResultSize'. The value \"{text}\" isn't a valid number or Unlimited.");
    }
}
