using System;
using System.Linq;

namespace OAuthSmtp.Emulator.PowerShell.Exchange;

/// <summary>The MailboxRights values Add-/Remove-MailboxPermission accept (PS-DOCS), in Exchange's spelling.</summary>
internal static class MailboxRights
{
    public static readonly string[] All = { "ChangeOwner", "ChangePermission", "DeleteItem", "ExternalAccount", "FullAccess", "ReadPermission" };

    public static string Canonical(string right) =>
        All.FirstOrDefault(r => string.Equals(r, right.Trim(), StringComparison.OrdinalIgnoreCase)) ?? right.Trim();
}
