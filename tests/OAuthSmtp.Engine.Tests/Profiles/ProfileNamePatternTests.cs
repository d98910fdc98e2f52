using OAuthSmtp.Engine.Errors;
using OAuthSmtp.Engine.Profiles;
using Xunit;

namespace OAuthSmtp.Engine.Tests.Profiles;

public sealed class ProfileNamePatternTests
{
    [Theory]
    [InlineData("*", "Scanner", true)]
    [InlineData("sc*", "Scanner", true)]
    [InlineData("SC*", "scanner", true)]
    [InlineData("sc?nner", "Scanner", true)]
    [InlineData("sc?nner", "Scaanner", false)]
    [InlineData("Scanner[0-9]", "Scanner2", true)]
    [InlineData("Scanner[0-9]", "ScannerX", false)]
    [InlineData("Scanner", "Scanner2", false)]
    [InlineData("a.b", "aXb", false)]
    [InlineData("a`*", "a*", true)]
    [InlineData("a`*", "ab", false)]
    [InlineData("(x)+", "(x)+", true)]
    public void Follows_PowerShell_wildcards(string pattern, string name, bool matches) =>
        Assert.Equal(matches, new ProfileNamePattern(pattern).IsMatch(name));

    [Fact]
    public void An_impossible_pattern_is_an_invalid_name() =>
        Assert.Equal(ErrorIds.InvalidProfileName, Assert.Throws<OAuthSmtpException>(() => new ProfileNamePattern("[z-a]")).ErrorId);
}
