using System;
using System.Collections.Generic;
using System.Linq;
using OAuthSmtp.Emulator.Model;
using OAuthSmtp.Emulator.Tokens;

namespace OAuthSmtp.Emulator.Graph;

/// <summary>
/// Who calls Graph and what they may do. Graph authorises a delegated call twice: the token's scp must hold one of the
/// API's delegated permissions AND the signed-in user must hold a directory role that allows the operation (read here
/// from the tenant model, as the directory does). An app-only call needs one of the API's application permissions in
/// roles. Each refusal is 403 Authorization_RequestDenied "Insufficient privileges to complete the operation."
/// </summary>
internal sealed class GraphCaller
{
    public GraphCaller(ValidatedAccessToken token, EntraUser? user)
    {
        Token = token;
        User = user;
    }

    public ValidatedAccessToken Token { get; }

    /// <summary>The signed-in user of a delegated token; null for app-only.</summary>
    public EntraUser? User { get; }

    public bool IsDelegated => !Token.IsAppOnly;

    /// <summary>The caller holds one of the delegated scopes (delegated token) or one of the app roles (app-only token).</summary>
    public bool HasPermission(IEnumerable<string> delegatedScopes, IEnumerable<string> appRoles) =>
        IsDelegated
            ? delegatedScopes.Any(s => Token.Scopes.Contains(s, StringComparer.OrdinalIgnoreCase))
            : appRoles.Any(r => Token.Roles.Contains(r, StringComparer.Ordinal));

    /// <summary>The signed-in user holds one of the roles (always true for app-only calls: their permission is the app role).</summary>
    public bool HasDirectoryRole(IEnumerable<Guid> roles) => !IsDelegated || (User is not null && roles.Any(User.DirectoryRoles.Contains));

    /// <summary>Refuses unless the caller holds the permission.</summary>
    public void Require(IEnumerable<string> delegatedScopes, IEnumerable<string> appRoles)
    {
        if (!HasPermission(delegatedScopes, appRoles))
        {
            throw GraphErrorException.Denied();
        }
    }

    /// <summary>Refuses a delegated caller who holds none of the roles and is not allowed otherwise.</summary>
    public void RequireRole(IEnumerable<Guid> roles, bool otherwiseAllowed = false)
    {
        if (!otherwiseAllowed && !HasDirectoryRole(roles))
        {
            throw GraphErrorException.Denied();
        }
    }
}
