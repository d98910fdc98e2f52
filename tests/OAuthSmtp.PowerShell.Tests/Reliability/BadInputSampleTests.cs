using System.Linq;
using OAuthSmtp.PowerShell.Tests.Infrastructure;
using OAuthSmtp.PowerShell.Tests.Sending;
using Xunit;

namespace OAuthSmtp.PowerShell.Tests.Reliability;

/// <summary>
/// A sample of the property tests' hostile input through the cmdlets, rendered as a console shows it: each is an
/// error record with a FullyQualifiedErrorId, and no .NET stack trace reaches the screen.
/// </summary>
public sealed class BadInputSampleTests : SendTestBase
{
    public BadInputSampleTests(EmulatorFixture fixture)
        : base(fixture)
    {
    }

    [Theory]
    [InlineData("Send-SmtpOAuthMessage -Profile Emu -To \"a`r`nRCPT TO:<evil@x.com>@fabrikam.com\" -Subject s")]
    [InlineData("Send-SmtpOAuthMessage -Profile Emu -To 'jane@fabrikam.com' -Subject \"Ünïcødé`nBcc: evil@x.com\"")]
    [InlineData("Send-SmtpOAuthMessage -Profile Emu -To 'jane@fabrikam.com' -From '\"Evil\" <>' -Subject s")]
    [InlineData("Send-SmtpOAuthMessage -Profile Emu -To 'jane@fabrikam.com' -Headers @{ \"X-A`r`nB\" = 'v' }")]
    [InlineData("Send-SmtpOAuthMessage -Profile Emu -To '日本語@@fabrikam.com' -Subject s")]
    [InlineData("Send-SmtpOAuthMessage -Profile Emu -To 'jane@fabrikam.com' -Attachments \"./no`0such.pdf\"")]
    [InlineData("Get-SmtpOAuthToken -Decode -Token 'eyJhbGciOiJSUzI1NiJ9.!!~~.x'")]
    [InlineData("Get-SmtpOAuthToken -Decode -Token 'not.a.jwt.at.all'")]
    [InlineData("Get-SmtpOAuthToken -Decode -Token 'e30.W10.x'")]
    [InlineData("New-SmtpOAuthProfile -Name \"a`nb\" -TenantId 'contoso.onmicrosoft.com' -ClientId 'x' -ManagedIdentity -Mailbox 'a@b.c'")]
    [InlineData("New-SmtpOAuthProfile -Name 'P' -TenantId '日本.onmicrosoft.com' -ClientId '9f1b2d3c-1111-4a5b-8c7d-0123456789ab' -ManagedIdentity -Mailbox 'a@b.c' -Port 70000")]
    [InlineData("[System.IO.File]::WriteAllText((Join-Path $env:OAUTHSMTP_HOME 'profiles.json'), '{\"schemaVersion\":1,\"profiles\":[{\"name\":5'); Get-SmtpOAuthProfile")]
    public void Hostile_input_is_an_error_record_without_a_stack_trace(string script)
    {
        Start();
        var structured = Run(script);
        var record = Assert.Single(structured.AllErrors);
        Assert.Contains(",OAuthSmtp.PowerShell.Commands.", record.FullyQualifiedErrorId);
        Assert.DoesNotContain("UnexpectedError", record.FullyQualifiedErrorId);
        Assert.False(string.IsNullOrWhiteSpace(record.ErrorDetails?.RecommendedAction));

        var rendered = Run(script, render: true);
        Assert.DoesNotContain("   at ", rendered.HostText);
        Assert.DoesNotContain("Exception:", rendered.HostText);
        Assert.Equal(0, Emulator.Statistics.SmtpConnections);
    }
}
