using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System;
using OAuthSmtp.Engine.Errors;
using OAuthSmtp.Engine.Trust;

namespace OAuthSmtp.Engine.Profiles;

/// <summary>
/// Checks a profile before it is saved and fills in what follows from its cloud. Every rule throws an
/// <see cref="OAuthSmtpException"/> whose message names the bad value and whose fix says what to give instead.
/// </summary>
public static class ProfileValidator
{
    public const int MaxNameLength = 64;

    public const int MaxTokenGraceSeconds = 3600;

    private static readonly string[] ReservedScopes = { "offline_access", "openid", "profile", "email" };

    private static readonly Regex DomainName = new(
        @"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    private static readonly Regex LocalPart = new(
        @"^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*$",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    private static readonly Regex Thumbprint = new("^[0-9A-F]{40}$", RegexOptions.CultureInvariant);

    /// <summary>The scope a profile gets when the user does not set one.</summary>
    public static string DefaultScope(CloudName cloud, bool delegated)
    {
        var endpoints = CloudEndpoints.For(cloud);
        return delegated ? endpoints.DelegatedScope + " offline_access" : endpoints.AppOnlyScope;
    }

    public static void ValidateName(string? name)
    {
        var problem =
            string.IsNullOrWhiteSpace(name) ? "is empty" :
            name!.Length > MaxNameLength ? $"is longer than {MaxNameLength} characters" :
            name.Trim() != name ? "starts or ends with a space" :
            name.IndexOfAny(new[] { '*', '?', '[', ']', '`' }) >= 0 ? "contains a wildcard character (* ? [ ] `)" :
            name.Any(char.IsControl) ? "contains a control character" :
            null;
        if (problem is not null)
        {
            throw Invalid(
                ErrorIds.InvalidProfileName,
                $"The profile name '{name}' {problem}.",
                $"Give a name of 1 to {MaxNameLength} characters without wildcards, for example -Name 'Scanner'.",
                name);
        }
    }

    /// <summary>Parses a client (application) id; the error says where to find it.</summary>
    public static Guid ParseClientId(string? value)
    {
        if (Guid.TryParse(value?.Trim(), out var clientId) && clientId != Guid.Empty)
        {
            return clientId;
        }

        throw Invalid(
            ErrorIds.InvalidClientId,
            string.IsNullOrWhiteSpace(value)
                ? "No client id was given."
                : $"The client id '{value}' is not a GUID.",
            "Give the Application (client) ID from the app registration's Overview page in the Entra admin center, for example -ClientId 3f1c2b9a-0d4e-4a51-9c8e-2b7f6a1d0e53.",
            value);
    }

    /// <summary>
    /// Derives the settings the user did not override from the cloud and the credential kind, clears fields that
    /// belong to other credential kinds, and checks every setting. Changes <paramref name="profile"/> in place.
    /// Used before a profile is saved.
    /// </summary>
    public static void Normalize(SmtpOAuthProfile profile) => Check(profile, ProfileCheck.BeforeSave);

    /// <summary>
    /// The same rules and error ids for a profile built from parameters (Get-SmtpOAuthToken without -Profile): no
    /// name, the mailbox only when given, and for a managed identity no tenant or client id. An -AuthorityHost
    /// given on the command line counts as set explicitly: set <see cref="ProfileOverrides.AuthorityHost"/>.
    /// </summary>
    public static void NormalizeAdHoc(SmtpOAuthProfile profile) => Check(profile, ProfileCheck.AdHoc);

    /// <summary>
    /// The same rules for a profile read back from the store (a hand-edited file is checked as strictly as input),
    /// except that a certificate file is not required to exist yet: the token request reports a missing one.
    /// </summary>
    internal static void NormalizeStored(SmtpOAuthProfile profile) => Check(profile, ProfileCheck.AfterRead);

    private enum ProfileCheck
    {
        BeforeSave,
        AfterRead,
        AdHoc,
    }

    private static void Check(SmtpOAuthProfile profile, ProfileCheck check)
    {
        if (profile is null)
        {
            throw new ArgumentNullException(nameof(profile));
        }

        if (check != ProfileCheck.AdHoc)
        {
            ValidateName(profile.Name);
        }

        DeriveFromCloud(profile);
        ClearOtherCredentialFields(profile);

        var isManagedIdentity = profile.IsManagedIdentity;
        profile.TenantId = (profile.TenantId ?? string.Empty).Trim();
        var tenantOptional = check == ProfileCheck.AdHoc && isManagedIdentity && profile.TenantId.Length == 0;
        if (!tenantOptional)
        {
            ValidateTenant(profile.TenantId);
        }

        if (profile.ClientId == Guid.Empty && !isManagedIdentity)
        {
            ParseClientId(null);
        }

        profile.Mailbox = (profile.Mailbox ?? string.Empty).Trim();
        if (!(check == ProfileCheck.AdHoc && profile.Mailbox.Length == 0) && !IsSmtpAddress(profile.Mailbox))
        {
            throw Invalid(
                ErrorIds.InvalidMailbox,
                string.IsNullOrEmpty(profile.Mailbox)
                    ? "No mailbox was given."
                    : $"The mailbox '{profile.Mailbox}' is not an SMTP address.",
                "Give the primary SMTP address of the sending mailbox, for example -Mailbox scanner@contoso.com.",
                profile.Mailbox);
        }

        if (profile.Port is < 1 or > 65535)
        {
            throw Invalid(
                ErrorIds.InvalidPort,
                $"The port {profile.Port} is outside 1-65535.",
                "Leave -Port out to use 587 (Exchange Online's submission port), or give a port between 1 and 65535.",
                profile.Port);
        }

        profile.SmtpServer = (profile.SmtpServer ?? string.Empty).Trim();
        if (Uri.CheckHostName(profile.SmtpServer) == UriHostNameType.Unknown)
        {
            throw Invalid(
                ErrorIds.InvalidSmtpServer,
                $"The SMTP server '{profile.SmtpServer}' is not a host name or IP address.",
                $"Leave -SmtpServer out to use {CloudEndpoints.For(profile.Cloud).SmtpServer}, or give a host name such as smtp.office365.com.",
                profile.SmtpServer);
        }

        ValidateAuthorityHost(profile.AuthorityHost);
        if (check == ProfileCheck.AdHoc)
        {
            // Parameters: an -AuthorityHost typed on the command line is named explicitly; the SMTP server is not used.
            if (!isManagedIdentity)
            {
                HostTrustPolicy.RequireAuthorityHost(profile.Cloud, profile.AuthorityHost, profile.AllowNonMicrosoftHost || profile.Overrides.HasFlag(ProfileOverrides.AuthorityHost));
            }
        }
        else
        {
            HostTrustPolicy.RequireProfileHosts(profile);
        }

        ValidateScope(profile);

        if (profile.TokenGraceSeconds is < 0 or > MaxTokenGraceSeconds)
        {
            throw Invalid(
                ErrorIds.InvalidTokenGraceSeconds,
                $"TokenGraceSeconds {profile.TokenGraceSeconds} is outside 0-{MaxTokenGraceSeconds}.",
                "Leave -TokenGraceSeconds out to renew tokens 30 seconds before they expire, or give 0 to 3600.",
                profile.TokenGraceSeconds);
        }

        ValidateCredential(profile, requireFiles: check != ProfileCheck.AfterRead);
    }

    /// <summary>
    /// A tenant GUID or a verified domain. "common", "organizations" and "consumers" are not tenants: SMTP tokens
    /// must come from the mailbox's own tenant (client credentials refuse them; device code answers AADSTS90133).
    /// </summary>
    /// <exception cref="OAuthSmtpException">InvalidTenantId.</exception>
    public static void ValidateTenant(string? tenant, object? target = null)
    {
        tenant = tenant?.Trim();
        if (IsTenant(tenant))
        {
            return;
        }

        var multiTenant = tenant is not null
            && (tenant.Equals("common", StringComparison.OrdinalIgnoreCase)
                || tenant.Equals("organizations", StringComparison.OrdinalIgnoreCase)
                || tenant.Equals("consumers", StringComparison.OrdinalIgnoreCase));
        throw Invalid(
            ErrorIds.InvalidTenantId,
            string.IsNullOrEmpty(tenant) ? "No tenant was given." :
            multiTenant ? $"The tenant '{tenant}' is not a tenant: SMTP tokens must come from your own tenant (client credentials refuse it; device code answers AADSTS90133)." :
            $"The tenant '{tenant}' is neither a tenant id (GUID) nor a domain name.",
            "Give the Directory (tenant) ID from the Entra admin center's Overview page, or a verified domain such as contoso.onmicrosoft.com.",
            target ?? tenant);
    }

    public static bool IsTenant(string? value) =>
        !string.IsNullOrEmpty(value) && ((Guid.TryParse(value, out var id) && id != Guid.Empty) || DomainName.IsMatch(value));

    public static bool IsSmtpAddress(string? value)
    {
        if (string.IsNullOrEmpty(value) || value!.Length > 254)
        {
            return false;
        }

        var at = value.LastIndexOf('@');
        return at > 0 && at <= 64 && LocalPart.IsMatch(value.Substring(0, at)) && DomainName.IsMatch(value.Substring(at + 1));
    }

    /// <summary>Upper-case hex without spaces (as copied from the certificate dialog), or null when it is not a thumbprint.</summary>
    public static string? NormalizeThumbprint(string? value)
    {
        var compact = new string((value ?? string.Empty).Where(c => !char.IsWhiteSpace(c) && c != '\u200e').ToArray()).ToUpperInvariant();
        return Thumbprint.IsMatch(compact) ? compact : null;
    }

    private static void DeriveFromCloud(SmtpOAuthProfile profile)
    {
        var endpoints = CloudEndpoints.For(profile.Cloud);
        if (!profile.Overrides.HasFlag(ProfileOverrides.SmtpServer))
        {
            profile.SmtpServer = endpoints.SmtpServer;
        }

        if (!profile.Overrides.HasFlag(ProfileOverrides.Port))
        {
            profile.Port = CloudEndpoints.SmtpPort;
        }

        if (!profile.Overrides.HasFlag(ProfileOverrides.AuthorityHost))
        {
            profile.AuthorityHost = endpoints.AuthorityHost;
        }

        if (!profile.Overrides.HasFlag(ProfileOverrides.Scope))
        {
            profile.Scope = DefaultScope(profile.Cloud, profile.IsDelegated);
        }
    }

    private static void ClearOtherCredentialFields(SmtpOAuthProfile profile)
    {
        if (profile.CredentialKind != CredentialKind.CertificateThumbprint)
        {
            profile.CertificateThumbprint = null;
            profile.CertificateStoreLocation = null;
        }

        if (profile.CredentialKind != CredentialKind.CertificateFile)
        {
            profile.CertificatePath = null;
        }

        if (profile.CredentialKind != CredentialKind.UserManagedIdentity)
        {
            profile.ManagedIdentityId = null;
            profile.ManagedIdentityIdKind = null;
        }

        if (profile.CredentialKind is not (CredentialKind.ClientSecret or CredentialKind.CertificateFile))
        {
            profile.SecretName = null;
            profile.Vault = null;
        }

        if (string.IsNullOrWhiteSpace(profile.SecretName))
        {
            profile.SecretName = null;
            profile.Vault = null;
        }
    }

    /// <summary>Parses an -AuthorityHost value (New-/Set-SmtpOAuthProfile, Get-SmtpOAuthToken) with the one rule.</summary>
    /// <exception cref="OAuthSmtpException">InvalidAuthorityHost.</exception>
    public static Uri ParseAuthorityHost(string? value)
    {
        Uri.TryCreate(value?.Trim(), UriKind.Absolute, out var authorityHost);
        ValidateAuthorityHost(authorityHost, value);
        return authorityHost!;
    }

    /// <exception cref="OAuthSmtpException">InvalidAuthorityHost: not an absolute https address without query or fragment.</exception>
    public static void ValidateAuthorityHost(Uri? authorityHost, object? target = null) => ValidateAuthorityHost(authorityHost, authorityHost?.ToString(), target);

    private static void ValidateAuthorityHost(Uri? authorityHost, string? given, object? target = null)
    {
        if (authorityHost is null
            || !authorityHost.IsAbsoluteUri
            || authorityHost.Scheme != Uri.UriSchemeHttps
            || !string.IsNullOrEmpty(authorityHost.Query)
            || !string.IsNullOrEmpty(authorityHost.Fragment))
        {
            throw Invalid(
                ErrorIds.InvalidAuthorityHost,
                $"The authority host '{given}' is not an absolute https address.",
                "Leave -AuthorityHost out to use the cloud's sign-in address, or give one such as https://login.microsoftonline.com.",
                target ?? given);
        }
    }

    private static void ValidateScope(SmtpOAuthProfile profile)
    {
        var parts = (profile.Scope ?? string.Empty).Split(new[] { ' ', '\t' }, StringSplitOptions.RemoveEmptyEntries);
        var resources = parts.Where(p => !ReservedScopes.Contains(p, StringComparer.OrdinalIgnoreCase)).ToArray();
        string? problem = null;
        if (resources.Length == 0)
        {
            problem = "names no resource";
        }
        else if (resources.Any(r => !Uri.TryCreate(r, UriKind.Absolute, out _)))
        {
            problem = "has a part that is not an absolute URI (resource/permission)";
        }
        else if (!profile.IsDelegated && (parts.Length != 1 || !resources[0].EndsWith("/.default", StringComparison.Ordinal)))
        {
            problem = "is not one resource followed by /.default, which app-only (client credentials) tokens require";
        }

        if (problem is not null)
        {
            var expected = DefaultScope(profile.Cloud, profile.IsDelegated);
            throw Invalid(
                ErrorIds.InvalidScope,
                $"The scope '{profile.Scope}' {problem}.",
                $"Leave -Scope out to use '{expected}', or give a scope of the same form.",
                profile.Scope);
        }

        profile.Scope = string.Join(" ", parts);
    }

    private static void ValidateCredential(SmtpOAuthProfile profile, bool requireFiles)
    {
        switch (profile.CredentialKind)
        {
            case CredentialKind.CertificateThumbprint:
                var thumbprint = NormalizeThumbprint(profile.CertificateThumbprint)
                    ?? throw Invalid(
                        ErrorIds.InvalidCertificateThumbprint,
                        $"The certificate thumbprint '{profile.CertificateThumbprint}' is not 40 hexadecimal characters.",
                        "Copy the Thumbprint of the certificate from Get-ChildItem Cert:\\CurrentUser\\My (or LocalMachine\\My).",
                        profile.CertificateThumbprint);
                profile.CertificateThumbprint = thumbprint;
                profile.CertificateStoreLocation ??= "CurrentUser";
                if (!string.Equals(profile.CertificateStoreLocation, "CurrentUser", StringComparison.OrdinalIgnoreCase)
                    && !string.Equals(profile.CertificateStoreLocation, "LocalMachine", StringComparison.OrdinalIgnoreCase))
                {
                    throw Invalid(
                        ErrorIds.InvalidCertificateThumbprint,
                        $"The certificate store location '{profile.CertificateStoreLocation}' is neither CurrentUser nor LocalMachine.",
                        "Give -CertificateStoreLocation CurrentUser or LocalMachine.",
                        profile.CertificateStoreLocation);
                }

                profile.CertificateStoreLocation = profile.CertificateStoreLocation.Equals("CurrentUser", StringComparison.OrdinalIgnoreCase) ? "CurrentUser" : "LocalMachine";
                break;

            case CredentialKind.CertificateFile:
                if (string.IsNullOrWhiteSpace(profile.CertificatePath) || (requireFiles && !File.Exists(profile.CertificatePath)))
                {
                    throw new OAuthSmtpException(
                        ErrorIds.CertificateFileNotFound,
                        ErrorKind.ObjectNotFound,
                        $"The certificate file '{profile.CertificatePath}' does not exist.",
                        "Give the full path of the .pfx file with -CertificatePath, and its password with -CertificatePassword.",
                        profile.CertificatePath);
                }

                profile.CertificatePath = Path.GetFullPath(profile.CertificatePath);
                break;

            case CredentialKind.UserManagedIdentity:
                var kind = profile.ManagedIdentityIdKind ?? Profiles.ManagedIdentityIdKind.ClientId;
                profile.ManagedIdentityIdKind = kind;
                var id = profile.ManagedIdentityId?.Trim();
                var valid = kind == Profiles.ManagedIdentityIdKind.ResourceId
                    ? id is not null && id.StartsWith("/subscriptions/", StringComparison.OrdinalIgnoreCase)
                    : Guid.TryParse(id, out var guid) && guid != Guid.Empty;
                if (!valid)
                {
                    throw Invalid(
                        ErrorIds.InvalidManagedIdentityId,
                        $"The managed identity id '{profile.ManagedIdentityId}' is not a valid {kind}.",
                        "Give the user-assigned identity's client id (GUID) with -ManagedIdentityId, or its resource id (/subscriptions/...) with -ManagedIdentityIdKind ResourceId, or leave both out for the system-assigned identity.",
                        profile.ManagedIdentityId);
                }

                profile.ManagedIdentityId = kind == Profiles.ManagedIdentityIdKind.ResourceId ? id : Guid.Parse(id).ToString();
                break;
        }
    }

    private static OAuthSmtpException Invalid(string errorId, string message, string fix, object? target) =>
        new(errorId, ErrorKind.InvalidArgument, message, fix, target);
}
