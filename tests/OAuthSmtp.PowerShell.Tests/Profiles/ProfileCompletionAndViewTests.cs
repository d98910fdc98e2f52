using System.IO;
using System.Linq;
using OAuthSmtp.Hosting;
using Xunit;

namespace OAuthSmtp.PowerShell.Tests.Profiles;

/// <summary>What the admin sees: Tab completion of profile names and the table and list views.</summary>
public sealed class ProfileCompletionAndViewTests : ProfileTestBase
{
    public ProfileCompletionAndViewTests(ProfileSessionFixture fixture)
        : base(fixture)
    {
    }

    private void CreateProfiles() => RunOk($$"""
        foreach ($name in 'Scanner', 'Scanner 2', 'Erp') {
            New-SmtpOAuthProfile -Name $name -TenantId {{TenantId}} -ClientId {{ClientId}} -DeviceCode -Mailbox "erp@contoso.com" | Out-Null
        }
        """);

    private string[] Complete(string line) =>
        RunOk($"(TabExpansion2 -inputScript '{line.Replace("'", "''")}' -cursorColumn {line.Length}).CompletionMatches | ForEach-Object CompletionText")
            .Output.Select(o => o.BaseObject.ToString()!).ToArray();

    [Theory]
    [InlineData("Get-SmtpOAuthProfile Sc")]
    [InlineData("Get-SmtpOAuthProfile -Name sc")]
    [InlineData("Set-SmtpOAuthProfile -Name Sc")]
    [InlineData("Remove-SmtpOAuthProfile Sc")]
    public void Tab_completes_profile_names(string line)
    {
        CreateProfiles();
        Assert.Equal(new[] { "Scanner", "'Scanner 2'" }, Complete(line));
    }

    [Fact]
    public void Tab_completes_every_profile_from_nothing_and_nothing_from_a_broken_store()
    {
        CreateProfiles();
        Assert.Equal(new[] { "Erp", "Scanner", "'Scanner 2'" }, Complete("Get-SmtpOAuthProfile "));

        System.IO.File.WriteAllText(ProfilesFile, "not json");
        Assert.Empty(Complete("Get-SmtpOAuthProfile "));
    }

    [Fact]
    public void Tab_inserts_a_mailbox_with_an_apostrophe_quoted_and_a_plain_address_as_typed()
    {
        RunOk($"New-SmtpOAuthProfile -Name Irish -TenantId {TenantId} -ClientId {ClientId} -DeviceCode -Mailbox \"o'brien@contoso.com\" | Out-Null");
        RunOk($"New-SmtpOAuthProfile -Name Plain -TenantId {TenantId} -ClientId {ClientId} -DeviceCode -Mailbox erp@contoso.com | Out-Null");

        Assert.Equal(new[] { "'o''brien@contoso.com'" }, Complete("Set-SmtpOAuthProfile -Name Irish -Mailbox o"));
        Assert.Equal(new[] { "erp@contoso.com" }, Complete("Set-SmtpOAuthProfile -Name Plain -Mailbox e"));
    }

    [Fact]
    public void The_table_view_shows_the_main_settings()
    {
        CreateProfiles();
        // The host renders headers with ANSI colours, as pwsh does; the words are what the admin reads.
        var text = System.Text.RegularExpressions.Regex.Replace(RunOk("Get-SmtpOAuthProfile", render: true).HostText, "\u001B\\[[0-9;]*m", string.Empty);

        var header = text.Split('\n').First(l => l.TrimStart().StartsWith("Name", System.StringComparison.Ordinal));
        Assert.Equal(new[] { "Name", "CredentialKind", "Cloud", "Mailbox" }, header.Split(' ', System.StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("DeviceCode", text);
        Assert.DoesNotContain("SmtpServer", text);
    }

    [Fact]
    public void The_list_view_shows_every_setting_and_where_the_secret_is()
    {
        RunOk($"New-SmtpOAuthProfile -Name Vaulted -TenantId {TenantId} -ClientId {ClientId} -SecretName SmtpApp -Vault CorpVault -Mailbox app@contoso.com -Port 2525 | Out-Null");
        var list = System.Text.RegularExpressions.Regex.Replace(RunOk("Get-SmtpOAuthProfile Vaulted | Format-List", render: true).HostText, "\u001B\\[[0-9;]*m", string.Empty);
        var shown = System.Text.RegularExpressions.Regex.Matches(list, @"^(\w+)\s+: ?(.*)$", System.Text.RegularExpressions.RegexOptions.Multiline)
            .ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value.Trim());

        var foldedIntoCredential = new[] { "CertificateThumbprint", "CertificateStoreLocation", "CertificatePath", "ManagedIdentityIdKind", "ManagedIdentityId", "SecretName", "Vault", "IsDelegated", "IsManagedIdentity" };
        var profile = Assert.Single(RunOk("Get-SmtpOAuthProfile Vaulted").Output);
        var settings = profile.Properties.Select(p => p.Name).Except(foldedIntoCredential);
        Assert.DoesNotContain(settings, name => !shown.ContainsKey(name));
        Assert.Equal("CorpVault/SmtpApp", shown["SecretReference"]);
        Assert.Equal("client secret", shown["Credential"]);
        Assert.Equal("2525", shown["Port"]);
    }
}
