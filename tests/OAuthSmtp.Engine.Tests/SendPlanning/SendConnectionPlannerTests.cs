using System;
using OAuthSmtp.Engine.Errors;
using OAuthSmtp.Engine.Profiles;
using OAuthSmtp.Engine.SendPlanning;
using OAuthSmtp.Engine.Tests.Tokens;
using Xunit;

namespace OAuthSmtp.Engine.Tests.SendPlanning;

public sealed class SendConnectionPlannerTests
{
    private static readonly string Jwt = TestJwt.Create(new { aud = "https://outlook.office365.com", exp = TestJwt.Unix(DateTimeOffset.UtcNow.AddHours(1)) });

    private static SmtpOAuthProfile Profile(string server = "smtp.office365.com", int port = 587, CloudName cloud = CloudName.Global) =>
        new() { Name = "Reports", Mailbox = "reports@contoso.com", SmtpServer = server, Port = port, Cloud = cloud };

    [Fact]
    public void Command_line_server_and_port_win_over_the_profile()
    {
        var plan = SendConnectionPlanner.Plan(new SendConnectionRequest { SmtpServer = "smtp-hve.office365.com", Port = 2525, Profile = Profile() });
        Assert.Equal(("smtp-hve.office365.com", 2525), (plan.Host, plan.Port));
        Assert.True(plan.UsesProfileToken);
        Assert.Equal("reports@contoso.com", plan.Mailbox);
    }

    [Fact]
    public void Profile_server_wins_over_PSEmailServer_which_serves_only_without_a_profile()
    {
        Assert.Equal("smtp.office365.us", SendConnectionPlanner.Plan(new SendConnectionRequest { Profile = Profile("smtp.office365.us", cloud: CloudName.USGov), PSEmailServer = "smtp-hve.office365.com" }).Host);
        var noProfile = SendConnectionPlanner.Plan(new SendConnectionRequest { AccessToken = Jwt, From = "a@contoso.com", PSEmailServer = "smtp-hve.office365.com" });
        Assert.Equal(("smtp-hve.office365.com", 587), (noProfile.Host, noProfile.Port));
        Assert.Equal("smtp.office365.com", SendConnectionPlanner.Plan(new SendConnectionRequest { AccessToken = Jwt, From = "a@contoso.com" }).Host);
    }

    [Fact]
    public void A_host_outside_Microsoft_needs_the_command_line_or_the_profile_switch()
    {
        var error = Assert.Throws<OAuthSmtpException>(() => SendConnectionPlanner.Plan(new SendConnectionRequest { AccessToken = Jwt, From = "a@contoso.com", PSEmailServer = "relay.contoso.com" }));
        Assert.Equal(ErrorIds.UntrustedSmtpServer, error.ErrorId);
        Assert.Equal(ErrorIds.UntrustedSmtpServer, Assert.Throws<OAuthSmtpException>(() => SendConnectionPlanner.Plan(new SendConnectionRequest { Profile = Profile("relay.contoso.com") })).ErrorId);
        Assert.Equal("relay.contoso.com", SendConnectionPlanner.Plan(new SendConnectionRequest { AccessToken = Jwt, From = "a@contoso.com", SmtpServer = "relay.contoso.com" }).Host);
        var allowed = Profile("relay.contoso.com");
        allowed.AllowNonMicrosoftHost = true;
        Assert.Equal("relay.contoso.com", SendConnectionPlanner.Plan(new SendConnectionRequest { Profile = allowed }).Host);
    }

    [Fact]
    public void Access_token_wins_over_the_credential_and_the_profile()
    {
        var plan = SendConnectionPlanner.Plan(new SendConnectionRequest { AccessToken = "Bearer " + Jwt, CredentialUserName = "c@contoso.com", CredentialPassword = "x", Profile = Profile() });
        Assert.Equal(Jwt, plan.CallerToken);
        Assert.Equal("reports@contoso.com", plan.Mailbox);
    }

    [Fact]
    public void Credential_token_serves_with_its_user_name_as_the_mailbox()
    {
        var plan = SendConnectionPlanner.Plan(new SendConnectionRequest { CredentialUserName = "c@contoso.com", CredentialPassword = Jwt, From = "other@contoso.com" });
        Assert.Equal(Jwt, plan.CallerToken);
        Assert.Equal("c@contoso.com", plan.Mailbox);
    }

    [Theory]
    [InlineData("P@ssw0rd!", null)]
    [InlineData(null, "Summer2026")]
    [InlineData(null, "a.b.c")]
    public void A_password_is_refused_with_the_profile_command(string? credentialPassword, string? accessToken)
    {
        var error = Assert.Throws<OAuthSmtpException>(() => SendConnectionPlanner.Plan(new SendConnectionRequest
        {
            CredentialUserName = "c@contoso.com",
            CredentialPassword = credentialPassword,
            AccessToken = accessToken,
            Profile = Profile(),
        }));
        Assert.Equal(ErrorIds.NotAnAccessToken, error.ErrorId);
        Assert.Equal(ErrorKind.InvalidArgument, error.Kind);
        Assert.Contains("Basic authentication", error.Message);
        Assert.Contains("New-SmtpOAuthProfile", error.Fix);
        Assert.DoesNotContain(credentialPassword ?? accessToken!, error.Message + error.Fix + error.TargetObject);
    }

    [Fact]
    public void Nothing_to_authenticate_with_and_no_mailbox_are_refused()
    {
        Assert.Equal(ErrorIds.SendCredentialMissing, Assert.Throws<OAuthSmtpException>(() => SendConnectionPlanner.Plan(new SendConnectionRequest { From = "a@contoso.com" })).ErrorId);
        Assert.Equal(ErrorIds.SenderRequired, Assert.Throws<OAuthSmtpException>(() => SendConnectionPlanner.Plan(new SendConnectionRequest { AccessToken = Jwt })).ErrorId);
    }
}
