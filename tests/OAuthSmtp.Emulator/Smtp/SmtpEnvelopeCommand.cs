using System;
using System.Collections.Generic;

namespace OAuthSmtp.Emulator.Smtp;

/// <summary>A parsed MAIL FROM / RCPT TO argument: the path (address without brackets) and its ESMTP parameters.</summary>
internal sealed record SmtpEnvelopeCommand(string Address, IReadOnlyDictionary<string, string?> Parameters)
{
    /// <summary>Parses "FROM:&lt;a@b&gt; SIZE=10 BODY=8BITMIME" after the verb; <paramref name="keyword"/> is FROM or TO.</summary>
    public static SmtpEnvelopeCommand? TryParse(string argument, string keyword)
    {
        var text = argument.TrimStart();
        if (!text.StartsWith(keyword + ":", StringComparison.OrdinalIgnoreCase)) return null;
        text = text.Substring(keyword.Length + 1).TrimStart();

        string address;
        string rest;
        if (text.StartsWith("<", StringComparison.Ordinal))
        {
            var close = text.IndexOf('>');
            if (close < 0) return null;
            address = text.Substring(1, close - 1).Trim();
            rest = text.Substring(close + 1);
        }
        else
        {
            var space = text.IndexOf(' ');
            address = space < 0 ? text : text.Substring(0, space);
            rest = space < 0 ? "" : text.Substring(space);
        }

        // A source route (@a,@b:user@host) is obsolete; keep the mailbox part.
        var colon = address.LastIndexOf(':');
        if (address.StartsWith("@", StringComparison.Ordinal) && colon > 0) address = address.Substring(colon + 1);

        var parameters = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var part in rest.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = part.IndexOf('=');
            if (equals == 0) return null;
            if (equals < 0) parameters[part] = null;
            else parameters[part.Substring(0, equals)] = part.Substring(equals + 1);
        }

        return new SmtpEnvelopeCommand(address, parameters);
    }

    /// <summary>A mailbox address: local@domain with no spaces or brackets.</summary>
    public static bool IsMailboxAddress(string address)
    {
        var at = address.LastIndexOf('@');
        return at > 0 && at < address.Length - 1 && address.IndexOfAny(new[] { ' ', '<', '>', ',', ';' }) < 0;
    }
}
