using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using OAuthSmtp.Emulator.Model;

namespace OAuthSmtp.Emulator.PowerShell.Exchange;

/// <summary>Which mailboxes a Get-*Mailbox call means: one identity (Exchange's not-found error otherwise), an ANR search, a -Filter, or all.</summary>
internal static class MailboxSelection
{
    public static IReadOnlyList<Mailbox> Select(ExchangeCmdlet cmdlet, string? identity, string? anr, string? filter, int limit, string? recipientTypeDetails = null)
    {
        var tenant = cmdlet.TenantForSelection;
        List<Mailbox> candidates;
        if (!string.IsNullOrWhiteSpace(identity))
        {
            var found = TenantQueries.FindMailboxes(tenant, identity!);
            if (found.Count != 1)
            {
                cmdlet.WriteError(found.Count == 0 ? ExchangeErrors.NotFound(identity!) : ExchangeErrors.Ambiguous(identity!));
                return Array.Empty<Mailbox>();
            }

            candidates = found.ToList();
        }
        else
        {
            lock (tenant.SyncRoot) candidates = tenant.Mailboxes.ToList();
        }

        if (!string.IsNullOrWhiteSpace(anr))
        {
            var term = anr!.Trim();
            candidates = candidates.Where(m =>
                StartsWith(RecipientFilter.NameOf(m), term) || StartsWith(m.DisplayName, term) || StartsWith(m.Alias, term)
                || StartsWith(m.PrimarySmtpAddress, term)).ToList();
        }

        if (!string.IsNullOrWhiteSpace(filter))
        {
            try
            {
                candidates = candidates.Where(m => RecipientFilter.Matches(m, filter, tenant)).ToList();
            }
            catch (FormatException ex)
            {
                cmdlet.ThrowTerminatingError(new ErrorRecord(new ArgumentException(ex.Message, ex), "InvalidFilter", ErrorCategory.InvalidArgument, filter));
            }
        }

        if (!string.IsNullOrWhiteSpace(recipientTypeDetails))
        {
            var wanted = recipientTypeDetails!.Split(',').Select(s => s.Trim()).ToList();
            candidates = candidates.Where(m => wanted.Any(w => string.Equals(w, m.RecipientTypeDetails, StringComparison.OrdinalIgnoreCase))).ToList();
        }

        return candidates.Take(limit).ToList();
    }

    private static bool StartsWith(string? value, string term) =>
        !string.IsNullOrEmpty(value) && value!.StartsWith(term, StringComparison.OrdinalIgnoreCase);
}
