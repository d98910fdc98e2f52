using System;
using System.Collections.Generic;
using System.Linq;

namespace OAuthSmtp.Engine.Setup.Exchange;

/// <summary>One Get-RecipientPermission row.</summary>
public sealed class RecipientPermissionRecord
{
    public RecipientPermissionRecord(string identity, string trustee, IReadOnlyList<string> accessRights, string accessControlType)
    {
        Identity = identity ?? string.Empty;
        Trustee = trustee ?? string.Empty;
        AccessRights = accessRights ?? Array.Empty<string>();
        AccessControlType = string.IsNullOrEmpty(accessControlType) ? "Allow" : accessControlType;
    }

    public string Identity { get; }

    public string Trustee { get; }

    public IReadOnlyList<string> AccessRights { get; }

    /// <summary>Allow or Deny.</summary>
    public string AccessControlType { get; }

    public bool AllowsSendAs =>
        string.Equals(AccessControlType, "Allow", StringComparison.OrdinalIgnoreCase)
        && AccessRights.Any(r => string.Equals(r, "SendAs", StringComparison.OrdinalIgnoreCase));
}
