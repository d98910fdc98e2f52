using System;
using System.Linq;
using OAuthSmtp.PowerShell.Tests.Infrastructure;
using Xunit;

namespace OAuthSmtp.PowerShell.Tests.Tokens;

/// <summary>Issue 13 items 1 and 6: a profile saved with -AllowNonMicrosoftHost works, and says so once per session.</summary>
public sealed class NonMicrosoftHostWarningTests : TokenTestBase
{
    public NonMicrosoftHostWarningTests(EmulatorFixture fixture)
        : base(fixture)
    {
    }

    [Fact]
    public void A_profile_that_names_other_hosts_warns_once_per_session()
    {
        Start();

        var first = Run("Get-SmtpOAuthToken -Profile Emu");
        var second = Run("Get-SmtpOAuthToken -Profile Emu; Get-SmtpOAuthToken -Profile Emu -ForceRefresh");

        Assert.Empty(first.AllErrors);
        Assert.Empty(second.AllErrors);
        var warning = Assert.Single(first.Warnings, w => w.Contains("-AllowNonMicrosoftHost", StringComparison.Ordinal));
        Assert.Contains(Tenant.AuthorityHost.ToString(), warning, StringComparison.Ordinal);
        Assert.Contains("Set-SmtpOAuthProfile -Name 'Emu'", warning, StringComparison.Ordinal);
        Assert.DoesNotContain(second.Warnings, w => w.Contains("-AllowNonMicrosoftHost", StringComparison.Ordinal));

        Start();
        Assert.Single(Run("Get-SmtpOAuthToken -Profile Emu").Warnings, w => w.Contains("-AllowNonMicrosoftHost", StringComparison.Ordinal));
    }
}
