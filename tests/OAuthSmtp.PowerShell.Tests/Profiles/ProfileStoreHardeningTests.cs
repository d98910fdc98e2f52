using System;
using System.IO;
using System.Management.Automation;
using Xunit;

namespace OAuthSmtp.PowerShell.Tests.Profiles;

/// <summary>Issue 13 items 13 and 14, issue 15 fix 6, through the cmdlets.</summary>
public sealed class ProfileStoreHardeningTests : ProfileTestBase
{
    private const string Valid = $"-TenantId {TenantId} -ClientId {ClientId} -Mailbox scanner@contoso.com -DeviceCode";

    public ProfileStoreHardeningTests(ProfileSessionFixture fixture)
        : base(fixture)
    {
    }

    [Fact]
    public void Set_WhatIf_says_what_would_change_old_to_new_and_changes_nothing()
    {
        RunOk($"New-SmtpOAuthProfile -Name Scanner {Valid} | Out-Null");
        var before = File.ReadAllText(ProfilesFile);

        var result = RunOk("Set-SmtpOAuthProfile Scanner -Port 2525 -Cloud USGov -WhatIf");

        Assert.Contains("Port: 587 -> 2525", result.HostText, StringComparison.Ordinal);
        Assert.Contains("Cloud: Global -> USGov", result.HostText, StringComparison.Ordinal);
        Assert.Contains("SmtpServer: smtp.office365.com -> smtp.office365.us", result.HostText, StringComparison.Ordinal);
        Assert.DoesNotContain("Mailbox:", result.HostText, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllText(ProfilesFile));
    }

    [Fact]
    public void A_profile_store_writable_by_others_is_refused_before_anything_is_sent()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        RunOk($"New-SmtpOAuthProfile -Name Scanner {Valid} | Out-Null");
        File.SetUnixFileMode(ProfilesFile, File.GetUnixFileMode(ProfilesFile) | UnixFileMode.OtherWrite);

        var error = AssertSingleError(Run("Get-SmtpOAuthToken -Profile Scanner"), "ProfileStoreInsecure", "GetSmtpOAuthTokenCommand", ErrorCategory.SecurityError);
        Assert.Contains("chmod 600", error.ErrorDetails.RecommendedAction, StringComparison.Ordinal);
        File.SetUnixFileMode(ProfilesFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        RunOk("Get-SmtpOAuthProfile Scanner | Out-Null");
    }

    [Fact]
    public void A_profile_store_owned_by_another_user_is_refused_before_anything_is_sent()
    {
        // Root may give a file away (chown); as any other user the tests cannot make another user's file.
        if (OperatingSystem.IsWindows() || Environment.UserName != "root")
        {
            return;
        }

        RunOk($"New-SmtpOAuthProfile -Name Scanner {Valid} | Out-Null");
        Chown(ProfilesFile, 65534);

        var error = AssertSingleError(Run("Get-SmtpOAuthToken -Profile Scanner"), "ProfileStoreInsecure", "GetSmtpOAuthTokenCommand", ErrorCategory.SecurityError);
        Assert.Contains("owned by another user", error.Exception.Message, StringComparison.Ordinal);
        Assert.Contains("chown", error.ErrorDetails.RecommendedAction, StringComparison.Ordinal);
        Chown(ProfilesFile, 0);
        RunOk("Get-SmtpOAuthProfile Scanner | Out-Null");
    }

    private static void Chown(string path, int uid)
    {
        using var chown = System.Diagnostics.Process.Start("chown", $"{uid} \"{path}\"");
        chown.WaitForExit();
        Assert.Equal(0, chown.ExitCode);
    }

    [Fact]
    public void A_profile_store_over_the_cap_is_refused_at_once_and_left_untouched()
    {
        using (var file = new FileStream(ProfilesFile, FileMode.CreateNew))
        {
            file.SetLength(5 * 1024 * 1024);
        }

        var error = AssertSingleError(Run("Get-SmtpOAuthProfile"), "ProfileStoreTooLarge", "GetSmtpOAuthProfileCommand", ErrorCategory.InvalidData);
        Assert.Contains("Move-Item", error.ErrorDetails.RecommendedAction, StringComparison.Ordinal);
        AssertSingleError(Run($"New-SmtpOAuthProfile -Name Scanner {Valid}"), "ProfileStoreTooLarge", "NewSmtpOAuthProfileCommand", ErrorCategory.InvalidData);
        Assert.Equal(5 * 1024 * 1024, new FileInfo(ProfilesFile).Length);
    }

    [Fact]
    public void A_plaintext_secret_left_by_a_crashed_save_is_removed_by_the_next_save()
    {
        var secrets = Directory.CreateDirectory(Path.Combine(Home, "secrets")).FullName;
        var leftover = Path.Combine(secrets, "0a1b2c.0123456789abcdef.tmp");
        File.WriteAllText(leftover, Secret);

        RunOk($"New-SmtpOAuthProfile -Name Scanner {Valid} | Out-Null");

        Assert.False(File.Exists(leftover));
    }
}
