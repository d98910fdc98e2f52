using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.Identity.Client;
using OAuthSmtp.Emulator.Tests.Host;
using Xunit;

namespace OAuthSmtp.Emulator.Tests.Tokens;

/// <summary>Every AADSTS row of EXCHANGE-FACTS §5b, produced by a scenario and read through raw HTTP and MSAL.NET.</summary>
public sealed class AadstsErrorTests : IClassFixture<EmulatorFixture>
{
    private readonly ExchangeOnlineEmulator _emulator;

    public AadstsErrorTests(EmulatorFixture fixture)
    {
        _emulator = fixture.Emulator;
        _emulator.Reset(Scenario.Ready);
    }

    private string ClientId => _emulator.Current.ClientId.ToString()!;

    [Fact]
    public async Task Wrong_secret_is_7000215_invalid_client_401()
    {
        var (status, body) = await TokenHttp.TokenAsync(_emulator, TokenHttp.ClientCredentials(_emulator, secret: "abc8Q~not-the-secret-value-at-all-000000"));
        AssertError(status, body, 401, "invalid_client", 7000215,
            $"Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '{ClientId}'.");

        var msal = await Assert.ThrowsAsync<MsalServiceException>(() =>
            Msal.WithSecret(_emulator, ClientId, "abc8Q~not-the-secret-value-at-all-000000").AcquireTokenForClient(new[] { Msal.ExchangeDefault }).ExecuteAsync());
        Assert.Equal("invalid_client", msal.ErrorCode);
        Assert.Equal(401, msal.StatusCode);
        // MSAL prefixes invalid_client with its own advice and keeps the server's text after it.
        Assert.Contains("AADSTS7000215: Invalid client secret provided.", msal.Message);
    }

    [Fact]
    public async Task Expired_secret_is_7000222()
    {
        _emulator.Control.ExpireSecrets();
        var (status, body) = await TokenHttp.TokenAsync(_emulator, TokenHttp.ClientCredentials(_emulator));
        AssertError(status, body, 401, "invalid_client", 7000222,
            $"The provided client secret keys for app '{ClientId}' are expired. Visit the Azure portal to create new keys for your app: https://aka.ms/NewClientSecret, or consider using certificate credentials for added security: https://aka.ms/certCreds.");
        var msal = await Assert.ThrowsAsync<MsalServiceException>(() =>
            Msal.WithSecret(_emulator, ClientId, _emulator.Current.ClientSecret!).AcquireTokenForClient(new[] { Msal.ExchangeDefault }).ExecuteAsync());
        Assert.Contains("AADSTS7000222: The provided client secret keys for app", msal.Message);
    }

    [Fact]
    public async Task Unknown_client_id_is_700016_unauthorized_client()
    {
        var unknown = Guid.NewGuid().ToString();
        var form = TokenHttp.ClientCredentials(_emulator);
        form["client_id"] = unknown;
        var (status, body) = await TokenHttp.TokenAsync(_emulator, form);
        AssertError(status, body, 400, "unauthorized_client", 700016,
            $"Application with identifier '{unknown}' was not found in the directory 'Contoso'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.");
        var msal = await Assert.ThrowsAsync<MsalServiceException>(() =>
            Msal.WithSecret(_emulator, unknown, _emulator.Current.ClientSecret!).AcquireTokenForClient(new[] { Msal.ExchangeDefault }).ExecuteAsync());
        Assert.Equal("unauthorized_client", msal.ErrorCode);
    }

    [Theory]
    [InlineData("guid")]
    [InlineData("fabrikam.onmicrosoft.com")]
    public async Task Unknown_tenant_is_90002(string tenant)
    {
        if (tenant == "guid")
        {
            tenant = Guid.NewGuid().ToString();
        }

        var (status, body) = await TokenHttp.TokenAsync(_emulator, TokenHttp.ClientCredentials(_emulator), tenant);
        AssertError(status, body, 400, "invalid_request", 90002,
            $"Tenant '{tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.");
        var msal = await Assert.ThrowsAsync<MsalServiceException>(() =>
            Msal.WithSecret(_emulator, ClientId, _emulator.Current.ClientSecret!, tenant).AcquireTokenForClient(new[] { Msal.ExchangeDefault }).ExecuteAsync());
        Assert.StartsWith($"AADSTS90002: Tenant '{tenant}' not found.", msal.Message);
    }

    [Fact]
    public async Task Verified_domain_works_as_tenant()
    {
        var (status, body) = await TokenHttp.TokenAsync(_emulator, TokenHttp.ClientCredentials(_emulator), "contoso.com");
        Assert.Equal(200, status);
        Assert.Equal(_emulator.Current.TenantId.ToString(), TokenHttp.Claims(body.GetProperty("access_token").GetString()!).GetProperty("tid").GetString());
    }

    [Fact]
    public async Task Malformed_tenant_is_900023()
    {
        var (status, body) = await TokenHttp.TokenAsync(_emulator, TokenHttp.ClientCredentials(_emulator), "contoso_tenant");
        AssertError(status, body, 400, "invalid_request", 900023,
            "Specified tenant identifier 'contoso_tenant' is neither a valid DNS name, nor a valid external domain.");
    }

    [Theory]
    [InlineData("https://outlook.office365.com/SMTP.SendAsApp")]
    [InlineData("SMTP.SendAsApp")]
    [InlineData("https://outlook.office.com/SMTP.Send")]
    public async Task Client_credentials_without_default_is_1002012(string scope)
    {
        var (status, body) = await TokenHttp.TokenAsync(_emulator, TokenHttp.ClientCredentials(_emulator, scope: scope));
        AssertError(status, body, 400, "invalid_scope", 1002012,
            $"The provided value for scope {scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).");
        var msal = await Assert.ThrowsAsync<MsalServiceException>(() =>
            Msal.WithSecret(_emulator, ClientId, _emulator.Current.ClientSecret!).AcquireTokenForClient(new[] { scope }).ExecuteAsync());
        Assert.Equal("invalid_scope", msal.ErrorCode);
        Assert.StartsWith("AADSTS1002012:", msal.Message);
    }

    [Fact]
    public async Task Mixed_resources_are_70011()
    {
        const string scope = "https://outlook.office365.com/.default https://graph.microsoft.com/.default";
        var (status, body) = await TokenHttp.TokenAsync(_emulator, TokenHttp.ClientCredentials(_emulator, scope: scope));
        AssertError(status, body, 400, "invalid_scope", 70011,
            $"The provided value for the input parameter 'scope' is not valid. The scope {scope} is not valid.");
        var msal = await Assert.ThrowsAsync<MsalServiceException>(() =>
            Msal.WithSecret(_emulator, ClientId, _emulator.Current.ClientSecret!).AcquireTokenForClient(scope.Split(' ')).ExecuteAsync());
        Assert.StartsWith("AADSTS70011: The provided value for the input parameter 'scope' is not valid.", msal.Message);
    }

    [Fact]
    public async Task Unknown_resource_is_500011()
    {
        var (status, body) = await TokenHttp.TokenAsync(_emulator, TokenHttp.ClientCredentials(_emulator, scope: "outlook.office365.com/.default"));
        AssertError(status, body, 400, "invalid_resource", 500011,
            "The resource principal named outlook.office365.com was not found in the tenant named Contoso. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.");
        var msal = await Assert.ThrowsAsync<MsalServiceException>(() =>
            Msal.WithSecret(_emulator, ClientId, _emulator.Current.ClientSecret!).AcquireTokenForClient(new[] { "https://outlook.office365.con/.default" }).ExecuteAsync());
        Assert.StartsWith("AADSTS500011: The resource principal named https://outlook.office365.con was not found in the tenant named Contoso.", msal.Message);
    }

    [Fact]
    public async Task Certificate_not_uploaded_is_700027()
    {
        using var certificate = TokenHttp.NewSelfSignedCertificate();
        var msal = await Assert.ThrowsAsync<MsalServiceException>(() =>
            Msal.WithCertificate(_emulator, ClientId, certificate).AcquireTokenForClient(new[] { Msal.ExchangeDefault }).ExecuteAsync());
        Assert.Equal("invalid_client", msal.ErrorCode);
        Assert.Equal(401, msal.StatusCode);
        var sha256 = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(certificate.RawData));
        Assert.True(
            msal.Message.Contains($"AADSTS700027: Client assertion contains an invalid signature. [Reason - The key was not found., Thumbprint of key used by client: '{certificate.Thumbprint}'", StringComparison.Ordinal) ||
            msal.Message.Contains($"AADSTS700027: Client assertion contains an invalid signature. [Reason - The key was not found., Thumbprint of key used by client: '{sha256}'", StringComparison.Ordinal),
            msal.Message);
    }

    [Fact]
    public async Task Disabled_enterprise_app_is_7000112()
    {
        _emulator.Control.SetApplicationEnabled(false);
        var (status, body) = await TokenHttp.TokenAsync(_emulator, TokenHttp.ClientCredentials(_emulator));
        AssertError(status, body, 400, "unauthorized_client", 7000112, $"Application '{ClientId}'(OAuthSmtp Mailer) is disabled.");
        var msal = await Assert.ThrowsAsync<MsalServiceException>(() =>
            Msal.WithSecret(_emulator, ClientId, _emulator.Current.ClientSecret!).AcquireTokenForClient(new[] { Msal.ExchangeDefault }).ExecuteAsync());
        Assert.StartsWith($"AADSTS7000112: Application '{ClientId}'(OAuthSmtp Mailer) is disabled.", msal.Message);
    }

    [Fact]
    public async Task Conditional_access_block_is_53003()
    {
        _emulator.Control.SetConditionalAccessBlock(true);
        var (status, body) = await TokenHttp.TokenAsync(_emulator, TokenHttp.ClientCredentials(_emulator));
        AssertError(status, body, 400, "access_denied", 53003, "Access has been blocked by Conditional Access policies. The access policy does not allow token issuance.");
        var msal = await Assert.ThrowsAsync<MsalServiceException>(() =>
            Msal.WithSecret(_emulator, ClientId, _emulator.Current.ClientSecret!).AcquireTokenForClient(new[] { Msal.ExchangeDefault }).ExecuteAsync());
        Assert.StartsWith("AADSTS53003: Access has been blocked by Conditional Access policies.", msal.Message);
    }

    [Fact]
    public async Task Delegated_without_consent_is_65001()
    {
        _emulator.Control.RevokeConsent();
        var (status, body) = await DeviceCodeRoundTrip(approve: true);
        AssertError(status, body, 400, "invalid_grant", 65001,
            $"The user or administrator has not consented to use the application with ID '{ClientId}' named 'OAuthSmtp Mailer'. Send an interactive authorization request for this user and resource.");
        Assert.Equal("consent_required", body.GetProperty("suberror").GetString());

        var app = Msal.Public(_emulator, ClientId);
        var msal = await Assert.ThrowsAnyAsync<MsalServiceException>(() => app.AcquireTokenWithDeviceCode(new[] { Msal.SmtpSend }, code =>
        {
            Assert.True(_emulator.Tokens.ApproveDeviceCode(code.UserCode));
            return Task.CompletedTask;
        }).ExecuteAsync());
        Assert.StartsWith("AADSTS65001: The user or administrator has not consented", msal.Message);
    }

    [Fact]
    public async Task Mfa_registration_required_is_50079()
    {
        _emulator.Control.SetUserMfa(_emulator.Current.DelegatedUser, mfaRequired: false, registrationRequired: true);
        var (status, body) = await DeviceCodeRoundTrip(approve: true);
        AssertError(status, body, 400, "interaction_required", 50079,
            "Due to a configuration change made by your administrator, or because you moved to a new location, you must enroll in multi-factor authentication to access 'https://outlook.office.com'.");
    }

    [Fact]
    public async Task Mfa_required_on_refresh_is_50076()
    {
        var (status, body) = await DeviceCodeRoundTrip(approve: true);
        Assert.Equal(200, status);
        _emulator.Control.SetUserMfa(_emulator.Current.DelegatedUser, mfaRequired: true);
        var refresh = new Dictionary<string, string>
        {
            ["client_id"] = ClientId,
            ["grant_type"] = "refresh_token",
            ["refresh_token"] = body.GetProperty("refresh_token").GetString()!,
            ["scope"] = Msal.SmtpSend + " offline_access",
        };
        (status, body) = await TokenHttp.TokenAsync(_emulator, refresh);
        AssertError(status, body, 400, "invalid_grant", 50076,
            "Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication to access 'https://outlook.office.com'.");
    }

    [Fact]
    public async Task Token_service_outage_answers_503_json_then_recovers()
    {
        _emulator.Faults.TokenServiceOutageCount = 2;
        var before = _emulator.Statistics.TokenRequests;
        var (status, body) = await TokenHttp.TokenAsync(_emulator, TokenHttp.ClientCredentials(_emulator));
        Assert.Equal(503, status);
        Assert.Equal("temporarily_unavailable", body.GetProperty("error").GetString());
        (status, _) = await TokenHttp.TokenAsync(_emulator, TokenHttp.ClientCredentials(_emulator));
        Assert.Equal(503, status);
        (status, _) = await TokenHttp.TokenAsync(_emulator, TokenHttp.ClientCredentials(_emulator));
        Assert.Equal(200, status);
        Assert.Equal(before + 3, _emulator.Statistics.TokenRequests);
    }

    private async Task<(int Status, JsonElement Body)> DeviceCodeRoundTrip(bool approve)
    {
        var (status, code) = await TokenHttp.PostAsync(_emulator, $"{_emulator.Current.TenantId}/oauth2/v2.0/devicecode", new Dictionary<string, string>
        {
            ["client_id"] = ClientId,
            ["scope"] = Msal.SmtpSend + " offline_access openid profile",
        });
        Assert.Equal(200, status);
        var userCode = code.GetProperty("user_code").GetString()!;
        Assert.True(approve ? _emulator.Tokens.ApproveDeviceCode(userCode) : _emulator.Tokens.DeclineDeviceCode(userCode));
        return await TokenHttp.TokenAsync(_emulator, new Dictionary<string, string>
        {
            ["client_id"] = ClientId,
            ["grant_type"] = "urn:ietf:params:oauth:grant-type:device_code",
            ["device_code"] = code.GetProperty("device_code").GetString()!,
        });
    }

    /// <summary>The full Entra error shape: error, error_description with its three trailing lines, error_codes, timestamp, trace_id, correlation_id, error_uri.</summary>
    internal static void AssertError(int status, JsonElement body, int expectedStatus, string error, int code, string text)
    {
        Assert.Equal(expectedStatus, status);
        Assert.Equal(error, body.GetProperty("error").GetString());
        var description = body.GetProperty("error_description").GetString()!;
        var lines = description.Split("\r\n");
        Assert.Equal($"AADSTS{code}: {text}", lines[0]);
        Assert.Equal(4, lines.Length);
        Assert.Matches(@"^Trace ID: [0-9a-f-]{36}$", lines[1]);
        Assert.Matches(@"^Correlation ID: [0-9a-f-]{36}$", lines[2]);
        Assert.Matches(@"^Timestamp: \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$", lines[3]);
        Assert.Equal(new[] { code }, body.GetProperty("error_codes").EnumerateArray().Select(e => e.GetInt32()).ToArray());
        Assert.Equal(lines[3]["Timestamp: ".Length..], body.GetProperty("timestamp").GetString());
        Assert.Equal(lines[1]["Trace ID: ".Length..], body.GetProperty("trace_id").GetString());
        Assert.Equal(lines[2]["Correlation ID: ".Length..], body.GetProperty("correlation_id").GetString());
        Assert.Equal($"https://login.microsoftonline.com/error?code={code}", body.GetProperty("error_uri").GetString());
    }
}
