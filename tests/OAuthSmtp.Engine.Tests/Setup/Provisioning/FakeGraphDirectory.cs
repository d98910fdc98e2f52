using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using OAuthSmtp.Engine.Setup.Entra;
using OAuthSmtp.Engine.Setup.Provisioning;

namespace OAuthSmtp.Engine.Tests.Setup.Provisioning;

/// <summary>
/// An Entra directory behind <see cref="IGraphAdmin"/> for the provisioner's engine tests: the Graph calls the
/// provisioner makes, answered from in-memory objects, and every call recorded (so a test can say "no change").
/// </summary>
internal sealed class FakeGraphDirectory : IGraphAdmin
{
    public const string ExchangeSpId = "e0000000-0000-0000-0000-00000000e0e0";
    public const string GraphSpId = "90000000-0000-0000-0000-000000009090";
    public const string SendAsAppRoleId = "5a0d8b8e-0000-4000-8000-00000000a001";
    public const string SendScopeId = "5a0d8b8e-0000-4000-8000-00000000a002";

    private int _next;

    public List<JsonObject> Applications { get; } = new();

    public List<JsonObject> ServicePrincipals { get; } = new()
    {
        new JsonObject
        {
            ["id"] = ExchangeSpId, ["appId"] = ExchangeOnlineResource.AppId, ["displayName"] = "Office 365 Exchange Online",
            ["appRoles"] = new JsonArray(new JsonObject { ["id"] = SendAsAppRoleId, ["value"] = "SMTP.SendAsApp" }),
            ["oauth2PermissionScopes"] = new JsonArray(new JsonObject { ["id"] = SendScopeId, ["value"] = "SMTP.Send" }),
        },
        new JsonObject { ["id"] = GraphSpId, ["appId"] = HttpGraphAdmin.GraphAppId, ["displayName"] = "Microsoft Graph" },
    };

    public List<JsonObject> AppRoleAssignments { get; } = new();

    public List<JsonObject> PermissionGrants { get; } = new();

    public List<GraphRequest> Calls { get; } = new();

    public IEnumerable<GraphRequest> Changes => Calls.Where(c => c.Changes);

    public GraphAdminSession Session { get; set; } = new(
        CommandGraphAdmin.SourceName,
        "admin@contoso.com",
        Setup.FakeTenant.TenantId,
        false,
        new[] { "Application.ReadWrite.All", "AppRoleAssignment.ReadWrite.All", "DelegatedPermissionGrant.ReadWrite.All" },
        new[] { DirectoryRoles.CloudApplicationAdministrator });

    /// <summary>The next write with this method and path prefix fails with 403.</summary>
    public string? RefuseNext { get; set; }

    public GraphAdminSession DescribeSession() => Session;

    public GraphResponse Send(GraphRequest request, CancellationToken cancellationToken = default)
    {
        Calls.Add(request);
        if (RefuseNext is not null && request.ToString().StartsWith(RefuseNext, StringComparison.Ordinal))
        {
            RefuseNext = null;
            return new GraphResponse(403, "{\"error\":{\"code\":\"Authorization_RequestDenied\",\"message\":\"Insufficient privileges to complete the operation.\"}}");
        }

        var (path, query) = Split(request.Path);
        var segments = path.Split('/');
        var body = request.Body is null ? null : JsonNode.Parse(request.Body)!.AsObject();
        switch (request.Method, segments[0], segments.Length)
        {
            case ("GET", "applications", 1):
                return Collection(Filter(Applications, query));
            case ("POST", "applications", 1):
                var app = new JsonObject { ["id"] = NewId(), ["appId"] = NewId(), ["displayName"] = body!["displayName"]!.GetValue<string>(), ["passwordCredentials"] = new JsonArray(), ["keyCredentials"] = new JsonArray(), ["requiredResourceAccess"] = new JsonArray() };
                Applications.Add(app);
                return Ok(app, 201);
            case ("GET", "applications", 2):
                return Ok(Find(Applications, segments[1]));
            case ("PATCH", "applications", 2):
                var patched = Find(Applications, segments[1]);
                foreach (var property in body!)
                {
                    patched[property.Key] = property.Value?.DeepClone();
                }

                // As Graph: keyCredentials replace the collection; a key sent back by keyId alone keeps its material, a new one gets an id.
                foreach (var key in patched["keyCredentials"]?.AsArray().OfType<JsonObject>() ?? Enumerable.Empty<JsonObject>())
                {
                    key["keyId"] ??= NewId();
                    key.Remove("key");
                }

                return new GraphResponse(204, string.Empty);
            case ("POST", "applications", 3) when segments[2] == "addPassword":
                var owner = Find(Applications, segments[1]);
                var secret = "abc" + NewId();
                var credential = new JsonObject { ["keyId"] = NewId(), ["displayName"] = body!["passwordCredential"]!["displayName"]!.GetValue<string>(), ["endDateTime"] = body["passwordCredential"]!["endDateTime"]!.GetValue<string>(), ["hint"] = "abc" };
                owner["passwordCredentials"]!.AsArray().Add(credential.DeepClone());
                var answer = credential.DeepClone().AsObject();
                answer["secretText"] = secret;
                return Ok(answer);
            case ("GET", "servicePrincipals", 1):
                return Collection(Filter(ServicePrincipals, query));
            case ("POST", "servicePrincipals", 1):
                var appId = body!["appId"]!.GetValue<string>();
                var sp = new JsonObject { ["id"] = NewId(), ["appId"] = appId, ["displayName"] = Applications.First(a => (string?)a["appId"] == appId)["displayName"]!.GetValue<string>() };
                ServicePrincipals.Add(sp);
                return Ok(sp, 201);
            case ("GET", "servicePrincipals", 2):
                return ServicePrincipals.Any(s => (string?)s["id"] == segments[1]) ? Ok(Find(ServicePrincipals, segments[1])) : NotFound();
            case ("GET", "servicePrincipals", 3) when segments[2] == "appRoleAssignments":
                return Collection(AppRoleAssignments.Where(a => (string?)a["principalId"] == segments[1]));
            case ("POST", "servicePrincipals", 3) when segments[2] == "appRoleAssignedTo":
                var assignment = body!.DeepClone().AsObject();
                assignment["id"] = NewId();
                AppRoleAssignments.Add(assignment);
                return Ok(assignment, 201);
            case ("GET", "oauth2PermissionGrants", 1):
                return Collection(Filter(PermissionGrants, query));
            case ("POST", "oauth2PermissionGrants", 1):
                var grant = body!.DeepClone().AsObject();
                grant["id"] = NewId();
                PermissionGrants.Add(grant);
                return Ok(grant, 201);
            case ("PATCH", "oauth2PermissionGrants", 2):
                Find(PermissionGrants, segments[1])["scope"] = body!["scope"]!.GetValue<string>();
                return new GraphResponse(204, string.Empty);
            case ("GET", "me", _):
                return Collection(Session.DirectoryRoleTemplateIds?.Select(r => new JsonObject { ["roleTemplateId"] = r }) ?? Enumerable.Empty<JsonObject>());
            default:
                throw new InvalidOperationException("The fake directory does not know " + request);
        }
    }

    public JsonObject App(string appId) => Applications.Single(a => (string?)a["appId"] == appId);

    private string NewId() => $"{++_next:D8}-1111-2222-3333-444444444444";

    private static (string Path, string Query) Split(string path)
    {
        var at = path.IndexOf('?');
        return at < 0 ? (path, string.Empty) : (path[..at], Uri.UnescapeDataString(path[(at + 1)..]));
    }

    /// <summary>$filter=property eq 'value' (the only form the provisioner sends).</summary>
    private static IEnumerable<JsonObject> Filter(IEnumerable<JsonObject> items, string query)
    {
        var filter = query.Split('&').FirstOrDefault(p => p.StartsWith("$filter=", StringComparison.Ordinal));
        if (filter is null)
        {
            return items;
        }

        var clause = filter["$filter=".Length..];
        var property = clause[..clause.IndexOf(' ')];
        var value = clause[(clause.IndexOf('\'') + 1)..clause.LastIndexOf('\'')].Replace("''", "'");
        return items.Where(i => string.Equals((string?)i[property], value, StringComparison.OrdinalIgnoreCase));
    }

    private static JsonObject Find(IEnumerable<JsonObject> items, string id) => items.Single(i => (string?)i["id"] == id);

    private static GraphResponse Collection(IEnumerable<JsonObject> items) =>
        new(200, new JsonObject { ["value"] = new JsonArray(items.Select(i => (JsonNode)i.DeepClone()).ToArray()) }.ToJsonString());

    private static GraphResponse Ok(JsonObject item, int status = 200) => new(status, item.ToJsonString());

    private static GraphResponse NotFound() => new(404, "{\"error\":{\"code\":\"Request_ResourceNotFound\",\"message\":\"Resource does not exist.\"}}");
}
