using System;
using System.Collections.Generic;
using System.Linq;
using OAuthSmtp.Engine.Errors;
using OAuthSmtp.Engine.Profiles;

namespace OAuthSmtp.Engine.Tokens;

/// <summary>
/// The scopes a request asks for, checked against the credential kind before anything goes on the wire:
/// the mistakes that Entra answers with AADSTS1002012/70011/500011 are caught here, with the fix.
/// App-only (client credentials, managed identity): exactly one "&lt;resource&gt;/.default".
/// Delegated (device code, browser): "&lt;resource&gt;/SMTP.Send" (plus offline_access, added here).
/// </summary>
public sealed class TokenScopes
{
    private const string DefaultSuffix = "/.default";
    private const string OfflineAccess = "offline_access";

    private TokenScopes(IReadOnlyList<string> scopes, string resource)
    {
        Scopes = scopes;
        Resource = resource;
    }

    /// <summary>What goes into the request's scope parameter.</summary>
    public IReadOnlyList<string> Scopes { get; }

    /// <summary>The resource URI (the scope without its permission): what a managed identity endpoint takes.</summary>
    public string Resource { get; }

    public static bool IsAppOnly(CredentialKind kind) =>
        kind is not (CredentialKind.DeviceCode or CredentialKind.Interactive);

    /// <param name="scope">The profile's scope (space-separated); empty takes the cloud's default for the kind.</param>
    public static TokenScopes For(CredentialKind kind, string? scope, CloudName cloud, object? target = null)
    {
        var endpoints = CloudEndpoints.For(cloud);
        var appOnly = IsAppOnly(kind);
        var requested = (scope ?? string.Empty)
            .Split(new[] { ' ', ',', ';' }, StringSplitOptions.RemoveEmptyEntries)
            .Select(s => s.Trim())
            .ToList();
        if (requested.Count == 0)
        {
            requested.Add(appOnly ? endpoints.AppOnlyScope : endpoints.DelegatedScope);
        }

        return appOnly ? ForAppOnly(kind, requested, endpoints, target) : ForDelegated(kind, requested, endpoints, target);
    }

    private static TokenScopes ForAppOnly(CredentialKind kind, List<string> requested, CloudEndpoints endpoints, object? target)
    {
        var flow = kind is CredentialKind.SystemManagedIdentity or CredentialKind.UserManagedIdentity ? "A managed identity" : "Client credentials (a secret or certificate)";
        var fix = $"Use the scope {endpoints.AppOnlyScope}: Set-SmtpOAuthProfile -Name <name> -Scope '{endpoints.AppOnlyScope}' (or leave -Scope out to take the cloud's default).";
        var withoutOffline = requested.Where(s => !string.Equals(s, OfflineAccess, StringComparison.OrdinalIgnoreCase)).ToList();
        if (withoutOffline.Count != requested.Count)
        {
            throw Invalid($"{flow} gets no refresh token, so offline_access cannot be requested with it.", fix, target);
        }

        if (withoutOffline.Count != 1)
        {
            throw Invalid($"{flow} can request exactly one scope, the resource followed by /.default; '{string.Join(" ", requested)}' names {withoutOffline.Count}.", fix, target);
        }

        var single = withoutOffline[0];
        var permission = PermissionOf(single);
        if (string.Equals(permission, SmtpTokenAssessment.SendScope, StringComparison.OrdinalIgnoreCase)
            || string.Equals(permission, SmtpTokenAssessment.SendAsAppRole, StringComparison.OrdinalIgnoreCase))
        {
            throw Invalid(
                $"{flow} cannot request '{single}': application permissions such as SMTP.SendAsApp are granted by admin consent and requested through the resource's /.default scope; SMTP.Send is a delegated permission for a signed-in user (Entra would answer AADSTS1002012).",
                fix,
                target);
        }

        if (!single.EndsWith(DefaultSuffix, StringComparison.OrdinalIgnoreCase))
        {
            throw Invalid(
                $"{flow} must request a resource followed by /.default; '{single}' has no /.default suffix (Entra would answer AADSTS1002012).",
                fix,
                target);
        }

        var resource = single.Substring(0, single.Length - DefaultSuffix.Length);
        RequireAbsoluteResource(resource, single, fix, target);
        return new TokenScopes(new[] { single }, resource);
    }

    private static TokenScopes ForDelegated(CredentialKind kind, List<string> requested, CloudEndpoints endpoints, object? target)
    {
        var fix = $"Use the scope {endpoints.DelegatedScope}: Set-SmtpOAuthProfile -Name <name> -Scope '{endpoints.DelegatedScope}' (or leave -Scope out to take the cloud's default).";
        var permissions = requested.Where(s => !string.Equals(s, OfflineAccess, StringComparison.OrdinalIgnoreCase)).ToList();
        foreach (var scope in permissions)
        {
            if (string.Equals(PermissionOf(scope), SmtpTokenAssessment.SendAsAppRole, StringComparison.OrdinalIgnoreCase))
            {
                throw Invalid(
                    $"A signed-in user ({kind}) cannot request '{scope}': SMTP.SendAsApp is an application permission for app-only credentials; users send with the delegated SMTP.Send.",
                    fix,
                    target);
            }
        }

        var send = permissions.FirstOrDefault(s =>
            string.Equals(PermissionOf(s), SmtpTokenAssessment.SendScope, StringComparison.OrdinalIgnoreCase)
            || s.EndsWith(DefaultSuffix, StringComparison.OrdinalIgnoreCase));
        if (send is null)
        {
            throw Invalid(
                $"A delegated token for SMTP needs the SMTP.Send permission of Exchange Online; '{string.Join(" ", requested)}' does not ask for it.",
                fix,
                target);
        }

        var resources = permissions.Select(ResourceOf).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        if (resources.Count > 1)
        {
            throw Invalid(
                $"One token can be for one resource only; '{string.Join(" ", requested)}' mixes {string.Join(", ", resources)} (Entra would answer AADSTS70011).",
                fix,
                target);
        }

        RequireAbsoluteResource(resources[0], send, fix, target);
        var scopes = permissions.Concat(new[] { OfflineAccess }).ToArray();
        return new TokenScopes(scopes, resources[0]);
    }

    private static void RequireAbsoluteResource(string resource, string scope, string fix, object? target)
    {
        if (!Uri.TryCreate(resource, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            throw Invalid(
                $"The scope '{scope}' does not start with the resource's full URI (such as https://outlook.office365.com); Entra would answer AADSTS500011 (resource principal not found).",
                fix,
                target);
        }
    }

    private static string PermissionOf(string scope)
    {
        var slash = scope.LastIndexOf('/');
        return slash < 0 ? scope : scope.Substring(slash + 1);
    }

    private static string ResourceOf(string scope)
    {
        var slash = scope.LastIndexOf('/');
        return slash < 0 ? string.Empty : scope.Substring(0, slash);
    }

    private static OAuthSmtpException Invalid(string message, string fix, object? target) =>
        new(ErrorIds.TokenScopeInvalid, ErrorKind.InvalidArgument, message + " This was caught before any request was sent.", fix, target);
}
