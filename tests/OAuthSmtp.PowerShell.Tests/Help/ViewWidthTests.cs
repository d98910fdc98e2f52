using System;
using System.Collections.Generic;
using System.Linq;
using OAuthSmtp.PowerShell.Tests.Infrastructure;
using OAuthSmtp.PowerShell.Tests.Setup;
using Xunit;

namespace OAuthSmtp.PowerShell.Tests.Help;

/// <summary>
/// The format views as a console of 80 and 120 columns shows them, on real objects from the emulated tenant
/// (issue 15, fix 5): each table fits the width with the columns that matter whole, its header on one line, and
/// every column label is a property name, so Select-Object takes what the table shows.
/// </summary>
public sealed class ViewWidthTests : SetupTestBase
{
    public ViewWidthTests(EmulatorFixture fixture)
        : base(fixture)
    {
        OpenSession();
        var created = Run(EmulatorFixture.NewProfileScript() + Environment.NewLine + """
            $null = New-SmtpOAuthProfile -Name Erp -TenantId contoso.onmicrosoft.com -ClientId 3f1c2b9a-0d4e-4a51-9c8e-2b7f6a1d0e53 -CertificateThumbprint 0A1B2C3D4E5F60718293A4B5C6D7E8F901234567 -Mailbox erp.nightly.reports@contoso.onmicrosoft.com
            """);
        Assert.True(!created.AllErrors.Any(), created.ErrorText);
    }

    public static TheoryData<int> Widths => new() { 80, 120 };

    [Theory]
    [MemberData(nameof(Widths))]
    public void The_profile_table_shows_kind_cloud_and_mailbox_whole(int width)
    {
        var lines = Table("Get-SmtpOAuthProfile", width);

        Assert.Matches(@"^Name\s+CredentialKind\s+Cloud\s+Mailbox$", lines[0]);
        Assert.Contains(lines, l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^Emu\s+ClientSecret\s+Global\s+\S+@"));
        Assert.Contains(lines, l => l.Contains("CertificateThumbprint Global", StringComparison.Ordinal));
        AssertFits(lines, width);
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void The_token_table_keeps_its_verdict_and_a_one_line_header(int width)
    {
        var lines = Table("Get-SmtpOAuthToken -Profile Emu", width);

        Assert.Matches(@"^Profile\s+IdentityType\s+Source\s+SmtpReady\s+ExpiresOn\s+Permissions$", lines[0]);
        Assert.Matches(@"^-+(\s+-+){5}$", lines[1]);
        Assert.Matches(@"^Emu\s+App\s+(Service|Cache)\s+True\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\s+SMTP\.SendAsApp", lines[2]);
        AssertFits(lines, width);
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void The_setup_table_gives_each_step_one_line_and_the_list_the_whole_text(int width)
    {
        var lines = Table("Test-SmtpOAuthSetup -Profile Emu", width);

        Assert.Matches(@"^Step\s+Status\s+Detail$", lines[0]);
        Assert.Equal(2 + StepCount, lines.Count);
        Assert.Single(lines, l => l.StartsWith("SecurityPolicies ", StringComparison.Ordinal));
        AssertFits(lines, width);
        // The list view, with the whole Detail, Cause and Fix, is checked in real pwsh: tests/Pester/Views.Tests.ps1.
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void The_send_table_shows_status_recipients_and_subject(int width)
    {
        var lines = Table("Send-SmtpOAuthMessage -To 'jane@fabrikam.com' -Subject 'Quarterly report for the board' -Body 'Text' -Profile Emu -PassThru", width);

        Assert.Matches(@"^Status\s+To\s+Subject$", lines[0]);
        Assert.Matches(@"^Sent\s+jane@fabrikam\.com\s+Quarterly report for the board$", lines[2]);
        AssertFits(lines, width);
    }

    [Fact]
    public void Every_table_column_is_a_property_of_what_it_shows()
    {
        foreach (var command in new[]
                 {
                     "Get-SmtpOAuthProfile Emu",
                     "Get-SmtpOAuthToken -Profile Emu",
                     "@(Test-SmtpOAuthSetup -Profile Emu)[0]",
                     "Send-SmtpOAuthMessage -To 'jane@fabrikam.com' -Subject Columns -Body Text -Profile Emu -PassThru",
                 })
        {
            var labels = Table(command, 200)[0].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var properties = Run($"({command}).PSObject.Properties.Name").Output.Select(o => o.ToString()).ToList();
            Assert.All(labels, label => Assert.Contains(label, properties));
        }

        // The token table's verdict and permissions, read by the names the table shows.
        var picked = Run("$token = Get-SmtpOAuthToken -Profile Emu; $token.SmtpReady; $token.Permissions").Output.Select(o => o.BaseObject).ToList();
        Assert.Equal(new object[] { true, "SMTP.SendAsApp" }, picked);
    }

    /// <summary>
    /// The table's lines (header first) as a console of <paramref name="width"/> columns shows them, blank lines left
    /// out; the command's verbose, warning and information lines are kept out of it.
    /// </summary>
    private List<string> Table(string command, int width)
    {
        var lines = System.Text.RegularExpressions.Regex.Replace(Render($"$shown = @({command} 3>$null 4>$null 5>$null 6>$null); $shown", width), "\u001B\\[[0-9;]*m", string.Empty)
            .Split('\n')
            .Select(l => l.TrimEnd('\r'))
            .Where(l => l.Trim().Length > 0)
            .ToList();
        var rule = lines.FindIndex(l => l.StartsWith('-') && l.All(c => c is '-' or ' '));
        Assert.True(rule > 0, "No table in:" + Environment.NewLine + string.Join(Environment.NewLine, lines));
        return lines.Skip(rule - 1).ToList();
    }

    /// <summary>
    /// Renders through Out-Default into a host whose buffer is <paramref name="width"/> columns wide: what a console of
    /// that width shows (Out-String -Width does the same in the Pester test, tests/Pester/Views.Tests.ps1).
    /// </summary>
    private string Render(string script, int width)
    {
        SetWidth(width);
        try
        {
            var result = Run(script, render: true);
            Assert.True(!result.AllErrors.Any(), result.ErrorText);
            return result.HostText;
        }
        finally
        {
            SetWidth(160);
        }
    }

    private void SetWidth(int width) =>
        Assert.Empty(Run($"$Host.UI.RawUI.BufferSize = [System.Management.Automation.Host.Size]::new({width}, 9999); $Host.UI.RawUI.WindowSize = [System.Management.Automation.Host.Size]::new({width}, 50)").AllErrors);

    private static void AssertFits(IEnumerable<string> lines, int width) =>
        Assert.All(lines, line => Assert.True(line.Length <= width, $"{line.Length} columns: {line}"));
}
