using System;
using System.Buffers.Text;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.Identity.Client;
using OAuthSmtp.Emulator.Tests.Host;
using Xunit;

namespace OAuthSmtp.Emulator.Tests.Tokens;

/// <summary>What tokens the service issues: claims of EXCHANGE-FACTS §3, every credential form, delegated flows.</summary>
public sealed class TokenIssuanceTests : IClassFixture<EmulatorFixture>
{
    private readonly ExchangeOnlineEmulator _emulator;

    public TokenIssuanceTests(EmulatorFixture fixture)
    {
        _emulator = fixture.Emulator;
        _emulator.Reset(Scenario.Ready);
    }

    private string ClientId => _emulator.Current.ClientId.ToString()!;

    [Fact]
    public async Task Ready_issues_a_v1_app_token_with_SMTP_SendAsApp_for_the_enterprise_app()
    {
        var result = await Msal.WithSecret(_emulator, ClientId, _emulator.Current.ClientSecret!).AcquireTokenForClient(new[] { Msal.ExchangeDefault }).ExecuteAsync();
        var token = _emulator.TokenValidator.Validate(result.AccessToken, out var failure);
        Assert.True(token is not null, failure);
        Assert.Equal("https://outlook.office365.com", token!.Audience);
        Assert.Equal($"https://sts.windows.net/{_emulator.Current.TenantId}/", token.Issuer);
        Assert.Equal(_emulator.Current.TenantId, token.TenantId);
        Assert.Equal(_emulator.Current.ClientId, token.AppId);
        Assert.Equal(_emulator.Current.EnterpriseAppObjectId, token.ObjectId);
        Assert.NotEqual(_emulator.Current.AppObjectId, token.ObjectId);
        Assert.Equal(new[] { "SMTP.SendAsApp" }, token.Roles);
        Assert.Equal("1", token.AppIdAcr);
        Assert.Equal("app", token.IdType);
        Assert.Empty(token.Scopes);
        var lifetime = token.ExpiresOn - token.IssuedAt;
        Assert.InRange(lifetime, TimeSpan.FromMinutes(60), TimeSpan.FromMinutes(90));
        var claims = TokenHttp.Claims(result.AccessToken);
        Assert.Equal("1.0", claims.GetProperty("ver").GetString());
        Assert.Equal(token.ObjectId.ToString(), claims.GetProperty("sub").GetString());
    }

    [Fact]
    public async Task Without_consent_the_token_is_issued_without_a_roles_claim()
    {
        _emulator.Control.RevokeConsent();
        var (status, body) = await TokenHttp.TokenAsync(_emulator, TokenHttp.ClientCredentials(_emulator));
        Assert.Equal(200, status);
        Assert.Equal("Bearer", body.GetProperty("token_type").GetString());
        Assert.Equal(body.GetProperty("expires_in").GetInt32(), body.GetProperty("ext_expires_in").GetInt32());
        var claims = TokenHttp.Claims(body.GetProperty("access_token").GetString()!);
        Assert.False(claims.TryGetProperty("roles", out _));
    }

    [Fact]
    public async Task Graph_mail_send_instead_of_smtp_gives_an_exchange_token_without_roles_and_a_graph_token_with_mail_send()
    {
        _emulator.Control.UseGraphMailSendInsteadOfSmtp();

        var (_, exchange) = await TokenHttp.TokenAsync(_emulator, TokenHttp.ClientCredentials(_emulator));
        var (_, graph) = await TokenHttp.TokenAsync(_emulator, TokenHttp.ClientCredentials(_emulator, scope: "https://graph.microsoft.com/.default"));

        Assert.False(TokenHttp.Claims(exchange.GetProperty("access_token").GetString()!).TryGetProperty("roles", out _));
        var graphRoles = TokenHttp.Claims(graph.GetProperty("access_token").GetString()!).GetProperty("roles").EnumerateArray().Select(r => r.GetString()).ToList();
        Assert.Contains("Mail.Send", graphRoles);
        var app = _emulator.Tenant.Applications.Single(a => a.AppId == _emulator.Current.ClientId);
        Assert.DoesNotContain(app.RequiredResourceAccess.SelectMany(r => r.ResourceAccess), a => a.Id == _emulator.Tenant.ExchangeAppRoles["SMTP.SendAsApp"]);
        Assert.Contains(app.RequiredResourceAccess.SelectMany(r => r.ResourceAccess), a => a.Id == _emulator.Tenant.GraphAppRoles["Mail.Send"] && a.Type == "Role");
    }

    [Fact]
    public async Task Without_its_enterprise_application_the_app_is_700016_and_its_registration_stays()
    {
        _emulator.Control.RemoveEnterpriseApplication();

        var (status, body) = await TokenHttp.TokenAsync(_emulator, TokenHttp.ClientCredentials(_emulator));

        Assert.Equal(400, status);
        Assert.StartsWith("AADSTS700016:", body.GetProperty("error_description").GetString(), StringComparison.Ordinal);
        Assert.Contains(_emulator.Tenant.Applications, a => a.AppId == _emulator.Current.ClientId);
        Assert.DoesNotContain(_emulator.Tenant.ServicePrincipals, s => s.AppId == _emulator.Current.ClientId);
    }

    [Fact]
    public async Task Consent_with_a_propagation_delay_shows_in_tokens_only_after_the_delay()
    {
        _emulator.Control.RevokeConsent();
        _emulator.Control.SetPropagationDelay(Model.ChangeKind.Consent, TimeSpan.FromMinutes(10));
        _emulator.Control.GrantConsent();
        var (_, body) = await TokenHttp.TokenAsync(_emulator, TokenHttp.ClientCredentials(_emulator));
        Assert.False(TokenHttp.Claims(body.GetProperty("access_token").GetString()!).TryGetProperty("roles", out _));
        _emulator.Clock.Advance(TimeSpan.FromMinutes(11));
        (_, body) = await TokenHttp.TokenAsync(_emulator, TokenHttp.ClientCredentials(_emulator));
        Assert.Equal("SMTP.SendAsApp", TokenHttp.Claims(body.GetProperty("access_token").GetString()!).GetProperty("roles")[0].GetString());
    }

    [Fact]
    public async Task Secret_in_HTTP_Basic_is_accepted()
    {
        var form = TokenHttp.ClientCredentials(_emulator);
        form.Remove("client_secret");
        form.Remove("client_id");
        var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes(Uri.EscapeDataString(ClientId) + ":" + Uri.EscapeDataString(_emulator.Current.ClientSecret!)));
        var (status, body) = await TokenHttp.PostAsync(_emulator, $"{_emulator.Current.TenantId}/oauth2/v2.0/token", form, new AuthenticationHeaderValue("Basic", basic));
        Assert.Equal(200, status);
        Assert.True(body.TryGetProperty("access_token", out _));
    }

    [Fact]
    public async Task Token_lifetime_fault_fixes_expires_in_and_exp()
    {
        _emulator.Faults.TokenLifetimeSeconds = 120;
        var (_, body) = await TokenHttp.TokenAsync(_emulator, TokenHttp.ClientCredentials(_emulator));
        Assert.Equal(120, body.GetProperty("expires_in").GetInt32());
        var token = _emulator.TokenValidator.Validate(body.GetProperty("access_token").GetString()!, out _)!;
        Assert.Equal(TimeSpan.FromSeconds(120), token.ExpiresOn - token.IssuedAt);
        _emulator.Clock.Advance(TimeSpan.FromSeconds(121));
        Assert.Null(_emulator.TokenValidator.Validate(body.GetProperty("access_token").GetString()!, out var failure));
        Assert.Equal("The token has expired.", failure);
    }

    [Fact]
    public void Validator_refuses_a_token_signed_by_another_key()
    {
        using var rsa = RSA.Create(2048);
        var header = Base64Url.EncodeToString(Encoding.UTF8.GetBytes("{\"typ\":\"JWT\",\"alg\":\"RS256\",\"kid\":\"x\"}"));
        var payload = Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"{{\"aud\":\"https://outlook.office365.com\",\"iss\":\"https://sts.windows.net/{_emulator.Current.TenantId}/\",\"tid\":\"{_emulator.Current.TenantId}\",\"exp\":{DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds()}}}"));
        var signature = Base64Url.EncodeToString(rsa.SignData(Encoding.ASCII.GetBytes(header + "." + payload), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        Assert.Null(_emulator.TokenValidator.Validate(header + "." + payload + "." + signature, out var failure));
        Assert.Equal("The token's signature is not valid.", failure);
    }

    [Fact]
    public async Task Certificate_credential_through_MSAL_gives_appidacr_2()
    {
        using var certificate = TokenHttp.NewSelfSignedCertificate();
        _emulator.Control.AddCertificate(certificate);
        var result = await Msal.WithCertificate(_emulator, ClientId, certificate).AcquireTokenForClient(new[] { Msal.ExchangeDefault }).ExecuteAsync();
        var token = _emulator.TokenValidator.Validate(result.AccessToken, out _)!;
        Assert.Equal("2", token.AppIdAcr);
        Assert.Equal(new[] { "SMTP.SendAsApp" }, token.Roles);
    }

    [Theory]
    [InlineData("RS256", "x5t")]
    [InlineData("PS256", "x5t#S256")]
    public async Task Both_assertion_forms_are_accepted(string alg, string thumbprintHeader)
    {
        using var certificate = TokenHttp.NewSelfSignedCertificate();
        _emulator.Control.AddCertificate(certificate);
        var audience = $"{_emulator.AuthorityHost}{_emulator.Current.TenantId}/oauth2/v2.0/token";
        var form = AssertionForm(Assertion(certificate, alg, thumbprintHeader, audience, DateTimeOffset.UtcNow.AddMinutes(5)));
        var (status, body) = await TokenHttp.TokenAsync(_emulator, form);
        Assert.Equal(200, status);
        Assert.Equal("2", TokenHttp.Claims(body.GetProperty("access_token").GetString()!).GetProperty("appidacr").GetString());
    }

    [Fact]
    public async Task Expired_assertions_are_700024_and_wrongly_signed_ones_700027()
    {
        using var certificate = TokenHttp.NewSelfSignedCertificate();
        using var other = TokenHttp.NewSelfSignedCertificate("CN=other");
        _emulator.Control.AddCertificate(certificate);
        var audience = $"{_emulator.AuthorityHost}{_emulator.Current.TenantId}/oauth2/v2.0/token";

        var (status, body) = await TokenHttp.TokenAsync(_emulator, AssertionForm(Assertion(certificate, "RS256", "x5t", audience, DateTimeOffset.UtcNow.AddMinutes(-1))));
        Assert.Equal(401, status);
        Assert.StartsWith("AADSTS700024: Client assertion is not within its valid time range. Current time: ", body.GetProperty("error_description").GetString());
        Assert.Contains("Review the documentation at https://learn.microsoft.com/entra/identity-platform/certificate-credentials .", body.GetProperty("error_description").GetString());
        Assert.Equal(700024, body.GetProperty("error_codes")[0].GetInt32());

        var forged = Assertion(other, "RS256", "x5t", audience, DateTimeOffset.UtcNow.AddMinutes(5), headerCertificate: certificate);
        (status, body) = await TokenHttp.TokenAsync(_emulator, AssertionForm(forged));
        Assert.Equal(401, status);
        Assert.StartsWith("AADSTS700027: Client assertion failed signature validation.", body.GetProperty("error_description").GetString());
    }

    // AADSTS700024 (https://github.com/AzureAD/microsoft-authentication-library-for-dotnet/issues/4951): nbf is checked too.
    [Fact]
    public async Task An_assertion_whose_nbf_lies_in_the_future_is_700024_naming_both_ends()
    {
        using var certificate = TokenHttp.NewSelfSignedCertificate();
        _emulator.Control.AddCertificate(certificate);
        var audience = $"{_emulator.AuthorityHost}{_emulator.Current.TenantId}/oauth2/v2.0/token";
        var notBefore = DateTimeOffset.UtcNow.AddHours(1);

        var (status, body) = await TokenHttp.TokenAsync(_emulator, AssertionForm(Assertion(certificate, "RS256", "x5t", audience, notBefore.AddMinutes(10), notBefore: notBefore)));

        Assert.Equal(401, status);
        Assert.Equal("invalid_client", body.GetProperty("error").GetString());
        var description = body.GetProperty("error_description").GetString()!;
        Assert.StartsWith("AADSTS700024: Client assertion is not within its valid time range.", description);
        Assert.Contains($"assertion valid from {notBefore.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss}.0000000Z, expiry time of assertion ", description);
    }

    // AADSTS50059 (https://github.com/MicrosoftDocs/azure-docs/issues/24064): app-only needs a tenant-specific authority.
    [Theory]
    [InlineData("common")]
    [InlineData("organizations")]
    public async Task Client_credentials_on_common_or_organizations_are_50059(string authority)
    {
        var (status, body) = await TokenHttp.TokenAsync(_emulator, TokenHttp.ClientCredentials(_emulator), authority);

        Assert.Equal(400, status);
        Assert.StartsWith("AADSTS50059: No tenant-identifying information found in either the request or implied by any provided credentials.", body.GetProperty("error_description").GetString());
    }

    [Fact]
    public async Task A_delegated_token_keeps_the_audience_it_was_asked_for()
    {
        _emulator.Tokens.AutoApproveDeviceCodesFor = _emulator.Current.DelegatedUser;
        var app = PublicClientApplicationBuilder.Create(ClientId)
            .WithAuthority($"{_emulator.AuthorityHost}{_emulator.Current.TenantId}", false).WithInstanceDiscovery(false).Build();

        var office = await app.AcquireTokenWithDeviceCode(new[] { "https://outlook.office.com/SMTP.Send" }, _ => Task.CompletedTask).ExecuteAsync();
        var office365 = await app.AcquireTokenWithDeviceCode(new[] { "https://outlook.office365.com/SMTP.Send" }, _ => Task.CompletedTask).ExecuteAsync();

        Assert.Equal("https://outlook.office.com", _emulator.TokenValidator.Validate(office.AccessToken, out _)!.Audience);
        Assert.Equal("https://outlook.office365.com", _emulator.TokenValidator.Validate(office365.AccessToken, out _)!.Audience);
    }

    [Fact]
    public async Task Device_code_approved_through_MSAL_gives_a_delegated_token_and_refresh_works()
    {
        var app = Msal.Public(_emulator, ClientId);
        string? message = null;
        var result = await app.AcquireTokenWithDeviceCode(new[] { Msal.SmtpSend }, code =>
        {
            message = code.Message;
            Assert.True(_emulator.Tokens.ApproveDeviceCode(code.UserCode));
            return Task.CompletedTask;
        }).ExecuteAsync();
        Assert.Contains("https://microsoft.com/devicelogin", message);
        var token = _emulator.TokenValidator.Validate(result.AccessToken, out _)!;
        Assert.Equal("user", token.IdType);
        Assert.Equal(new[] { "SMTP.Send" }, token.Scopes);
        Assert.Equal(_emulator.Current.DelegatedUser, token.Upn);
        Assert.Equal("https://outlook.office.com", token.Audience);
        Assert.Equal("0", token.AppIdAcr);
        Assert.False(token.HasRolesClaim);
        Assert.Equal(_emulator.Current.DelegatedUser, result.Account.Username);

        var refreshed = await app.AcquireTokenSilent(new[] { Msal.SmtpSend }, result.Account).WithForceRefresh(true).ExecuteAsync();
        Assert.NotEqual(result.AccessToken, refreshed.AccessToken);
        Assert.Equal(TokenSource.IdentityProvider, refreshed.AuthenticationResultMetadata.TokenSource);
        Assert.Equal(_emulator.Current.DelegatedUser, _emulator.TokenValidator.Validate(refreshed.AccessToken, out _)!.Upn);
    }

    [Fact]
    public async Task Device_code_declined_is_authorization_declined_and_pending_is_reported_while_waiting()
    {
        var (status, code) = await TokenHttp.PostAsync(_emulator, $"{_emulator.Current.TenantId}/oauth2/v2.0/devicecode", new Dictionary<string, string>
        {
            ["client_id"] = ClientId,
            ["scope"] = Msal.SmtpSend + " offline_access",
        });
        Assert.Equal(200, status);
        var poll = new Dictionary<string, string>
        {
            ["client_id"] = ClientId,
            ["grant_type"] = "urn:ietf:params:oauth:grant-type:device_code",
            ["device_code"] = code.GetProperty("device_code").GetString()!,
        };
        var (pendingStatus, pending) = await TokenHttp.TokenAsync(_emulator, poll);
        Assert.Equal(400, pendingStatus);
        Assert.Equal("authorization_pending", pending.GetProperty("error").GetString());
        Assert.StartsWith("AADSTS70016:", pending.GetProperty("error_description").GetString());

        Assert.True(_emulator.Tokens.DeclineDeviceCode(code.GetProperty("user_code").GetString()!));
        var (_, declined) = await TokenHttp.TokenAsync(_emulator, poll);
        Assert.Equal("authorization_declined", declined.GetProperty("error").GetString());

        var app = Msal.Public(_emulator, ClientId);
        var failure = await Assert.ThrowsAnyAsync<MsalServiceException>(() => app.AcquireTokenWithDeviceCode(new[] { Msal.SmtpSend }, c =>
        {
            Assert.True(_emulator.Tokens.DeclineDeviceCode(c.UserCode));
            return Task.CompletedTask;
        }).ExecuteAsync());
        Assert.Equal("authorization_declined", failure.ErrorCode);
    }

    [Fact]
    public async Task Device_code_expires_with_expired_token()
    {
        var (_, code) = await TokenHttp.PostAsync(_emulator, $"{_emulator.Current.TenantId}/oauth2/v2.0/devicecode", new Dictionary<string, string>
        {
            ["client_id"] = ClientId,
            ["scope"] = Msal.SmtpSend,
        });
        _emulator.Clock.Advance(TimeSpan.FromSeconds(901));
        var (status, body) = await TokenHttp.TokenAsync(_emulator, new Dictionary<string, string>
        {
            ["client_id"] = ClientId,
            ["grant_type"] = "urn:ietf:params:oauth:grant-type:device_code",
            ["device_code"] = code.GetProperty("device_code").GetString()!,
        });
        Assert.Equal(400, status);
        Assert.Equal("expired_token", body.GetProperty("error").GetString());
        Assert.StartsWith("AADSTS70020: The provided value for the input parameter 'device_code' is not valid. This device code has expired.", body.GetProperty("error_description").GetString());
    }

    [Fact]
    public async Task Authorization_code_with_PKCE_through_MSAL()
    {
        var app = Msal.WithSecret(_emulator, ClientId, _emulator.Current.ClientSecret!);
        var url = await app.GetAuthorizationRequestUrl(new[] { Msal.SmtpSend }).WithPkce(out var verifier).ExecuteAsync();
        using var response = await TokenHttp.Http.GetAsync(url);
        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        var query = System.Web.HttpUtility.ParseQueryString(response.Headers.Location!.Query);
        var code = query["code"]!;

        var wrong = await Assert.ThrowsAnyAsync<MsalServiceException>(() =>
            app.AcquireTokenByAuthorizationCode(new[] { Msal.SmtpSend }, code).WithPkceCodeVerifier(verifier + "x").ExecuteAsync());
        Assert.StartsWith("AADSTS501481:", wrong.Message);

        using var again = await TokenHttp.Http.GetAsync(url);
        code = System.Web.HttpUtility.ParseQueryString(again.Headers.Location!.Query)["code"]!;
        var result = await app.AcquireTokenByAuthorizationCode(new[] { Msal.SmtpSend }, code).WithPkceCodeVerifier(verifier).ExecuteAsync();
        var token = _emulator.TokenValidator.Validate(result.AccessToken, out _)!;
        Assert.Equal("1", token.AppIdAcr);
        Assert.Equal(_emulator.Current.DelegatedUser, token.Upn);
    }

    private Dictionary<string, string> AssertionForm(string assertion) => new()
    {
        ["client_id"] = ClientId,
        ["client_assertion_type"] = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
        ["client_assertion"] = assertion,
        ["scope"] = Msal.ExchangeDefault,
        ["grant_type"] = "client_credentials",
    };

    private string Assertion(X509Certificate2 signer, string alg, string thumbprintHeader, string audience, DateTimeOffset expires, X509Certificate2? headerCertificate = null, DateTimeOffset? notBefore = null)
    {
        var named = headerCertificate ?? signer;
        var thumbprint = thumbprintHeader == "x5t" ? SHA1.HashData(named.RawData) : SHA256.HashData(named.RawData);
        var header = new Dictionary<string, string> { ["alg"] = alg, ["typ"] = "JWT", [thumbprintHeader] = Base64Url.EncodeToString(thumbprint) };
        var now = DateTimeOffset.UtcNow;
        var payload = new Dictionary<string, object>
        {
            ["aud"] = audience,
            ["iss"] = ClientId,
            ["sub"] = ClientId,
            ["jti"] = Guid.NewGuid().ToString(),
            ["nbf"] = (notBefore ?? now.AddMinutes(-10)).ToUnixTimeSeconds(),
            ["exp"] = expires.ToUnixTimeSeconds(),
        };
        var input = Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(header)) + "." + Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(payload));
        using var key = signer.GetRSAPrivateKey()!;
        var signature = key.SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256, alg == "PS256" ? RSASignaturePadding.Pss : RSASignaturePadding.Pkcs1);
        return input + "." + Base64Url.EncodeToString(signature);
    }
}
