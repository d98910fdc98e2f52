using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.RegularExpressions;
using OAuthSmtp.Emulator.Model;

namespace OAuthSmtp.Emulator.Graph;

/// <summary>
/// /applications: list ($filter appId/displayName), get by object id or (appId='…'), create, update (PATCH: displayName,
/// signInAudience, requiredResourceAccess, web/publicClient redirect URIs, isFallbackPublicClient, keyCredentials),
/// delete, addPassword and removePassword. passwordCredentials are read-only here (secretText only from addPassword).
/// </summary>
internal sealed partial class GraphSurface
{
    private const string ApplicationResource = "Application";

    /// <summary>Properties of microsoft.graph.application (v1.0); others are refused as Graph refuses them.</summary>
    private static readonly HashSet<string> ApplicationProperties = new(StringComparer.Ordinal)
    {
        "addIns", "api", "appId", "appRoles", "applicationTemplateId", "certification", "createdDateTime", "defaultRedirectUri", "deletedDateTime",
        "description", "disabledByMicrosoftStatus", "displayName", "groupMembershipClaims", "id", "identifierUris", "info", "isDeviceOnlyAuthSupported",
        "isFallbackPublicClient", "keyCredentials", "logo", "nativeAuthenticationApisEnabled", "notes", "oauth2RequirePostResponse", "optionalClaims",
        "parentalControlSettings", "passwordCredentials", "publicClient", "publisherDomain", "requestSignatureVerification", "requiredResourceAccess",
        "samlMetadataUrl", "serviceManagementReference", "servicePrincipalLockConfiguration", "signInAudience", "spa", "tags", "tokenEncryptionKeyId",
        "uniqueName", "verifiedPublisher", "web",
    };

    private static readonly string[] SignInAudiences = { "AzureADMyOrg", "AzureADMultipleOrgs", "AzureADandPersonalMicrosoftAccount", "PersonalMicrosoftAccount" };

    private GraphResult Applications(GraphRequest request)
    {
        var segments = request.Segments;
        var caller = request.Caller;
        if (segments.Length == 1 && segments[0] == "applications")
        {
            if (request.IsGet)
            {
                caller.Require(GraphPermissions.ReadApplicationsScopes, GraphPermissions.ReadApplicationsRoles);
                var apps = Filter(Model.Applications, request.Filter, new Dictionary<string, Func<AppRegistration, string?>>
                {
                    ["appId"] = a => a.AppId.ToString(),
                    ["displayName"] = a => a.DisplayName,
                });
                return GraphResult.Ok(GraphResponses.Project(GraphResponses.Collection("applications", apps.Select(Application)), request.Select));
            }

            if (request.IsPost)
            {
                return CreateApplication(request);
            }

            throw NotAllowed();
        }

        var app = FindApplication(segments[0], segments.Length > 1 ? segments[1] : null);
        var rest = segments[0].StartsWith("applications(", StringComparison.Ordinal) ? segments.Skip(1).ToArray() : segments.Skip(2).ToArray();
        if (rest.Length == 0)
        {
            if (request.IsGet)
            {
                caller.Require(GraphPermissions.ReadApplicationsScopes, GraphPermissions.ReadApplicationsRoles);
                return GraphResult.Ok(GraphResponses.Project(GraphResponses.Entity("applications/$entity", Application(app)), request.Select));
            }

            if (request.IsPatch)
            {
                RequireManage(caller, app);
                UpdateApplication(app, request.RequireBody(), isCreate: false);
                return GraphResult.NoContent();
            }

            if (request.IsDelete)
            {
                RequireManage(caller, app);
                DeleteApplication(app);
                return GraphResult.NoContent();
            }

            throw NotAllowed();
        }

        if (rest.Length == 1 && request.IsPost && rest[0] is "addPassword" or "microsoft.graph.addPassword")
        {
            RequireManage(caller, app);
            return AddPassword(app, request);
        }

        if (rest.Length == 1 && request.IsPost && rest[0] is "removePassword" or "microsoft.graph.removePassword")
        {
            RequireManage(caller, app);
            var keyId = request.GuidProperty("keyId", "passwordCredential") ?? throw GraphErrorException.InvalidValue("keyId", "passwordCredential");
            var removed = app.Secrets.RemoveAll(s => s.KeyId == keyId);
            if (removed == 0)
            {
                // Real text not confirmed publicly; the code is Graph's for a bad argument.
                throw GraphErrorException.BadRequest($"No password credential found with keyId '{keyId}'.");
            }

            return GraphResult.NoContent();
        }

        throw GraphErrorException.UnknownSegment(rest[0]);
    }

    /// <summary>applications/{id} or applications(appId='…'); 404 Request_ResourceNotFound otherwise.</summary>
    private AppRegistration FindApplication(string head, string? id)
    {
        var byAppId = Regex.Match(head, @"^applications\(appId='(?<id>[^']*)'\)$");
        if (byAppId.Success)
        {
            var appId = byAppId.Groups["id"].Value;
            return Model.Applications.FirstOrDefault(a => string.Equals(a.AppId.ToString(), appId, StringComparison.OrdinalIgnoreCase))
                ?? throw GraphErrorException.NotFound(appId);
        }

        if (id is null)
        {
            throw GraphErrorException.UnknownSegment(head);
        }

        return Model.Applications.FirstOrDefault(a => string.Equals(a.ObjectId.ToString(), id, StringComparison.OrdinalIgnoreCase))
            ?? throw GraphErrorException.NotFound(id);
    }

    /// <summary>Updating an app needs Application.ReadWrite.All and, for a user, ownership or an application admin role.</summary>
    private static void RequireManage(GraphCaller caller, AppRegistration app)
    {
        caller.Require(GraphPermissions.WriteApplicationsScopes, GraphPermissions.WriteApplicationsRoles);
        caller.RequireRole(DirectoryRoleTemplates.ManageAllApplications, otherwiseAllowed: caller.User is not null && app.Owners.Contains(caller.User.ObjectId));
    }

    private GraphResult CreateApplication(GraphRequest request)
    {
        var caller = request.Caller;
        caller.Require(GraphPermissions.WriteApplicationsScopes, GraphPermissions.WriteApplicationsRoles);
        // "Users can register applications" (default Yes) lets any member create apps; otherwise a role must allow it.
        caller.RequireRole(DirectoryRoleTemplates.RegisterApplications, otherwiseAllowed: Model.Tenant.UsersCanRegisterApplications);
        var body = request.RequireBody();
        if (!body.TryGetProperty("displayName", out var name) || name.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(name.GetString()))
        {
            throw GraphErrorException.InvalidValue("displayName", ApplicationResource);
        }

        var now = Now;
        var app = new AppRegistration
        {
            AppId = Guid.NewGuid(),
            ObjectId = Guid.NewGuid(),
            CreatedDateTime = now,
            AvailableAt = Model.EffectiveFromNow(ChangeKind.DirectoryReplication),
        };
        UpdateApplication(app, body, isCreate: true);
        if (caller.User is not null)
        {
            app.Owners.Add(caller.User.ObjectId);
        }

        Model.Applications.Add(app);
        return GraphResult.Created(GraphResponses.Entity("applications/$entity", Application(app)));
    }

    /// <summary>Applies the properties the body names; a PATCH replaces each collection it names as a whole.</summary>
    private void UpdateApplication(AppRegistration app, JsonElement body, bool isCreate)
    {
        foreach (var property in body.EnumerateObject())
        {
            if (!ApplicationProperties.Contains(property.Name) && !property.Name.Contains('@', StringComparison.Ordinal))
            {
                throw GraphErrorException.UnknownProperty(property.Name, "application");
            }
        }

        // Validate everything first: a refused PATCH changes nothing.
        string? displayName = null;
        if (body.TryGetProperty("displayName", out var name))
        {
            displayName = name.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(name.GetString()) ? name.GetString() : throw GraphErrorException.InvalidValue("displayName", ApplicationResource);
        }

        string? audience = null;
        if (body.TryGetProperty("signInAudience", out var audienceValue))
        {
            audience = audienceValue.ValueKind == JsonValueKind.String && SignInAudiences.Contains(audienceValue.GetString(), StringComparer.Ordinal)
                ? audienceValue.GetString()
                : throw GraphErrorException.InvalidValue("signInAudience", ApplicationResource);
        }

        if (body.TryGetProperty("passwordCredentials", out var passwords) && passwords.ValueKind == JsonValueKind.Array && passwords.GetArrayLength() > 0 && !isCreate)
        {
            // Secrets are added with addPassword, which is the only place Graph returns their value.
            throw GraphErrorException.BadRequest("Updates to the passwordCredentials property are not supported. Use the addPassword and removePassword actions.");
        }

        var required = body.TryGetProperty("requiredResourceAccess", out var requiredValue) ? ParseRequiredResourceAccess(requiredValue) : null;
        var webUris = body.TryGetProperty("web", out var web) && web.ValueKind == JsonValueKind.Object && web.TryGetProperty("redirectUris", out var webRedirects) ? ParseRedirectUris(webRedirects, "web") : null;
        var publicUris = body.TryGetProperty("publicClient", out var publicClient) && publicClient.ValueKind == JsonValueKind.Object && publicClient.TryGetProperty("redirectUris", out var publicRedirects) ? ParseRedirectUris(publicRedirects, "publicClient") : null;
        bool? fallbackPublic = null;
        if (body.TryGetProperty("isFallbackPublicClient", out var fallback) && fallback.ValueKind != JsonValueKind.Null)
        {
            fallbackPublic = fallback.ValueKind is JsonValueKind.True or JsonValueKind.False ? fallback.GetBoolean() : throw GraphErrorException.InvalidValue("isFallbackPublicClient", ApplicationResource);
        }

        var keys = body.TryGetProperty("keyCredentials", out var keyValue) ? ParseKeyCredentials(app, keyValue) : null;

        if (displayName is not null) app.DisplayName = displayName;
        if (audience is not null) app.SignInAudience = audience;
        if (fallbackPublic is not null) app.IsPublicClient = fallbackPublic.Value;
        if (required is not null)
        {
            app.RequiredResourceAccess.Clear();
            app.RequiredResourceAccess.AddRange(required);
        }

        if (webUris is not null)
        {
            app.WebRedirectUris.Clear();
            app.WebRedirectUris.AddRange(webUris);
        }

        if (publicUris is not null)
        {
            app.RedirectUris.Clear();
            app.RedirectUris.AddRange(publicUris);
        }

        if (keys is not null)
        {
            app.Certificates.Clear();
            app.Certificates.AddRange(keys);
        }
    }

    private static List<RequiredResourceAccess> ParseRequiredResourceAccess(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Array)
        {
            throw GraphErrorException.InvalidValue("requiredResourceAccess", ApplicationResource);
        }

        var result = new List<RequiredResourceAccess>();
        foreach (var entry in value.EnumerateArray())
        {
            if (entry.ValueKind != JsonValueKind.Object || !entry.TryGetProperty("resourceAppId", out var resourceAppId) ||
                !Guid.TryParse(resourceAppId.GetString(), out var resourceGuid))
            {
                throw GraphErrorException.InvalidValue("requiredResourceAccess", ApplicationResource);
            }

            var access = new RequiredResourceAccess { ResourceAppId = resourceGuid };
            if (entry.TryGetProperty("resourceAccess", out var list) && list.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in list.EnumerateArray())
                {
                    var type = item.TryGetProperty("type", out var typeValue) ? typeValue.GetString() : null;
                    if (!item.TryGetProperty("id", out var id) || !Guid.TryParse(id.GetString(), out var idGuid) || type is not ("Role" or "Scope"))
                    {
                        throw GraphErrorException.InvalidValue("requiredResourceAccess", ApplicationResource);
                    }

                    access.ResourceAccess.Add(new ResourceAccess(idGuid, type));
                }
            }

            result.Add(access);
        }

        return result;
    }

    private static List<string> ParseRedirectUris(JsonElement value, string owner)
    {
        if (value.ValueKind != JsonValueKind.Array)
        {
            throw GraphErrorException.InvalidValue("redirectUris", owner);
        }

        var uris = new List<string>();
        foreach (var item in value.EnumerateArray())
        {
            var text = item.ValueKind == JsonValueKind.String ? item.GetString() : null;
            // Entra takes absolute URIs; web redirect URIs must be https except for localhost.
            if (text is null || !Uri.TryCreate(text, UriKind.Absolute, out var uri) ||
                (owner == "web" && uri.Scheme != Uri.UriSchemeHttps && !(uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback)))
            {
                throw GraphErrorException.InvalidValue("redirectUris", "Application");
            }

            uris.Add(text);
        }

        return uris;
    }

    /// <summary>
    /// keyCredentials in a PATCH replace the collection: an entry with "key" adds that public certificate; an entry
    /// without a key but with the keyId of an existing one keeps it (that is how a client keeps the keys it read).
    /// </summary>
    private List<ClientCertificate> ParseKeyCredentials(AppRegistration app, JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Array)
        {
            throw GraphErrorException.InvalidValue("keyCredentials", ApplicationResource);
        }

        var result = new List<ClientCertificate>();
        foreach (var entry in value.EnumerateArray())
        {
            var keyId = entry.TryGetProperty("keyId", out var keyIdValue) && keyIdValue.ValueKind == JsonValueKind.String && Guid.TryParse(keyIdValue.GetString(), out var parsedKeyId) ? parsedKeyId : (Guid?)null;
            var key = entry.TryGetProperty("key", out var keyValue) && keyValue.ValueKind == JsonValueKind.String ? keyValue.GetString() : null;
            if (key is null)
            {
                var existing = keyId is null ? null : app.Certificates.FirstOrDefault(c => c.KeyId == keyId);
                result.Add(existing ?? throw GraphErrorException.InvalidValue("keyCredentials", ApplicationResource));
                continue;
            }

            var type = entry.TryGetProperty("type", out var typeValue) ? typeValue.GetString() : null;
            var usage = entry.TryGetProperty("usage", out var usageValue) ? usageValue.GetString() : null;
            if (type != "AsymmetricX509Cert" || usage != "Verify")
            {
                throw GraphErrorException.InvalidValue("keyCredentials", ApplicationResource);
            }

            X509Certificate2 certificate;
            try
            {
                certificate = X509CertificateLoader.LoadCertificate(Convert.FromBase64String(key));
            }
            catch (Exception ex) when (ex is FormatException or CryptographicException)
            {
                throw GraphErrorException.InvalidValue("keyCredentials", ApplicationResource);
            }

            using (certificate)
            {
                var notBefore = new DateTimeOffset(certificate.NotBefore.ToUniversalTime());
                var notAfter = new DateTimeOffset(certificate.NotAfter.ToUniversalTime());
                var start = entry.TryGetProperty("startDateTime", out var startValue) && startValue.ValueKind == JsonValueKind.String ? startValue.GetDateTimeOffset() : notBefore;
                var end = entry.TryGetProperty("endDateTime", out var endValue) && endValue.ValueKind == JsonValueKind.String ? endValue.GetDateTimeOffset() : notAfter;
                if (end > notAfter.AddSeconds(1) || end <= start)
                {
                    // Graph refuses a key credential that outlives its certificate.
                    throw GraphErrorException.BadRequest("Key credential end date is invalid.");
                }

                result.Add(new ClientCertificate
                {
                    KeyId = keyId ?? Guid.NewGuid(),
                    RawData = certificate.RawData,
                    Thumbprint = certificate.Thumbprint,
                    DisplayName = entry.TryGetProperty("displayName", out var displayName) && displayName.ValueKind == JsonValueKind.String ? displayName.GetString()! : certificate.Subject,
                    StartDateTime = start,
                    EndDateTime = end,
                    AvailableAt = Model.EffectiveFromNow(ChangeKind.DirectoryReplication),
                });
            }
        }

        return result;
    }

    /// <summary>addPassword: a new secret with a generated value, returned once in secretText; default lifetime two years.</summary>
    private GraphResult AddPassword(AppRegistration app, GraphRequest request)
    {
        JsonElement? credential = request.Body is { } body && body.TryGetProperty("passwordCredential", out var value) && value.ValueKind == JsonValueKind.Object ? value : null;
        var now = Now;
        DateTimeOffset? Date(string name) =>
            credential is { } c && c.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String
                ? (v.TryGetDateTimeOffset(out var d) ? d : throw GraphErrorException.InvalidValue(name, "passwordCredential"))
                : null;
        var start = Date("startDateTime") ?? now;
        var end = Date("endDateTime") ?? start.AddYears(2);
        if (end <= start)
        {
            throw GraphErrorException.InvalidValue("endDateTime", "passwordCredential");
        }

        var secret = new ClientSecret
        {
            KeyId = Guid.NewGuid(),
            DisplayName = credential is { } c2 && c2.TryGetProperty("displayName", out var dn) && dn.ValueKind == JsonValueKind.String ? dn.GetString()! : "",
            Value = Scenarios.ScenarioBuilder.NewClientSecretValue(),
            StartDateTime = start,
            EndDateTime = end,
            AvailableAt = Model.EffectiveFromNow(ChangeKind.DirectoryReplication),
        };
        app.Secrets.Add(secret);
        return GraphResult.Ok(GraphResponses.Entity("microsoft.graph.passwordCredential", PasswordCredential(secret, withSecretText: true)));
    }

    /// <summary>Deleting an app deletes its enterprise app too (with that principal's grants and assignments).</summary>
    private void DeleteApplication(AppRegistration app)
    {
        var principals = Model.ServicePrincipals.Where(s => s.AppId == app.AppId).Select(s => s.ObjectId).ToList();
        Model.AppRoleAssignments.RemoveAll(a => principals.Contains(a.PrincipalId));
        Model.DelegatedGrants.RemoveAll(g => principals.Contains(g.ClientId));
        Model.ServicePrincipals.RemoveAll(s => s.AppId == app.AppId);
        Model.Applications.Remove(app);
    }
}
