using System.Linq;
using OAuthSmtp.PowerShell.Tests.Infrastructure;
using Xunit;

namespace OAuthSmtp.PowerShell.Tests.Profiles;

/// <summary>Sender and mailbox parameters complete the profiles' mailbox addresses on Tab.</summary>
public sealed class MailboxCompletionTests : IClassFixture<EmulatorFixture>
{
    private readonly EmulatorFixture _fixture;

    public MailboxCompletionTests(EmulatorFixture fixture) => _fixture = fixture;

    [Theory]
    [InlineData("Send-SmtpOAuthMessage -Profile Emu -To x@contoso.com -Subject s -From ")]
    [InlineData("Test-SmtpOAuthSetup -Profile Emu -From ")]
    [InlineData("Set-SmtpOAuthProfile -Name Emu -Mailbox ")]
    public void CompletesTheProfilesMailbox(string line)
    {
        using var session = _fixture.NewSession();
        var result = session.Run(EmulatorFixture.NewProfileScript("Emu") + @"
            $line = $args[0]
            (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches | ForEach-Object { $_.CompletionText }",
            arguments: new object[] { line });

        Assert.False(result.HadTerminatingError, result.ErrorText);
        Assert.Contains(_fixture.Emulator.Current.Mailbox, result.Output.Select(o => o.ToString()));
    }
}
