using System.Linq;
using OAuthSmtp.PowerShell.Tests.Infrastructure;
using Xunit;

namespace OAuthSmtp.PowerShell.Tests.Profiles;

/// <summary>A changed or removed profile never keeps serving a token cached under its old settings.</summary>
public sealed class ProfileTokenCacheTests : IClassFixture<EmulatorFixture>
{
    private readonly EmulatorFixture _fixture;

    public ProfileTokenCacheTests(EmulatorFixture fixture) => _fixture = fixture;

    [Fact]
    public void SetSmtpOAuthProfileDropsTheCachedToken()
    {
        using var session = _fixture.NewSession();
        var result = session.Run(EmulatorFixture.NewProfileScript("Cached") + @"
            (Get-SmtpOAuthToken -Profile Cached).Source
            (Get-SmtpOAuthToken -Profile Cached).Source
            Set-SmtpOAuthProfile -Name Cached -TokenGraceSeconds 60 -Confirm:$false
            (Get-SmtpOAuthToken -Profile Cached).Source");

        Assert.False(result.HadTerminatingError, result.ErrorText);
        Assert.Empty(result.Errors);
        Assert.Equal(new[] { "Service", "Cache", "Service" }, result.Output.Select(o => o.ToString()));
        Assert.Equal(2, _fixture.Emulator.Statistics.TokenRequests);
    }

    [Fact]
    public void ARecreatedProfileDoesNotInheritTheRemovedOnesToken()
    {
        using var session = _fixture.NewSession();
        var result = session.Run(EmulatorFixture.NewProfileScript("Again") + @"
            $null = Get-SmtpOAuthToken -Profile Again
            Remove-SmtpOAuthProfile -Name Again -Confirm:$false
            " + EmulatorFixture.NewProfileScript("Again") + @"
            (Get-SmtpOAuthToken -Profile Again).Source");

        Assert.False(result.HadTerminatingError, result.ErrorText);
        Assert.Empty(result.Errors);
        Assert.Equal("Service", Assert.Single(result.Output).ToString());
    }
}
