using System;
using Microsoft.Identity.Client;
using OAuthSmtp.Engine.Errors;
using OAuthSmtp.Engine.Profiles;
using OAuthSmtp.Engine.Tokens;
using Xunit;

namespace OAuthSmtp.Engine.Tests.Tokens;

public sealed class TokenErrorTranslatorTests
{
    private const string ClientId = "22222222-2222-2222-2222-222222222222";

    private static TokenErrorContext Context(CredentialKind kind = CredentialKind.ClientSecret) => new()
    {
        ProfileName = "scanner",
        TenantId = "contoso.onmicrosoft.com",
        ClientId = ClientId,
        CredentialKind = kind,
        Cloud = CloudName.Global,
        Scope = "https://outlook.office365.com/SMTP.SendAsApp",
    };

    // Every code of EXCHANGE-FACTS 5b: its own id, a category by meaning, and words an admin acts on.
    [Theory]
    [InlineData(7000215, "invalid_client", 401, "TokenInvalidClientSecret", ErrorKind.AuthenticationError, "secret ID", "Set-SmtpOAuthProfile -Name 'scanner' -ClientSecret")]
    [InlineData(7000222, "invalid_client", 401, "TokenClientSecretExpired", ErrorKind.AuthenticationError, "expired", "Set-SmtpOAuthProfile -Name 'scanner' -ClientSecret")]
    [InlineData(700016, "unauthorized_client", 400, "TokenApplicationNotFound", ErrorKind.ObjectNotFound, "client id", "adminconsent?client_id=" + ClientId)]
    [InlineData(90002, "invalid_request", 400, "TokenTenantNotFound", ErrorKind.ObjectNotFound, "does not exist", "-TenantId")]
    [InlineData(900023, "invalid_request", 400, "InvalidTenantId", ErrorKind.InvalidArgument, "neither a tenant GUID", "-TenantId")]
    [InlineData(1002012, "invalid_scope", 400, "TokenScopeInvalid", ErrorKind.InvalidArgument, "/.default", "-Scope 'https://outlook.office365.com/.default'")]
    [InlineData(70011, "invalid_scope", 400, "TokenScopeInvalid", ErrorKind.InvalidArgument, "malformed", "-Scope 'https://outlook.office365.com/.default'")]
    [InlineData(500011, "invalid_resource", 400, "TokenResourceNotFound", ErrorKind.ObjectNotFound, "typo", "https://outlook.office365.com/.default")]
    [InlineData(700027, "invalid_client", 401, "TokenCertificateRejected", ErrorKind.AuthenticationError, "not uploaded", "Certificates & secrets")]
    [InlineData(700024, "invalid_client", 401, "TokenCertificateRejected", ErrorKind.AuthenticationError, "clock is wrong", "timedatectl")]
    [InlineData(50059, "invalid_request", 400, "InvalidTenantId", ErrorKind.InvalidArgument, "/common or /organizations", "-TenantId")]
    [InlineData(65001, "invalid_grant", 400, "TokenConsentRequired", ErrorKind.PermissionDenied, "SMTP.Send", "Grant admin consent")]
    [InlineData(50076, "invalid_grant", 400, "TokenMfaRequired", ErrorKind.AuthenticationError, "multi-factor", "app-only profile")]
    [InlineData(50079, "interaction_required", 400, "TokenMfaRequired", ErrorKind.AuthenticationError, "register", "aka.ms/mfasetup")]
    [InlineData(53003, "access_denied", 400, "TokenBlockedByConditionalAccess", ErrorKind.PermissionDenied, "Conditional Access", "Conditional Access")]
    [InlineData(7000112, "unauthorized_client", 400, "TokenApplicationDisabled", ErrorKind.PermissionDenied, "disabled", "AccountEnabled")]
    public void Each_documented_AADSTS_code_has_its_own_id_cause_and_fix(
        int code, string error, int status, string expectedId, ErrorKind expectedKind, string inMessage, string inFix)
    {
        var description = $"AADSTS{code}: text from the service.\r\nTrace ID: 1\r\nCorrelation ID: 2\r\nTimestamp: 2026-01-01 00:00:00Z";

        var translated = TokenErrorTranslator.Translate(code, error, description, status, "corr-123", Context());

        Assert.Equal(expectedId, translated.ErrorId);
        Assert.Equal(expectedKind, translated.Kind);
        Assert.Contains(inMessage, translated.Message, StringComparison.Ordinal);
        Assert.Contains(inFix, translated.Fix, StringComparison.Ordinal);
        Assert.Contains($"AADSTS{code}: text from the service.", translated.Message, StringComparison.Ordinal);
        Assert.Contains("corr-123", translated.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Trace ID", translated.Message, StringComparison.Ordinal);
        Assert.Equal("scanner", translated.TargetObject);
    }

    [Fact]
    public void Expired_secret_names_the_expiry_date_when_known()
    {
        var context = Context();
        context.SecretExpiresOn = new DateTimeOffset(2026, 2, 14, 0, 0, 0, TimeSpan.Zero);

        var translated = TokenErrorTranslator.Translate(7000222, "invalid_client", "AADSTS7000222: expired", 401, null, context);

        Assert.Contains("expired on 2026-02-14", translated.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_a_profile_the_fix_says_to_pass_the_parameter_again()
    {
        var context = Context();
        context.ProfileName = null;

        var translated = TokenErrorTranslator.Translate(7000215, "invalid_client", "AADSTS7000215: bad", 401, null, context);

        Assert.DoesNotContain("Set-SmtpOAuthProfile", translated.Fix, StringComparison.Ordinal);
        Assert.Contains("-ClientSecret", translated.Fix, StringComparison.Ordinal);
        Assert.Equal(ClientId, translated.TargetObject);
    }

    [Theory]
    [InlineData(503, null)]
    [InlineData(429, null)]
    [InlineData(400, "temporarily_unavailable")]
    public void Server_errors_and_throttling_become_TokenServiceUnavailable(int status, string? error)
    {
        var translated = TokenErrorTranslator.Translate(null, error, "busy", status, null, Context());

        Assert.Equal(ErrorIds.TokenServiceUnavailable, translated.ErrorId);
        Assert.Equal(ErrorKind.ResourceUnavailable, translated.Kind);
    }

    [Fact]
    public void An_unlisted_code_keeps_the_code_and_points_to_the_lookup()
    {
        var translated = TokenErrorTranslator.Translate(50034, "invalid_grant", "AADSTS50034: user not found", 400, null, Context(CredentialKind.DeviceCode));

        Assert.Equal(ErrorIds.TokenRequestFailed, translated.ErrorId);
        Assert.Contains("AADSTS50034", translated.Message, StringComparison.Ordinal);
        Assert.Contains("code=50034", translated.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void An_MSAL_service_exception_is_mapped_by_the_AADSTS_number_in_its_message()
    {
        var msal = new MsalServiceException("invalid_client", "AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID.");

        var translated = TokenErrorTranslator.Translate(msal, Context());

        Assert.Equal(ErrorIds.TokenInvalidClientSecret, translated.ErrorId);
        Assert.Same(msal, translated.InnerException);
    }

    [Fact]
    public void A_network_failure_becomes_TokenServiceUnreachable()
    {
        var translated = TokenErrorTranslator.Translate(new System.Net.Http.HttpRequestException("Connection refused (127.0.0.1:1)"), Context());

        Assert.Equal(ErrorIds.TokenServiceUnreachable, translated.ErrorId);
        Assert.Equal(ErrorKind.ConnectionError, translated.Kind);
    }
}
