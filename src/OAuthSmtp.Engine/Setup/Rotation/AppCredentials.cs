using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using OAuthSmtp.Engine.Setup.Entra;
using OAuthSmtp.Engine.Setup.Provisioning;

namespace OAuthSmtp.Engine.Setup.Rotation;

/// <summary>
/// An app registration's credentials as the admin's Graph session reads them (GET applications?$filter=appId eq '…'):
/// its object id, its client secrets (keyId, hint, end) and its certificates (keyId, SHA-1 thumbprint, end). Read
/// with the ADMIN's rights, so it works for apps this module did not create.
/// </summary>
public sealed class AppCredentials
{
    private AppCredentials(string objectId, string appId, string displayName, IReadOnlyList<AppCredential> secrets, IReadOnlyList<AppCredential> certificates, IReadOnlyList<JsonElement> keyCredentials)
    {
        ObjectId = objectId;
        AppId = appId;
        DisplayName = displayName;
        Secrets = secrets;
        Certificates = certificates;
        KeyCredentials = keyCredentials;
    }

    /// <summary>The application object's id (the path of addPassword/removePassword, not what Exchange wants).</summary>
    public string ObjectId { get; }

    public string AppId { get; }

    public string DisplayName { get; }

    public IReadOnlyList<AppCredential> Secrets { get; }

    public IReadOnlyList<AppCredential> Certificates { get; }

    /// <summary>The keyCredentials as Graph gave them (a certificate PATCH must repeat the ones it keeps).</summary>
    public IReadOnlyList<JsonElement> KeyCredentials { get; }

    /// <summary>The app with this client id in the session's tenant, or null when there is none.</summary>
    public static AppCredentials? Read(IGraphAdmin graph, Guid clientId, System.Threading.CancellationToken cancellationToken)
    {
        var request = GraphRequest.Get($"applications?$filter=appId eq '{GraphRequest.FilterLiteral(clientId.ToString())}'&$select=id,appId,displayName,passwordCredentials,keyCredentials");
        using var document = graph.Send(request, cancellationToken).EnsureSuccess(request).Json();
        if (!document.RootElement.TryGetProperty("value", out var list) || list.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        foreach (var app in list.EnumerateArray())
        {
            var secrets = GraphJson.Array(app, "passwordCredentials").Select(c => new AppCredential(GraphJson.Text(c, "keyId") ?? string.Empty, GraphJson.Text(c, "displayName"), GraphJson.Text(c, "hint"), GraphJson.Date(c, "endDateTime"))).ToList();
            var keys = GraphJson.Array(app, "keyCredentials");
            var certificates = keys.Select(k => new AppCredential(GraphJson.Text(k, "keyId") ?? string.Empty, GraphJson.Text(k, "displayName"), GraphJson.KeyCredentialThumbprint(k), GraphJson.Date(k, "endDateTime"))).ToList();
            return new AppCredentials(GraphJson.Text(app, "id") ?? string.Empty, GraphJson.Text(app, "appId") ?? clientId.ToString(), GraphJson.Text(app, "displayName") ?? string.Empty, secrets, certificates, keys);
        }

        return null;
    }

    /// <summary>The enterprise application's object id (the token's oid), or null when the app has none yet.</summary>
    public static string? ReadServicePrincipalId(IGraphAdmin graph, Guid clientId, System.Threading.CancellationToken cancellationToken)
    {
        var request = GraphRequest.Get($"servicePrincipals?$filter=appId eq '{GraphRequest.FilterLiteral(clientId.ToString())}'&$select=id,appId");
        var response = graph.Send(request, cancellationToken);
        if (!response.IsSuccess)
        {
            return null;
        }

        using var document = response.Json();
        return document.RootElement.TryGetProperty("value", out var list) && list.ValueKind == JsonValueKind.Array
            ? list.EnumerateArray().Select(sp => GraphJson.Text(sp, "id")).FirstOrDefault(id => id is not null)
            : null;
    }

}

/// <summary>One client secret or certificate of an app registration.</summary>
public sealed class AppCredential
{
    public AppCredential(string keyId, string? displayName, string? hintOrThumbprint, DateTimeOffset? endDateTime)
    {
        KeyId = keyId;
        DisplayName = displayName;
        HintOrThumbprint = hintOrThumbprint;
        EndDateTime = endDateTime;
    }

    public string KeyId { get; }

    public string? DisplayName { get; }

    /// <summary>A secret's hint (its first three characters) or a certificate's SHA-1 thumbprint.</summary>
    public string? HintOrThumbprint { get; }

    public DateTimeOffset? EndDateTime { get; }

    public override string ToString() =>
        $"{DisplayName ?? KeyId} (id {KeyId}{(EndDateTime is { } end ? ", ends " + end.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : string.Empty)})";
}
