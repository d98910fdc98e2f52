using System;
using OAuthSmtp.Engine.Errors;
using OAuthSmtp.Engine.Profiles;
using OAuthSmtp.Engine.Tests.Profiles;
using OAuthSmtp.Engine.Trust;
using Xunit;

namespace OAuthSmtp.Engine.Tests.Trust;

/// <summary>Issue 13 items 1, 5 and 6: a token or secret goes only to the cloud's own hosts unless named explicitly.</summary>
public sealed class HostTrustPolicyTests
{
    [Theory]
    [InlineData(CloudName.Global, "smtp.office365.com")]
    [InlineData(CloudName.Global, "SMTP.Office365.com.")]
    [InlineData(CloudName.Global, "smtp.hve.mx.microsoft")]
    [InlineData(CloudName.Global, "smtp-hve.office365.com")]
    [InlineData(CloudName.Global, "smtp-legacy.office365.com")]
    [InlineData(CloudName.USGov, "smtp.office365.us")]
    [InlineData(CloudName.USGovDoD, "outlook-dod.office365.us")]
    [InlineData(CloudName.China, "smtp.partner.outlook.cn")]
    public void The_clouds_SMTP_hosts_get_the_token(CloudName cloud, string host)
    {
        Assert.True(HostTrustPolicy.IsCloudSmtpHost(cloud, host));
        HostTrustPolicy.RequireSmtpServer(cloud, host, explicitlyNamed: false);
    }

    [Theory]
    [InlineData(CloudName.Global, "127.0.0.1")]
    [InlineData(CloudName.Global, "attacker.example")]
    [InlineData(CloudName.Global, "smtp.office365.com.attacker.example")]
    [InlineData(CloudName.Global, "smtp.office365.us")]
    [InlineData(CloudName.USGov, "smtp.office365.com")]
    [InlineData(CloudName.China, "smtp.hve.mx.microsoft")]
    public void Any_other_SMTP_host_needs_to_be_named_explicitly(CloudName cloud, string host)
    {
        var error = Assert.Throws<OAuthSmtpException>(() => HostTrustPolicy.RequireSmtpServer(cloud, host, explicitlyNamed: false));
        Assert.Equal(ErrorIds.UntrustedSmtpServer, error.ErrorId);
        Assert.Equal(ErrorKind.SecurityError, error.Kind);
        Assert.Contains("-AllowNonMicrosoftHost", error.Fix, StringComparison.Ordinal);

        HostTrustPolicy.RequireSmtpServer(cloud, host, explicitlyNamed: true);
    }

    [Theory]
    [InlineData(CloudName.Global, "https://login.microsoftonline.com/", true)]
    [InlineData(CloudName.USGov, "https://login.microsoftonline.us", true)]
    [InlineData(CloudName.China, "https://login.chinacloudapi.cn", true)]
    [InlineData(CloudName.Global, "https://login.microsoftonline.com:8443/", false)]
    [InlineData(CloudName.Global, "https://login.microsoftonline.us/", false)]
    [InlineData(CloudName.Global, "https://localhost:5001/", false)]
    [InlineData(CloudName.Global, "https://login.microsoftonline.com.attacker.example/", false)]
    public void Secrets_go_only_to_the_clouds_sign_in_host(CloudName cloud, string authority, bool trusted)
    {
        Assert.Equal(trusted, HostTrustPolicy.IsCloudSignInHost(cloud, new Uri(authority)));
        if (!trusted)
        {
            var error = Assert.Throws<OAuthSmtpException>(() => HostTrustPolicy.RequireAuthorityHost(cloud, new Uri(authority), explicitlyNamed: false));
            Assert.Equal(ErrorIds.UntrustedAuthorityHost, error.ErrorId);
        }

        HostTrustPolicy.RequireAuthorityHost(cloud, new Uri(authority), explicitlyNamed: true);
    }

    [Fact]
    public void Even_a_named_authority_host_must_be_https()
    {
        var error = Assert.Throws<OAuthSmtpException>(() => HostTrustPolicy.RequireAuthorityHost(CloudName.Global, new Uri("http://localhost:5000/"), explicitlyNamed: true));
        Assert.Equal(ErrorIds.InvalidAuthorityHost, error.ErrorId);
    }

    [Theory]
    [InlineData("https://graph.microsoft.com/v1.0/", null, false)]
    [InlineData(null, "https://graph.microsoft.com/v1.0/", false)]
    [InlineData("https://127.0.0.1:8081/", null, false)]
    [InlineData(null, "https://127.0.0.1:8081/", true)]
    public void Graph_endpoints_that_may_receive_the_Graph_token(string? commandLine, string? environment, bool allowNonMicrosoftHost)
    {
        var profile = ProfileStoreTests.Profile("Graph", CredentialKind.ClientSecret);
        profile.AllowNonMicrosoftHost = allowNonMicrosoftHost;
        var chosen = HostTrustPolicy.ChooseGraphEndpoint(profile, commandLine is null ? null : new Uri(commandLine), environment);
        Assert.Equal(new Uri(commandLine ?? environment!), chosen);
    }

    [Theory]
    [InlineData(null, "http://127.0.0.1:8081/", true)]
    [InlineData("http://graph.microsoft.com/", null, true)]
    [InlineData(null, "https://127.0.0.1:8081/", false)]
    [InlineData(null, "https://graph.microsoft.us/", false)]
    [InlineData(null, "not a uri", true)]
    public void Graph_endpoints_that_may_not(string? commandLine, string? environment, bool allowNonMicrosoftHost)
    {
        var profile = ProfileStoreTests.Profile("Graph", CredentialKind.ClientSecret);
        profile.AllowNonMicrosoftHost = allowNonMicrosoftHost;
        var error = Assert.Throws<OAuthSmtpException>(() => HostTrustPolicy.ChooseGraphEndpoint(profile, commandLine is null ? null : new Uri(commandLine), environment));
        Assert.Equal(ErrorIds.UntrustedGraphEndpoint, error.ErrorId);
        Assert.Contains("OAUTHSMTP_GRAPH_ENDPOINT", error.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void No_endpoint_given_means_the_clouds_own()
    {
        Assert.Null(HostTrustPolicy.ChooseGraphEndpoint(ProfileStoreTests.Profile("Graph", CredentialKind.ClientSecret), null, " "));
    }

    [Fact]
    public void A_profile_may_name_other_hosts_only_with_the_switch_and_then_says_which()
    {
        var profile = ProfileStoreTests.Profile("Relay", CredentialKind.ClientSecret);
        profile.SmtpServer = "127.0.0.1";
        profile.AuthorityHost = new Uri("https://localhost:5001/");
        profile.Overrides = ProfileOverrides.SmtpServer | ProfileOverrides.AuthorityHost;

        var refused = Assert.Throws<OAuthSmtpException>(() => ProfileValidator.Normalize(profile));
        Assert.Equal(ErrorIds.UntrustedSmtpServer, refused.ErrorId);
        Assert.Equal("Relay", refused.TargetObject);

        profile.SmtpServer = "smtp.office365.com";
        Assert.Equal(ErrorIds.UntrustedAuthorityHost, Assert.Throws<OAuthSmtpException>(() => ProfileValidator.Normalize(profile)).ErrorId);

        profile.SmtpServer = "127.0.0.1";
        profile.AllowNonMicrosoftHost = true;
        ProfileValidator.Normalize(profile);
        var warning = HostTrustPolicy.DescribeNonMicrosoftHosts(profile);
        Assert.Contains("127.0.0.1", warning, StringComparison.Ordinal);
        Assert.Contains("https://localhost:5001/", warning, StringComparison.Ordinal);
        Assert.Contains("-AllowNonMicrosoftHost:$false", warning, StringComparison.Ordinal);

        Assert.Null(HostTrustPolicy.DescribeNonMicrosoftHosts(ProfileStoreTests.Profile("Plain", CredentialKind.ClientSecret)));
    }

    [Fact]
    public void Parameters_typed_on_the_command_line_are_named_explicitly()
    {
        var adHoc = new SmtpOAuthProfile
        {
            CredentialKind = CredentialKind.ClientSecret,
            TenantId = "contoso.onmicrosoft.com",
            ClientId = Guid.NewGuid(),
            AuthorityHost = new Uri("https://localhost:5001/"),
        };
        var derived = adHoc.Clone();
        ProfileValidator.NormalizeAdHoc(derived);
        Assert.Equal(CloudEndpoints.Global.AuthorityHost, derived.AuthorityHost);

        adHoc.Overrides = ProfileOverrides.AuthorityHost;
        ProfileValidator.NormalizeAdHoc(adHoc);
        Assert.Equal(new Uri("https://localhost:5001/"), adHoc.AuthorityHost);
    }
}
