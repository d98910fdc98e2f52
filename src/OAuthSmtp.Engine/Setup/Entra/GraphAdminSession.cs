using System;
using System.Collections.Generic;
using System.Linq;

namespace OAuthSmtp.Engine.Setup.Entra;

/// <summary>
/// Who a Graph admin gateway acts as, and with what: the signed-in account, the tenant, the Graph permissions the
/// session holds (delegated scopes, or an app's roles for app-only sign-ins) and the account's directory roles.
/// </summary>
public sealed class GraphAdminSession
{
    public GraphAdminSession(
        string source, string? account, string? tenantId, bool isAppOnly, IEnumerable<string>? permissions, IEnumerable<string>? directoryRoleTemplateIds)
    {
        Source = source ?? throw new ArgumentNullException(nameof(source));
        Account = account;
        TenantId = tenantId;
        IsAppOnly = isAppOnly;
        Permissions = (permissions ?? Array.Empty<string>()).Where(p => !string.IsNullOrWhiteSpace(p)).Select(p => p.Trim()).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        DirectoryRoleTemplateIds = directoryRoleTemplateIds?.Where(r => !string.IsNullOrWhiteSpace(r)).Select(r => r.Trim()).ToList();
    }

    /// <summary>Where the rights come from, in words: "your Connect-MgGraph session", "the -GraphAccessToken".</summary>
    public string Source { get; }

    /// <summary>The signed-in admin (UPN), or the app's client id for an app-only sign-in; null when unknown.</summary>
    public string? Account { get; }

    public string? TenantId { get; }

    /// <summary>Signed in as an application (a runbook's managed identity or app): permissions are app roles, no directory roles apply.</summary>
    public bool IsAppOnly { get; }

    /// <summary>Delegated scopes (scp), or the app roles of an app-only sign-in.</summary>
    public IReadOnlyList<string> Permissions { get; }

    /// <summary>The account's directory roles (template ids); null when the session cannot tell.</summary>
    public IReadOnlyList<string>? DirectoryRoleTemplateIds { get; }

    /// <summary>Whether the session holds <paramref name="permission"/> (case-insensitive, as Graph compares them).</summary>
    public bool HasPermission(string permission) => Permissions.Contains(permission, StringComparer.OrdinalIgnoreCase);

    /// <summary>Whether the account holds any of the roles; null when the roles are unknown.</summary>
    public bool? HasAnyDirectoryRole(IEnumerable<string> templateIds) =>
        DirectoryRoleTemplateIds is null ? null : templateIds.Any(id => DirectoryRoleTemplateIds.Contains(id, StringComparer.OrdinalIgnoreCase));

    public override string ToString() =>
        $"{Account ?? "unknown account"} in {TenantId ?? "unknown tenant"} via {Source}";
}
