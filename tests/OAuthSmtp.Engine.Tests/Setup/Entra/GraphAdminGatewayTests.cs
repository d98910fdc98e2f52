using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using OAuthSmtp.Engine.Errors;
using OAuthSmtp.Engine.Profiles;
using OAuthSmtp.Engine.Setup.Entra;
using OAuthSmtp.Engine.Tests.Tokens;
using Xunit;

namespace OAuthSmtp.Engine.Tests.Setup.Entra;

/// <summary>
/// The Graph admin gateway (issue 17): the admin's rights through their own Connect-MgGraph session
/// (CommandGraphAdmin) or a -GraphAccessToken over HTTPS (HttpGraphAdmin), which obeys the host trust rule.
/// </summary>
public sealed class GraphAdminGatewayTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 22, 0, 0, TimeSpan.Zero);

    private static string DelegatedGraphToken(params string[] wids) => TestJwt.Create(new Dictionary<string, object>
    {
        ["aud"] = "https://graph.microsoft.com",
        ["tid"] = "11111111-1111-1111-1111-111111111111",
        ["upn"] = "admin@contoso.onmicrosoft.com",
        ["idtyp"] = "user",
        ["scp"] = "Application.ReadWrite.All AppRoleAssignment.ReadWrite.All User.Read",
        ["wids"] = wids,
        ["exp"] = TestJwt.Unix(Now.AddHours(1)),
    });

    [Fact]
    public void A_delegated_token_tells_the_admin_the_scopes_and_the_directory_roles_from_wids()
    {
        var handler = new RecordingHandler();
        var graph = new HttpGraphAdmin(new HttpClient(handler), DelegatedGraphToken(DirectoryRoles.CloudApplicationAdministrator), CloudName.Global, null, false, () => Now);

        var session = graph.DescribeSession();

        Assert.False(session.IsAppOnly);
        Assert.Equal("admin@contoso.onmicrosoft.com", session.Account);
        Assert.Equal("11111111-1111-1111-1111-111111111111", session.TenantId);
        Assert.True(session.HasPermission("application.readwrite.all"));
        Assert.False(session.HasPermission("DelegatedPermissionGrant.ReadWrite.All"));
        Assert.True(session.HasAnyDirectoryRole(DirectoryRoles.MayConsentToExchangePermissions));
        Assert.Empty(handler.Requests); // wids answered it: no Graph call was needed
    }

    [Fact]
    public void Without_wids_the_roles_are_read_from_Graph_and_unknown_when_Graph_refuses()
    {
        var token = TestJwt.Create(new { aud = "00000003-0000-0000-c000-000000000000", upn = "admin@contoso.com", idtyp = "user", scp = "User.Read", exp = TestJwt.Unix(Now.AddHours(1)) });
        var answers = new RecordingHandler((_, _) => new HttpResponseMessage(HttpStatusCode.OK)
        {
            Content = new StringContent("{\"value\":[{\"displayName\":\"Application Administrator\",\"roleTemplateId\":\"" + DirectoryRoles.ApplicationAdministrator + "\"}]}"),
        });
        var session = new HttpGraphAdmin(new HttpClient(answers), token, CloudName.Global, null, false, () => Now).DescribeSession();
        Assert.Equal(new[] { DirectoryRoles.ApplicationAdministrator }, session.DirectoryRoleTemplateIds);
        Assert.StartsWith("https://graph.microsoft.com/v1.0/me/transitiveMemberOf/microsoft.graph.directoryRole", answers.Requests[0].Uri, StringComparison.Ordinal);

        var refusing = new RecordingHandler((_, _) => new HttpResponseMessage(HttpStatusCode.Forbidden) { Content = new StringContent("{\"error\":{\"code\":\"Authorization_RequestDenied\",\"message\":\"Insufficient privileges to complete the operation.\"}}") });
        var unknown = new HttpGraphAdmin(new HttpClient(refusing), token, CloudName.Global, null, false, () => Now).DescribeSession();
        Assert.Null(unknown.DirectoryRoleTemplateIds);
        Assert.Null(unknown.HasAnyDirectoryRole(DirectoryRoles.MayConsentToExchangePermissions));
        Assert.Equal(2, refusing.Requests.Count); // transitiveMemberOf, then memberOf
    }

    [Fact]
    public void An_app_only_token_acts_through_its_app_roles()
    {
        var token = TestJwt.Create(new { aud = "https://graph.microsoft.com", appid = "22222222-2222-2222-2222-222222222222", idtyp = "app", roles = new[] { "Application.ReadWrite.All", "AppRoleAssignment.ReadWrite.All" }, exp = TestJwt.Unix(Now.AddHours(1)) });
        var handler = new RecordingHandler();
        var session = new HttpGraphAdmin(new HttpClient(handler), token, CloudName.Global, null, false, () => Now).DescribeSession();

        Assert.True(session.IsAppOnly);
        Assert.Equal("22222222-2222-2222-2222-222222222222", session.Account);
        Assert.True(session.HasPermission("AppRoleAssignment.ReadWrite.All"));
        Assert.Empty(handler.Requests);
    }

    [Fact]
    public void Requests_go_to_the_clouds_Graph_with_the_token_in_the_header_only()
    {
        var token = DelegatedGraphToken();
        var handler = new RecordingHandler((_, _) => new HttpResponseMessage(HttpStatusCode.Created) { Content = new StringContent("{\"id\":\"app-object\",\"appId\":\"client\"}") });
        var graph = new HttpGraphAdmin(new HttpClient(handler), token, CloudName.USGov, null, false, () => Now);

        var response = graph.Send(GraphRequest.Post("applications", new { displayName = "Scanner" })).EnsureSuccess(GraphRequest.Get("applications"));

        Assert.Equal(201, response.StatusCode);
        var sent = Assert.Single(handler.Requests);
        Assert.Equal("https://graph.microsoft.us/v1.0/applications", sent.Uri);
        Assert.Equal("POST", sent.Method);
        Assert.Equal("Bearer " + token, sent.Authorization);
        Assert.Equal("{\"displayName\":\"Scanner\"}", sent.Body);
    }

    [Theory]
    [InlineData("https://127.0.0.1:5001/graph/")]
    [InlineData("https://graph.microsoft.com.attacker.example/")]
    [InlineData("https://graph.microsoft.us/")]
    public void Another_Graph_host_gets_the_token_only_when_the_admin_named_it(string endpoint)
    {
        var handler = new RecordingHandler();
        var error = Assert.Throws<OAuthSmtpException>(() => new HttpGraphAdmin(new HttpClient(handler), DelegatedGraphToken(), CloudName.Global, new Uri(endpoint), endpointNamedExplicitly: false, () => Now));
        Assert.Equal(ErrorIds.UntrustedGraphEndpoint, error.ErrorId);
        Assert.Empty(handler.Requests);

        var named = new HttpGraphAdmin(new HttpClient(handler), DelegatedGraphToken(), CloudName.Global, new Uri(endpoint + "v1.0/"), endpointNamedExplicitly: true, () => Now);
        named.Send(GraphRequest.Get("applications"));
        Assert.Equal(endpoint + "v1.0/applications", Assert.Single(handler.Requests).Uri);
    }

    [Fact]
    public void A_Graph_token_never_goes_over_plain_http_even_when_named()
    {
        var handler = new RecordingHandler();
        var error = Assert.Throws<OAuthSmtpException>(() => new HttpGraphAdmin(new HttpClient(handler), DelegatedGraphToken(), CloudName.Global, new Uri("http://graph.microsoft.com/"), endpointNamedExplicitly: true, () => Now));
        Assert.Equal(ErrorIds.UntrustedGraphEndpoint, error.ErrorId);
        Assert.Empty(handler.Requests);
    }

    [Fact]
    public void A_token_for_another_resource_or_an_expired_one_is_refused_before_anything_is_sent()
    {
        var handler = new RecordingHandler();
        var exchangeToken = TestJwt.Create(new { aud = "https://outlook.office365.com", idtyp = "app", roles = new[] { "SMTP.SendAsApp" }, exp = TestJwt.Unix(Now.AddHours(1)) });
        var wrong = Assert.Throws<OAuthSmtpException>(() => new HttpGraphAdmin(new HttpClient(handler), exchangeToken, CloudName.Global, null, false, () => Now));
        Assert.Equal(ErrorIds.GraphAccessTokenUnusable, wrong.ErrorId);
        Assert.DoesNotContain(exchangeToken, wrong.Message + wrong.Fix, StringComparison.Ordinal);

        var expired = TestJwt.Create(new { aud = "https://graph.microsoft.com", upn = "a@b", scp = "User.Read", exp = TestJwt.Unix(Now.AddMinutes(-1)) });
        Assert.Equal(ErrorIds.GraphAccessTokenUnusable, Assert.Throws<OAuthSmtpException>(() => new HttpGraphAdmin(new HttpClient(handler), expired, CloudName.Global, null, false, () => Now)).ErrorId);
        Assert.Empty(handler.Requests);
    }

    [Fact]
    public void A_refusal_keeps_Graphs_code_and_message_and_names_the_call()
    {
        var handler = new RecordingHandler((_, _) => new HttpResponseMessage(HttpStatusCode.Forbidden)
        {
            Content = new StringContent("{\"error\":{\"code\":\"Authorization_RequestDenied\",\"message\":\"Insufficient privileges to complete the operation.\",\"innerError\":{}}}"),
        });
        var graph = new HttpGraphAdmin(new HttpClient(handler), DelegatedGraphToken(), CloudName.Global, null, false, () => Now);
        var request = GraphRequest.Post("servicePrincipals/abc/appRoleAssignedTo", new { principalId = "p" });

        var response = graph.Send(request);
        Assert.False(response.IsSuccess);
        Assert.Equal("Authorization_RequestDenied", response.ErrorCode);

        var error = Assert.Throws<GraphAdminException>(() => response.EnsureSuccess(request));
        Assert.Equal(ErrorIds.GraphRequestFailed, error.ErrorId);
        Assert.Equal(ErrorKind.PermissionDenied, error.Kind);
        Assert.Contains("POST /v1.0/servicePrincipals/abc/appRoleAssignedTo", error.Message, StringComparison.Ordinal);
        Assert.Contains("Insufficient privileges", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_request_cannot_choose_its_own_host()
    {
        Assert.Throws<ArgumentException>(() => GraphRequest.Get("https://attacker.example/v1.0/applications"));
        Assert.Throws<ArgumentException>(() => GraphRequest.Get("/v1.0/applications"));
        Assert.Equal("v1.0/applications?$filter=displayName eq 'O%27%27Brien'", "v1.0/applications?$filter=displayName eq '" + GraphRequest.FilterLiteral("O'Brien") + "'");
    }

    [Fact]
    public void The_session_gateway_reads_Get_MgContext_and_the_roles_through_the_session()
    {
        var sent = new List<GraphRequest>();
        var graph = new CommandGraphAdmin(
            request =>
            {
                sent.Add(request);
                return new GraphResponse(200, "{\"value\":[{\"displayName\":\"Cloud Application Administrator\"}]}");
            },
            () => new Dictionary<string, object?>
            {
                ["Account"] = "admin@contoso.com",
                ["TenantId"] = "11111111-1111-1111-1111-111111111111",
                ["AuthType"] = "Delegated",
                ["Scopes"] = new[] { "Application.ReadWrite.All", "openid" },
            });

        var session = graph.DescribeSession();

        Assert.Equal("admin@contoso.com", session.Account);
        Assert.Equal(CommandGraphAdmin.SourceName, session.Source);
        Assert.True(session.HasPermission("Application.ReadWrite.All"));
        Assert.Equal(new[] { DirectoryRoles.CloudApplicationAdministrator }, session.DirectoryRoleTemplateIds); // by display name
        Assert.Same(session, graph.DescribeSession());
        Assert.Single(sent);
        Assert.False(sent[0].Changes);
    }

    [Fact]
    public void The_session_gateway_without_a_connection_names_the_sign_in()
    {
        var graph = new CommandGraphAdmin(_ => throw new InvalidOperationException("not called"), () => null);
        var error = Assert.Throws<OAuthSmtpException>(() => graph.DescribeSession());
        Assert.Equal(ErrorIds.GraphNotConnected, error.ErrorId);
        Assert.Contains("Connect-MgGraph -Scopes", error.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void Invoke_MgGraphRequest_refusal_texts_become_Graph_responses()
    {
        var text = "POST https://graph.microsoft.com/v1.0/applications\nHTTP/2.0 403 Forbidden\nrequest-id: x\n\n{\"error\":{\"code\":\"Authorization_RequestDenied\",\"message\":\"Insufficient privileges to complete the operation.\"}}";
        var response = GraphCommandOutput.Refusal(null, new[] { null, text });
        Assert.Equal(403, response.StatusCode);
        Assert.Equal("Authorization_RequestDenied", response.ErrorCode);

        var unknown = GraphCommandOutput.Refusal(null, new[] { "The term 'Invoke-MgGraphRequest' failed\nsecond line" });
        Assert.Equal(0, unknown.StatusCode);
        Assert.Equal("The term 'Invoke-MgGraphRequest' failed", unknown.ErrorMessage);

        var hashtable = GraphCommandOutput.Success(GraphRequest.Get("applications"), new object?[] { new Dictionary<string, object?> { ["value"] = new List<object?>() } });
        Assert.Equal("{\"value\":[]}", hashtable.Body);
        Assert.Equal("{\"id\":\"1\"}", GraphCommandOutput.Success(GraphRequest.Post("applications", new { }), new object?[] { "{\"id\":\"1\"}" }).Body);
    }

    internal sealed class RecordingHandler : HttpMessageHandler
    {
        private readonly Func<HttpRequestMessage, string?, HttpResponseMessage> _answer;

        public RecordingHandler(Func<HttpRequestMessage, string?, HttpResponseMessage>? answer = null) =>
            _answer = answer ?? ((_, _) => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("{\"value\":[]}") });

        public List<(string Method, string Uri, string? Authorization, string? Body)> Requests { get; } = new();

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            Requests.Add((request.Method.Method, request.RequestUri!.ToString(), request.Headers.Authorization?.ToString(), body));
            return _answer(request, body);
        }
    }
}
