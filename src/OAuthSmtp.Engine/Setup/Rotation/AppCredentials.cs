using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using OAuthSmtp.Engine.Setup.Entra;

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
            var secrets = Array(app, "passwordCredentials").Select(c => new AppCredential(Text(c, "keyId") ?? string.Empty, Text(c, "displayName"), Text(c, "hint"), Date(c, "endDateTime"))).ToList();
            var keys = Array(app, "keyCredentials");
            var certificates = keys.Select(k => new AppCredential(Text(k, "keyId") ?? string.Empty, Text(k, "displayName"), ThumbprintOf(k), Date(k, "endDateTime"))).ToList();
            return new AppCredentials(Text(app, "id") ?? string.Empty, Text(app, "appId") ?? clientId.ToString(), Text(app, "displayName") ?? string.Empty, secrets, certificates, keys);
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
            ? list.EnumerateArray().Select(sp => Text(sp, "id")).FirstOrDefault(id => id is not null)
            : null;
    }

    internal static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    internal static DateTimeOffset? Date(JsonElement element, string name) =>
        DateTimeOffset.TryParse(Text(element, name), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date) ? date : null;

    private static IReadOnlyList<JsonElement> Array(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array
            ? value.EnumerateArray().Select(v => v.Clone()).ToList()
            : System.Array.Empty<JsonElement>();

    /// <summary>A keyCredential's SHA-1 thumbprint in upper-case hex (customKeyIdentifier is its base64, or already hex).</summary>
    private static string? ThumbprintOf(JsonElement key)
    {
        var id = Text(key, "customKeyIdentifier");
        if (string.IsNullOrEmpty(id))
        {
            return null;
        }

        if (id!.Length == 40 && id.All(Uri.IsHexDigit))
        {
            return id.ToUpperInvariant();
        }

        try
        {
            return BitConverter.ToString(Convert.FromBase64String(id)).Replace("-", string.Empty);
        }
        catch (FormatException)
        {
            return null;
        }
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
