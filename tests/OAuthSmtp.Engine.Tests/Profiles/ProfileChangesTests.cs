using OAuthSmtp.Engine.Profiles;
using Xunit;

namespace OAuthSmtp.Engine.Tests.Profiles;

/// <summary>Issue 15 fix 6: Set-SmtpOAuthProfile -WhatIf says what would change, old -> new, and never a secret.</summary>
public sealed class ProfileChangesTests
{
    [Fact]
    public void Each_changed_setting_is_listed_old_to_new()
    {
        var before = ProfileStoreTests.Profile("Scanner", CredentialKind.ClientSecret);
        ProfileValidator.Normalize(before);
        var after = before.Clone();
        after.Cloud = CloudName.USGov;
        after.TokenGraceSeconds = 120;
        ProfileValidator.Normalize(after);

        var changes = ProfileChanges.Describe(before, after, secretReplaced: true);

        Assert.Contains("Cloud: Global -> USGov", changes);
        Assert.Contains("SmtpServer: smtp.office365.com -> smtp.office365.us", changes);
        Assert.Contains("AuthorityHost: https://login.microsoftonline.com/ -> https://login.microsoftonline.us/", changes);
        Assert.Contains("TokenGraceSeconds: 30 -> 120", changes);
        Assert.Contains("secret: replaced", changes);
        Assert.DoesNotContain(changes, c => c.StartsWith("Mailbox", System.StringComparison.Ordinal));
    }

    [Fact]
    public void Nothing_changed_is_an_empty_list()
    {
        var profile = ProfileStoreTests.Profile("Scanner");
        Assert.Empty(ProfileChanges.Describe(profile, profile.Clone(), secretReplaced: false));
    }
}
