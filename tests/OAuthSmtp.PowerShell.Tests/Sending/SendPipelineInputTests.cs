using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Text;
using OAuthSmtp.PowerShell.Tests.Infrastructure;
using Xunit;

namespace OAuthSmtp.PowerShell.Tests.Sending;

/// <summary>
/// What pipeline objects may and may not do to Send-SmtpOAuthMessage (issue 13 items 1-4, issue 15 fixes 1 and 3):
/// rows bind message fields, never the connection; attachments a row names are attached or the row is refused;
/// piped files make one message with -To and are resent without it; a password never leaves the process.
/// </summary>
public sealed class SendPipelineInputTests : SendTestBase
{
    public SendPipelineInputTests(EmulatorFixture fixture)
        : base(fixture)
    {
    }

    [Fact]
    public void Csv_connection_columns_never_redirect_the_token_or_change_the_mailbox()
    {
        Start();
        using var capture = new CaptureServer(smtpGreeting: true);

        // Rows as Import-Csv makes them (strings, one property per column); Import-Csv itself runs in the Pester test.
        var result = Run("""
            param($Port)
            'Nope', 'Other' | ForEach-Object {
                [pscustomobject]@{ To = 'a@fabrikam.com'; Subject = "Row $_"; SmtpServer = '127.0.0.1'; ComputerName = '127.0.0.1'; Port = "$Port"; Profile = $_; Credential = 'evil'; AccessToken = 'abc'; UseSsl = 'True' }
            } | Send-SmtpOAuthMessage -Profile Emu -PassThru
            """, new Dictionary<string, object?> { ["Port"] = capture.Port });

        Assert.True(!result.AllErrors.Any(), result.ErrorText);
        Assert.Equal(2, result.Output.Count(o => o.Properties["Status"].Value.ToString() == "Sent"));
        Assert.Equal(0, capture.Connections);
        Assert.Equal(2, Emulator.Delivered.Count);
        Assert.All(Emulator.Delivered.All, d => Assert.Equal(Tenant.Mailbox, d.AuthenticatedMailbox, ignoreCase: true));
        Assert.All(Emulator.Delivered.All, d => Assert.Equal(Tenant.Mailbox, d.From, ignoreCase: true));
    }

    [Fact]
    public void Connection_parameters_take_no_pipeline_input()
    {
        Start();
        var result = Run("""
            $c = Get-Command Send-SmtpOAuthMessage
            foreach ($name in 'SmtpServer','Port','Profile','Credential','AccessToken') {
                foreach ($set in $c.Parameters[$name].ParameterSets.Values) { '{0}|{1}|{2}' -f $name, $set.ValueFromPipeline, $set.ValueFromPipelineByPropertyName }
            }
            """);
        Assert.True(!result.AllErrors.Any(), result.ErrorText);
        Assert.NotEmpty(result.Output);
        Assert.All(result.Output, line => Assert.EndsWith("|False|False", line.ToString()));
    }

    [Fact]
    public void Csv_attachments_column_attaches_one_path_or_a_semicolon_list()
    {
        Start();
        File.WriteAllText(Path.Combine(Folder, "one.pdf"), "first file");
        File.WriteAllText(Path.Combine(Folder, "two.pdf"), "second file");
        var one = Path.Combine(Folder, "one.pdf");
        var two = Path.Combine(Folder, "two.pdf");

        // Rows as Import-Csv and ConvertFrom-Csv make them: a path, a ';' list, an empty cell ("") and a last empty
        // cell ($null). The CSV cmdlets themselves run in the Pester test.
        var result = Run("""
            param($One, $Two)
            [pscustomobject]@{ To = 'a@fabrikam.com'; Subject = 'Single'; Attachments = $One },
            [pscustomobject]@{ To = 'b@fabrikam.com'; Subject = 'List'; Attachments = "$One;$Two" },
            [pscustomobject]@{ To = 'c@fabrikam.com'; Subject = 'Empty'; Attachments = '' },
            [pscustomobject]@{ To = 'd@fabrikam.com'; Subject = 'None'; Attachments = $null } |
                Send-SmtpOAuthMessage -Profile Emu -PassThru
            """, new Dictionary<string, object?> { ["One"] = one, ["Two"] = two });

        Assert.True(!result.AllErrors.Any(), result.ErrorText);
        Assert.Equal(new[] { "one.pdf" }, AttachmentNames("Single"));
        Assert.Equal(new[] { "one.pdf", "two.pdf" }, AttachmentNames("List"));
        Assert.Empty(AttachmentNames("Empty"));
        Assert.Empty(AttachmentNames("None"));
    }

    [Fact]
    public void A_row_naming_a_missing_attachment_is_refused_with_its_message_and_the_rest_go_on()
    {
        Start();
        File.WriteAllText(Path.Combine(Folder, "one.pdf"), "first file");
        var result = Run("""
            param($Folder)
            [pscustomobject]@{ To = 'a@fabrikam.com'; Subject = 'Missing'; Attachments = "$Folder/nope.pdf" },
            [pscustomobject]@{ To = 'b@fabrikam.com'; Subject = 'Fine'; Attachments = "$Folder/one.pdf" } |
                Send-SmtpOAuthMessage -Profile Emu -PassThru
            """, new Dictionary<string, object?> { ["Folder"] = Folder });

        var record = Assert.Single(result.AllErrors);
        AssertErrorId(record, "AttachmentNotFound", ErrorCategory.ObjectNotFound);
        Assert.Equal("OAuthSmtp.Engine.Sending.MessageRequest", record.TargetObject.GetType().FullName);
        Assert.Equal("Missing", record.TargetObject.GetType().GetProperty("Subject")!.GetValue(record.TargetObject));
        Assert.Equal(0, DeliveredWithSubject("Missing"));
        Assert.Equal(new[] { "one.pdf" }, AttachmentNames("Fine"));
    }

    [Fact]
    public void Piped_files_with_To_make_one_message_with_every_file_as_Send_MailMessage_does()
    {
        Start();
        foreach (var name in new[] { "a.pdf", "b.pdf", "c.txt" })
        {
            File.WriteAllText(Path.Combine(Folder, name), name);
        }

        var result = Run("""
            param($Folder)
            [System.IO.DirectoryInfo]::new($Folder).GetFiles('*.pdf') | Send-SmtpOAuthMessage -Profile Emu -To ops@fabrikam.com -Subject 'Piped files' -PassThru
            "$Folder/a.pdf", "$Folder/c.txt" | Send-SmtpOAuthMessage -Profile Emu -To ops@fabrikam.com -Subject 'Piped paths' -PassThru
            Send-SmtpOAuthMessage -Profile Emu -To ops@fabrikam.com -Subject 'Wildcard' -Attachments "$Folder/*.pdf" -PassThru
            """, new Dictionary<string, object?> { ["Folder"] = Folder });

        Assert.True(!result.AllErrors.Any(), result.ErrorText);
        Assert.Equal(3, result.Output.Count);
        Assert.Equal(3, Emulator.Delivered.Count);
        Assert.Equal(new[] { "a.pdf", "b.pdf" }, AttachmentNames("Piped files"));
        Assert.Equal(new[] { "a.pdf", "c.txt" }, AttachmentNames("Piped paths"));
        Assert.Equal(new[] { "a.pdf", "b.pdf" }, AttachmentNames("Wildcard"));
    }

    [Fact]
    public void A_missing_piped_file_refuses_the_one_message_instead_of_sending_it_without()
    {
        Start();
        File.WriteAllText(Path.Combine(Folder, "a.pdf"), "a");
        var result = Run("""
            param($Folder)
            "$Folder/a.pdf", "$Folder/gone.pdf" | Send-SmtpOAuthMessage -Profile Emu -To ops@fabrikam.com -Subject 'Half'
            """, new Dictionary<string, object?> { ["Folder"] = Folder });

        AssertErrorId(Assert.Single(result.AllErrors), "AttachmentNotFound", ErrorCategory.ObjectNotFound);
        Assert.Empty(Emulator.Delivered.All);
    }

    [Fact]
    public void Saved_eml_files_piped_from_Get_ChildItem_are_resent_with_their_recipients()
    {
        Start();
        var failed = Path.Combine(Folder, "Failed");
        foreach (var recipient in new[] { "x@fabrikam.com", "y@fabrikam.com" })
        {
            // Not sent (every attempt dropped at MAIL FROM): saved among the unsent messages, not under DeliveryUnknown.
            Emulator.Faults.DropConnectionAt = OAuthSmtp.Emulator.Smtp.SmtpStage.MailFrom;
            Emulator.Faults.DropConnectionCount = 3;
            var first = Run($"Send-SmtpOAuthMessage -To {recipient} -Subject 'Resend {recipient}' -Profile Emu -FailedMessagePath '{failed}' -RetryIntervalSec 0");
            AssertErrorId(Assert.Single(first.AllErrors), "SmtpConnectionFailed", ErrorCategory.ConnectionError);
        }

        var saved = Directory.GetFiles(failed);
        Assert.Equal(2, saved.Length);
        Assert.All(saved, path => Assert.EndsWith(".eml", path));
        if (!OperatingSystem.IsWindows())
        {
            foreach (var path in saved)
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
            }
        }

        // FileInfo objects as Get-ChildItem emits them (Get-ChildItem itself runs in the Pester test).
        var resent = Run($"[System.IO.DirectoryInfo]::new('{failed}').GetFiles('*.eml') | Send-SmtpOAuthMessage -Profile Emu -PassThru");

        Assert.True(!resent.AllErrors.Any(), resent.ErrorText);
        Assert.Equal(new[] { "Sent", "Sent" }, resent.Output.Select(o => o.Properties["Status"].Value.ToString()));
        Assert.Equal(1, DeliveredWithSubject("Resend x@fabrikam.com"));
        Assert.Equal(1, DeliveredWithSubject("Resend y@fabrikam.com"));
        Assert.Contains(Emulator.Delivered.All, d => d.To.Contains("y@fabrikam.com", StringComparer.OrdinalIgnoreCase));
    }

    [Theory]
    [InlineData("-Credential ([pscredential]::new($Mailbox, $Secure))")]
    [InlineData("-AccessToken $Secure -From $Mailbox")]
    public void A_password_is_refused_before_any_connection_and_never_leaves_the_process(string credential)
    {
        Start();
        using var capture = new CaptureServer(smtpGreeting: true);
        const string password = "Spring2026!Secret";
        var result = Run(
            $$"""
            param($Password, $Mailbox, $Port)
            $Secure = [System.Net.NetworkCredential]::new('', $Password).SecurePassword
            'a@fabrikam.com', 'b@fabrikam.com' | ForEach-Object { [pscustomobject]@{ To = $_; Subject = 'Basic' } } |
                Send-SmtpOAuthMessage {{credential}} -SmtpServer 127.0.0.1 -Port $Port -Verbose
            """,
            new Dictionary<string, object?> { ["Password"] = password, ["Mailbox"] = Tenant.Mailbox, ["Port"] = capture.Port });

        var record = Assert.Single(result.AllErrors);
        AssertErrorId(record, "NotAnAccessToken", ErrorCategory.InvalidArgument);
        Assert.Contains("Basic authentication", record.ErrorDetails!.Message);
        Assert.Contains("New-SmtpOAuthProfile", record.ErrorDetails.RecommendedAction);
        Assert.Equal(0, capture.Connections);
        Assert.DoesNotContain(password, result.EverythingVisible());
    }

    [Fact]
    public void PSEmailServer_outside_Microsoft_never_receives_the_token_unless_typed_as_SmtpServer()
    {
        Start();
        using var capture = new CaptureServer(smtpGreeting: true);
        var result = Run("""
            param($Token, $Mailbox, $Port)
            $PSEmailServer = '127.0.0.1'
            $secure = [System.Net.NetworkCredential]::new('', $Token).SecurePassword
            Send-SmtpOAuthMessage -To a@fabrikam.com -Subject 'Preference variable' -From $Mailbox -AccessToken $secure -Port $Port
            """, new Dictionary<string, object?> { ["Token"] = MintToken(), ["Mailbox"] = Tenant.Mailbox, ["Port"] = capture.Port });

        var record = Assert.Single(result.AllErrors);
        Assert.Equal("UntrustedSmtpServer" + CommandSuffix, record.FullyQualifiedErrorId);
        Assert.Equal(0, capture.Connections);
    }

    private string[] AttachmentNames(string subject)
    {
        var delivered = Assert.Single(Emulator.Delivered.All, d => d.Subject == subject);
        using var stream = new MemoryStream(delivered.Raw);
        var mime = MimeKit.MimeMessage.Load(stream);
        return mime.Attachments.Select(a => a.ContentDisposition?.FileName ?? a.ContentType.Name ?? string.Empty).OrderBy(n => n, StringComparer.Ordinal).ToArray();
    }
}
