using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Text.Json.Nodes;
using OAuthSmtp.PowerShell.Tests.Infrastructure;
using Xunit;

namespace OAuthSmtp.PowerShell.Tests.Profiles;

/// <summary>
/// Issue 13 items 1, 5 and 6 through the cmdlets: a token, secret or Graph token goes to no host outside the
/// profile's cloud unless the admin named it with -AllowNonMicrosoftHost or on the command line. A capture server
/// on loopback stands in for the attacker's host and must receive nothing.
/// </summary>
public sealed class HostTrustTests : ProfileTestBase
{
    private const string Valid = $"-TenantId {TenantId} -ClientId {ClientId} -ClientSecret $secret -AllowUnprotectedSecret:$unprotected -Mailbox scanner@contoso.com";

    public HostTrustTests(ProfileSessionFixture fixture)
        : base(fixture)
    {
    }

    [Fact]
    public void New_refuses_a_host_outside_the_cloud_unless_the_switch_names_it()
    {
        using var capture = new CaptureServer();

        AssertSingleError(Run($"New-SmtpOAuthProfile -Name Scanner {Valid} -SmtpServer 127.0.0.1 -Port {capture.Port}"), "UntrustedSmtpServer", "NewSmtpOAuthProfileCommand", ErrorCategory.SecurityError);
        AssertSingleError(Run($"New-SmtpOAuthProfile -Name Scanner {Valid} -AuthorityHost {capture.HttpsUrl}"), "UntrustedAuthorityHost", "NewSmtpOAuthProfileCommand", ErrorCategory.SecurityError);
        Assert.False(File.Exists(ProfilesFile));

        var saved = Assert.Single(RunOk($"New-SmtpOAuthProfile -Name Scanner {Valid} -SmtpServer 127.0.0.1 -Port {capture.Port} -AllowNonMicrosoftHost").Output);
        Assert.True(Property<bool>(saved, "AllowNonMicrosoftHost"));
        Assert.True(Property<bool>(Assert.Single(RunOk("Get-SmtpOAuthProfile Scanner").Output), "AllowNonMicrosoftHost"));

        var cleared = Run("Set-SmtpOAuthProfile Scanner -AllowNonMicrosoftHost:$false");
        AssertSingleError(cleared, "UntrustedSmtpServer", "SetSmtpOAuthProfileCommand", ErrorCategory.SecurityError);
        Assert.Equal(0, capture.Connections);
    }

    [Theory]
    [InlineData("smtp", "UntrustedSmtpServer")]
    [InlineData("authority", "UntrustedAuthorityHost")]
    public void A_hand_edited_store_sends_nothing_to_the_host_it_names(string field, string errorId)
    {
        using var capture = new CaptureServer();
        RunOk($"New-SmtpOAuthProfile -Name Scanner {Valid} | Out-Null");
        EditStoredProfile(profile =>
        {
            if (field == "smtp")
            {
                profile["smtpServer"] = "127.0.0.1";
                profile["port"] = capture.Port;
                profile["overrides"] = "SmtpServer, Port";
            }
            else
            {
                profile["authorityHost"] = capture.HttpsUrl;
                profile["overrides"] = "AuthorityHost";
            }
        });

        foreach (var (command, commandClass) in new[]
        {
            ("Get-SmtpOAuthToken -Profile Scanner", "GetSmtpOAuthTokenCommand"),
            ("Send-SmtpOAuthMessage -Profile Scanner -To someone@fabrikam.com -Subject 'Quarterly report' -Body 'see attachment'", "SendSmtpOAuthMessageCommand"),
            ("Test-SmtpOAuthSetup -Profile Scanner -SkipExchange", "TestSmtpOAuthSetupCommand"),
        })
        {
            var result = Run(command);
            var error = Assert.Single(result.AllErrors);
            Assert.Equal($"{errorId},OAuthSmtp.PowerShell.Commands.{commandClass}", error.FullyQualifiedErrorId);
            Assert.Contains("Scanner", error.ErrorDetails!.Message, StringComparison.Ordinal);
            Assert.Contains("Set-SmtpOAuthProfile", error.ErrorDetails.RecommendedAction, StringComparison.Ordinal);
        }

        Assert.Equal(0, capture.Connections);
        Assert.Equal(0, capture.BytesReceived);
    }

    [Fact]
    public void A_hand_edited_port_out_of_range_is_an_error_to_repair_not_a_crash()
    {
        RunOk($"New-SmtpOAuthProfile -Name Scanner {Valid} | Out-Null");
        EditStoredProfile(profile =>
        {
            profile["port"] = 70000;
            profile["overrides"] = "Port";
        });

        var send = Run("Send-SmtpOAuthMessage -Profile Scanner -To someone@fabrikam.com -Subject s -Body b");
        Assert.Equal("InvalidPort,OAuthSmtp.PowerShell.Commands.SendSmtpOAuthMessageCommand", Assert.Single(send.AllErrors).FullyQualifiedErrorId);
        Assert.Equal(70000, Property<int>(Assert.Single(RunOk("Get-SmtpOAuthProfile Scanner").Output), "Port"));

        var repaired = Assert.Single(RunOk("Set-SmtpOAuthProfile Scanner -Port 587 -PassThru").Output);
        Assert.Equal(587, Property<int>(repaired, "Port"));
    }

    [Theory]
    [InlineData("https", false)]
    [InlineData("http", true)]
    public void The_Graph_token_goes_only_to_Microsoft_Graph_over_https(string scheme, bool onCommandLine)
    {
        using var capture = new CaptureServer();
        RunOk($"New-SmtpOAuthProfile -Name Scanner {Valid} | Out-Null");
        var endpoint = $"{scheme}://127.0.0.1:{capture.Port}/";
        var previous = Environment.GetEnvironmentVariable("OAUTHSMTP_GRAPH_ENDPOINT");
        try
        {
            Environment.SetEnvironmentVariable("OAUTHSMTP_GRAPH_ENDPOINT", onCommandLine ? null : endpoint);
            var result = Run("Test-SmtpOAuthSetup -Profile Scanner -SkipExchange" + (onCommandLine ? $" -GraphEndpoint {endpoint}" : string.Empty));

            var error = AssertSingleError(result, "UntrustedGraphEndpoint", "TestSmtpOAuthSetupCommand", ErrorCategory.SecurityError);
            Assert.Contains("OAUTHSMTP_GRAPH_ENDPOINT", error.ErrorDetails.RecommendedAction, StringComparison.Ordinal);
            Assert.Empty(result.Output);
        }
        finally
        {
            Environment.SetEnvironmentVariable("OAUTHSMTP_GRAPH_ENDPOINT", previous);
        }

        Assert.Equal(0, capture.Connections);
    }

    private void EditStoredProfile(Action<JsonObject> change)
    {
        var document = JsonNode.Parse(File.ReadAllText(ProfilesFile))!.AsObject();
        change(document["profiles"]![0]!.AsObject());
        File.WriteAllText(ProfilesFile, document.ToJsonString());
    }
}
