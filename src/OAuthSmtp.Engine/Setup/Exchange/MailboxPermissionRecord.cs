using System;
using System.Collections.Generic;
using System.Linq;

namespace OAuthSmtp.Engine.Setup.Exchange;

/// <summary>One Get-MailboxPermission row.</summary>
public sealed class MailboxPermissionRecord
{
    public MailboxPermissionRecord(string identity, string user, IReadOnlyList<string> accessRights, bool deny, bool isInherited)
    {
        Identity = identity ?? string.Empty;
        User = user ?? string.Empty;
        AccessRights = accessRights ?? Array.Empty<string>();
        Deny = deny;
        IsInherited = isInherited;
    }

    public string Identity { get; }

    /// <summary>The trustee: a service principal's ObjectId/name, or a user's UPN.</summary>
    public string User { get; }

    public IReadOnlyList<string> AccessRights { get; }

    public bool Deny { get; }

    public bool IsInherited { get; }

    public bool GrantsFullAccess => AccessRights.Any(r => string.Equals(r, "FullAccess", StringComparison.OrdinalIgnoreCase));
}
