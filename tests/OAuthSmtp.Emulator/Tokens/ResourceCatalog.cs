using System;
using System.Collections.Generic;
using OAuthSmtp.Emulator.Model;

namespace OAuthSmtp.Emulator.Tokens;

/// <summary>A resource (API) tokens can be issued for: its audience, its service principal and its app roles in the tenant.</summary>
internal sealed record TokenResource(string Audience, string DisplayName, Guid ServicePrincipalId, IReadOnlyDictionary<string, Guid> AppRoles, IReadOnlyCollection<string> DelegatedScopes);

/// <summary>
/// Which resource identifiers the token service knows. Exchange answers to https://outlook.office365.com, its older
/// delegated alias https://outlook.office.com, https://ps.outlook.com and its app id; Exchange tokens carry
/// aud https://outlook.office365.com, except delegated tokens asked for https://outlook.office.com, which keep it (EXCHANGE-FACTS §3). Graph answers to https://graph.microsoft.com and its app id.
/// </summary>
internal static class ResourceCatalog
{
    public const string ExchangeAudience = "https://outlook.office365.com";
    public const string GraphAudience = "https://graph.microsoft.com";

    /// <summary>Exchange's delegated alias: a delegated token asked for it keeps it as aud.</summary>
    public const string ExchangeDelegatedAlias = "https://outlook.office.com";

    private static readonly string[] ExchangeIdentifiers = { "https://outlook.office365.com", "https://outlook.office.com", "https://ps.outlook.com", TenantModel.ExchangeResourceAppId.ToString() };
    private static readonly string[] GraphIdentifiers = { "https://graph.microsoft.com", TenantModel.GraphResourceAppId.ToString() };
    private static readonly string[] ExchangeDelegatedScopes = { "SMTP.Send", "IMAP.AccessAsUser.All", "POP.AccessAsUser.All", "EWS.AccessAsUser.All" };
    private static readonly string[] GraphDelegatedScopes = { "User.Read", "Mail.Send", "SMTP.Send" };

    /// <summary>The resource an identifier names (case-insensitive, a trailing slash ignored), or null.</summary>
    public static TokenResource? Find(TenantModel model, string identifier)
    {
        var normalized = identifier.TrimEnd('/');
        foreach (var candidate in ExchangeIdentifiers)
        {
            if (string.Equals(candidate, normalized, StringComparison.OrdinalIgnoreCase))
            {
                return new TokenResource(ExchangeAudience, "Office 365 Exchange Online", model.ExchangeResourceServicePrincipalId, model.ExchangeAppRoles, ExchangeDelegatedScopes);
            }
        }

        foreach (var candidate in GraphIdentifiers)
        {
            if (string.Equals(candidate, normalized, StringComparison.OrdinalIgnoreCase))
            {
                return new TokenResource(GraphAudience, "Microsoft Graph", model.GraphResourceServicePrincipalId, model.GraphAppRoles, GraphDelegatedScopes);
            }
        }

        return null;
    }
}
