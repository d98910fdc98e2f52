using System;
using System.Linq;
using OAuthSmtp.Engine.Profiles;
using OAuthSmtp.Engine.Tokens;
using Xunit;

namespace OAuthSmtp.Engine.Tests.Tokens;

public sealed class SmtpTokenAssessmentTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 10, 0, 0, TimeSpan.Zero);

    private static TokenClaims App(object? roles, string aud = "https://outlook.office365.com", int expiresInMinutes = 60) =>
        JwtClaimsDecoder.Decode(TestJwt.Create(new { aud, exp = TestJwt.Unix(Now.AddMinutes(expiresInMinutes)), idtyp = "app", oid = "o", roles }));

    [Fact]
    public void App_token_with_SMTP_SendAsApp_for_Exchange_is_usable_without_findings()
    {
        var result = SmtpTokenAssessment.Assess(App(new[] { "SMTP.SendAsApp" }), Now, CloudName.Global, expectAppOnly: true);

        Assert.True(result.IsUsable);
        Assert.Empty(result.Findings);
        Assert.Equal(CloudName.Global, result.Cloud);
    }

    [Fact]
    public void App_token_without_roles_warns_naming_both_missing_consent_and_the_RBAC_route()
    {
        var result = SmtpTokenAssessment.Assess(App(null), Now, CloudName.Global, expectAppOnly: true);

        var finding = Assert.Single(result.Findings);
        Assert.Equal("SendAsAppMissing", finding.Code);
        Assert.Equal(SmtpTokenFindingSeverity.Warning, finding.Severity);
        Assert.Contains("admin consent", finding.Message, StringComparison.Ordinal);
        Assert.Contains("RBAC for Applications", finding.Message, StringComparison.Ordinal);
        Assert.Contains("Test-ServicePrincipalAuthorization", finding.Fix, StringComparison.Ordinal);
        Assert.True(result.IsUsable);
    }

    [Fact]
    public void App_token_with_other_roles_only_is_not_usable()
    {
        var result = SmtpTokenAssessment.Assess(App(new[] { "full_access_as_app" }), Now);

        Assert.False(result.IsUsable);
        Assert.Contains("full_access_as_app", result.Errors.Single().Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Graph_token_is_refused_for_its_audience()
    {
        var result = SmtpTokenAssessment.Assess(App(new[] { "SMTP.SendAsApp" }, aud: "https://graph.microsoft.com"), Now);

        Assert.False(result.IsUsable);
        Assert.Equal("AudienceNotExchange", result.Errors.Single().Code);
        Assert.Contains("535 5.7.3", result.Errors.Single().Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Exchange_application_id_is_an_acceptable_audience()
    {
        var result = SmtpTokenAssessment.Assess(App(new[] { "SMTP.SendAsApp" }, aud: SmtpTokenAssessment.ExchangeApplicationId), Now);

        Assert.True(result.IsUsable);
    }

    [Fact]
    public void Token_of_another_cloud_is_refused_for_the_profile_cloud()
    {
        var result = SmtpTokenAssessment.Assess(App(new[] { "SMTP.SendAsApp" }, aud: "https://outlook.office365.us"), Now, CloudName.Global);

        Assert.Equal(CloudName.USGov, result.Cloud);
        Assert.Equal("AudienceOtherCloud", result.Errors.Single().Code);
    }

    [Fact]
    public void Expired_token_says_when()
    {
        var result = SmtpTokenAssessment.Assess(App(new[] { "SMTP.SendAsApp" }, expiresInMinutes: -90), Now);

        var error = result.Errors.Single();
        Assert.Equal("Expired", error.Code);
        Assert.Contains("1 hour(s) ago", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Delegated_token_needs_SMTP_Send_in_scp()
    {
        var withSend = JwtClaimsDecoder.Decode(TestJwt.Create(new { aud = "https://outlook.office.com", exp = TestJwt.Unix(Now.AddHours(1)), scp = "SMTP.Send", upn = "a@b.c" }));
        var without = JwtClaimsDecoder.Decode(TestJwt.Create(new { aud = "https://outlook.office.com", exp = TestJwt.Unix(Now.AddHours(1)), scp = "Mail.Read", upn = "a@b.c" }));

        Assert.True(SmtpTokenAssessment.Assess(withSend, Now).IsUsable);
        var error = SmtpTokenAssessment.Assess(without, Now).Errors.Single();
        Assert.Equal("SmtpSendScopeMissing", error.Code);
        Assert.Contains("Mail.Read", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_managed_identity_token_without_the_role_says_a_recent_grant_can_take_a_day_to_appear()
    {
        var withoutRoles = App(System.Array.Empty<string>());

        var finding = SmtpTokenAssessment.Assess(withoutRoles, Now, CloudName.Global, expectAppOnly: true, managedIdentity: true).Warnings.Single();
        var appFinding = SmtpTokenAssessment.Assess(withoutRoles, Now, CloudName.Global, expectAppOnly: true).Warnings.Single();

        Assert.Equal("SendAsAppMissing", finding.Code);
        Assert.Contains("24 hours", finding.Message, StringComparison.Ordinal);
        Assert.Contains("restart the Azure resource", finding.Fix, StringComparison.Ordinal);
        Assert.DoesNotContain("24 hours", appFinding.Message, StringComparison.Ordinal);
    }
}
