using System;
using OAuthSmtp.Engine.Errors;
using OAuthSmtp.Engine.Tokens;
using Xunit;

namespace OAuthSmtp.Engine.Tests.Tokens;

public sealed class JwtClaimsDecoderTests
{
    private static readonly DateTimeOffset Issued = new(2026, 3, 1, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void App_only_v1_token_yields_every_claim_that_matters()
    {
        var token = TestJwt.Create(new
        {
            aud = "https://outlook.office365.com",
            iss = "https://sts.windows.net/11111111-1111-1111-1111-111111111111/",
            iat = TestJwt.Unix(Issued),
            nbf = TestJwt.Unix(Issued),
            exp = TestJwt.Unix(Issued.AddMinutes(75)),
            appid = "22222222-2222-2222-2222-222222222222",
            appidacr = "2",
            idtyp = "app",
            oid = "33333333-3333-3333-3333-333333333333",
            roles = new[] { "SMTP.SendAsApp", "IMAP.AccessAsApp" },
            tid = "11111111-1111-1111-1111-111111111111",
            ver = "1.0",
        });

        var claims = JwtClaimsDecoder.Decode(token);

        Assert.Equal("https://outlook.office365.com", claims.Audience);
        Assert.Equal(Issued.AddMinutes(75), claims.ExpiresOn);
        Assert.Equal(Issued, claims.IssuedAt);
        Assert.Equal("11111111-1111-1111-1111-111111111111", claims.TenantId);
        Assert.Equal("22222222-2222-2222-2222-222222222222", claims.ClientId);
        Assert.Equal("33333333-3333-3333-3333-333333333333", claims.ObjectId);
        Assert.Equal(new[] { "SMTP.SendAsApp", "IMAP.AccessAsApp" }, claims.Roles);
        Assert.Empty(claims.Scopes);
        Assert.Equal(TokenIdentityType.App, claims.IdentityType);
        Assert.Null(claims.UserPrincipalName);
        Assert.Equal("2", claims.AppIdAcr);
        Assert.Equal("certificate", claims.ClientAuthentication);
    }

    [Fact]
    public void Delegated_v2_token_reads_azp_scp_and_upn_and_infers_user_without_idtyp()
    {
        var token = TestJwt.Create(new
        {
            aud = new[] { "https://outlook.office.com" },
            azp = "44444444-4444-4444-4444-444444444444",
            azpacr = "0",
            scp = "SMTP.Send  User.Read",
            unique_name = "alex@contoso.com",
            exp = 1900000000.0,
        });

        var claims = JwtClaimsDecoder.Decode("Bearer " + token);

        Assert.Equal("https://outlook.office.com", claims.Audience);
        Assert.Equal("44444444-4444-4444-4444-444444444444", claims.ClientId);
        Assert.Equal(new[] { "SMTP.Send", "User.Read" }, claims.Scopes);
        Assert.Equal("alex@contoso.com", claims.UserPrincipalName);
        Assert.Equal(TokenIdentityType.User, claims.IdentityType);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1900000000), claims.ExpiresOn);
    }

    [Fact]
    public void App_only_token_without_roles_or_idtyp_is_inferred_from_sub_equal_to_oid()
    {
        var token = TestJwt.Create(new { aud = "https://outlook.office365.com", oid = "a", sub = "a" });

        Assert.Equal(TokenIdentityType.App, JwtClaimsDecoder.Decode(token).IdentityType);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("EwBAAl3BAAUFFpUAo7J3Ve0bjLBWZWCclRC3EoAA")]
    [InlineData("a.b")]
    [InlineData("a.b.c.d.e")]
    [InlineData("eyJhbGciOiJub25lIn0.%%%.sig")]
    [InlineData("eyJhbGciOiJub25lIn0.bm90IGpzb24.sig")]
    [InlineData("eyJhbGciOiJub25lIn0.WzEsMl0.sig")]
    public void Malformed_input_is_a_clear_TokenMalformed_error(string text)
    {
        var error = Assert.Throws<OAuthSmtpException>(() => JwtClaimsDecoder.Decode(text));

        Assert.Equal(ErrorIds.TokenMalformed, error.ErrorId);
        Assert.Equal(ErrorKind.InvalidData, error.Kind);
        Assert.False(string.IsNullOrWhiteSpace(error.Fix));
        Assert.Null(JwtClaimsDecoder.TryDecode(text));
    }

    [Fact]
    public void Claims_of_the_wrong_type_read_as_absent_instead_of_throwing()
    {
        var token = TestJwt.Create(new { aud = 5, exp = "soon", roles = "SMTP.SendAsApp", iat = 1e300, scp = new[] { "x" } });

        var claims = JwtClaimsDecoder.Decode(token);

        Assert.Empty(claims.Audiences);
        Assert.Null(claims.ExpiresOn);
        Assert.Null(claims.IssuedAt);
        Assert.Equal(new[] { "SMTP.SendAsApp" }, claims.Roles);
        Assert.Empty(claims.Scopes);
    }

    [Fact]
    public void Malformed_token_message_never_repeats_the_input()
    {
        const string secretLooking = "eyJhbGciOiJub25lIn0.c2VjcmV0LXRleHQtaW5zaWRl.sig";

        var error = Assert.Throws<OAuthSmtpException>(() => JwtClaimsDecoder.Decode(secretLooking));

        Assert.DoesNotContain("c2VjcmV0", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-text", error.Message, StringComparison.Ordinal);
    }
}
