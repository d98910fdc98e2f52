using System;
using System.Collections.Generic;
using System.Linq;
using OAuthSmtp.Emulator.Model;

namespace OAuthSmtp.Emulator.Tokens;

/// <summary>A parsed scope parameter: one resource, its permissions (or .default) and the OpenID scopes.</summary>
internal sealed record ScopeRequest(TokenResource Resource, IReadOnlyList<string> Permissions, bool IsDefault, bool OfflineAccess, bool OpenId, string ResourceScopes)
{
    private static readonly HashSet<string> OidcScopes = new(StringComparer.OrdinalIgnoreCase) { "openid", "profile", "offline_access", "email" };

    /// <summary>
    /// Client credentials: exactly one "&lt;resource&gt;/.default" (EXCHANGE-FACTS §1). A value without /.default is
    /// AADSTS1002012; several resources or a malformed value AADSTS70011; an unknown resource AADSTS500011.
    /// </summary>
    public static ScopeRequest ForClientCredentials(TenantModel model, string? scope, string tenantName)
    {
        var items = Split(scope);
        var withoutDefault = items.FirstOrDefault(i => !i.EndsWith("/.default", StringComparison.OrdinalIgnoreCase));
        if (withoutDefault is not null)
        {
            throw new AadErrorException(AadError.ClientCredentialScopeWithoutDefault(withoutDefault));
        }

        if (items.Count != 1)
        {
            throw new AadErrorException(AadError.InvalidScope(scope!.Trim()));
        }

        var resourceId = items[0][..^"/.default".Length];
        if (!IsWellFormedResource(resourceId))
        {
            throw new AadErrorException(AadError.InvalidScope(items[0]));
        }

        var resource = ResourceCatalog.Find(model, resourceId) ?? throw new AadErrorException(AadError.ResourceNotFound(resourceId, tenantName));
        return new ScopeRequest(resource, Array.Empty<string>(), true, false, false, items[0]);
    }

    /// <summary>
    /// Delegated flows: "&lt;resource&gt;/&lt;permission&gt;" values of one resource (bare permissions mean Graph, as in
    /// Entra), or "&lt;resource&gt;/.default", plus openid/profile/offline_access/email.
    /// </summary>
    public static ScopeRequest ForDelegated(TenantModel model, string? scope, string tenantName)
    {
        var items = Split(scope);
        var openId = items.Any(i => string.Equals(i, "openid", StringComparison.OrdinalIgnoreCase));
        var offline = items.Any(i => string.Equals(i, "offline_access", StringComparison.OrdinalIgnoreCase));
        var resourceItems = items.Where(i => !OidcScopes.Contains(i)).ToList();
        if (resourceItems.Count == 0)
        {
            throw new AadErrorException(AadError.InvalidScope(scope?.Trim() ?? ""));
        }

        TokenResource? resource = null;
        string? resourceId = null;
        var permissions = new List<string>();
        var isDefault = false;
        foreach (var item in resourceItems)
        {
            var slash = item.LastIndexOf('/');
            var thisResource = slash < 0 ? ResourceCatalog.GraphAudience : item[..slash];
            var permission = slash < 0 ? item : item[(slash + 1)..];
            if (!IsWellFormedResource(thisResource) || permission.Length == 0)
            {
                throw new AadErrorException(AadError.InvalidScope(item));
            }

            var found = ResourceCatalog.Find(model, thisResource) ?? throw new AadErrorException(AadError.ResourceNotFound(thisResource, tenantName));
            if (resource is not null && resource.Audience != found.Audience)
            {
                throw new AadErrorException(AadError.InvalidScope(scope!.Trim()));
            }

            resource = found;
            resourceId ??= thisResource;
            if (permission == ".default")
            {
                isDefault = true;
            }
            else if (found.DelegatedScopes.Contains(permission, StringComparer.OrdinalIgnoreCase))
            {
                permissions.Add(found.DelegatedScopes.First(s => string.Equals(s, permission, StringComparison.OrdinalIgnoreCase)));
            }
            else
            {
                throw new AadErrorException(AadError.InvalidScope(item));
            }
        }

        // A delegated token keeps the audience it was asked for: https://outlook.office.com/SMTP.Send gives
        // aud https://outlook.office.com [OBS, weak: EXCHANGE-FACTS §3]; Exchange accepts both (TenantSubmissionPolicy).
        if (resource!.Audience == ResourceCatalog.ExchangeAudience && string.Equals(resourceId!.TrimEnd('/'), ResourceCatalog.ExchangeDelegatedAlias, StringComparison.OrdinalIgnoreCase))
        {
            resource = resource with { Audience = ResourceCatalog.ExchangeDelegatedAlias };
        }

        return new ScopeRequest(resource, permissions, isDefault, offline, openId, string.Join(' ', resourceItems));
    }

    private static List<string> Split(string? scope) =>
        (scope ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();

    /// <summary>An application ID URI (https://host[/path]) or an app id GUID; quotes, commas and bare words are malformed.</summary>
    private static bool IsWellFormedResource(string resource)
    {
        if (Guid.TryParse(resource, out _))
        {
            return true;
        }

        if (resource.IndexOfAny(new[] { '"', '\'', ',', ';', '<', '>', '\\' }) >= 0)
        {
            return false;
        }

        // A bare host such as outlook.office365.com is well formed but names no resource (AADSTS500011).
        return resource.Length > 0 && (Uri.TryCreate(resource, UriKind.Absolute, out _) || resource.Contains('.'));
    }
}
