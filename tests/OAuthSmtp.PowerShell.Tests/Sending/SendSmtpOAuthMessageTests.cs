using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Runtime.CompilerServices;
using System.Text;
using OAuthSmtp.PowerShell.Tests.Infrastructure;
using Xunit;

namespace OAuthSmtp.PowerShell.Tests.Sending;

/// <summary>Send-SmtpOAuthMessage in a hosted runspace against the emulator.</summary>
public sealed class SendSmtpOAuthMessageTests : SendTestBase
{
    public SendSmtpOAuthMessageTests(EmulatorFixture fixture)
        : base(fixture)
    {
    }

    /// <summary>Send-MailMessage binds these by property name; here they come from the command line only.</summary>
    private static readonly HashSet<string> ConnectionSettings = new(StringComparer.OrdinalIgnoreCase) { "SmtpServer", "Port", "Credential", "UseSsl" };

    [Fact]
    public void Parameters_match_send_mailmessage_by_name_alias_position_type_and_pipeline_binding()
    {
        Start();
        var script = """
            $c = Get-Command Send-SmtpOAuthMessage
            foreach ($p in $c.Parameters.Values) {
                foreach ($s in $p.ParameterSets.GetEnumerator()) {
                    if ($s.Key -eq 'Fields' -or $s.Key -eq '__AllParameterSets') {
                        '{0}|{1}|{2}|{3}|{4}|{5}|{6}' -f $p.Name, $p.ParameterType.FullName, $s.Value.Position, ($p.Aliases -join ','), $s.Value.IsMandatory, $s.Value.ValueFromPipeline, $s.Value.ValueFromPipelineByPropertyName
                    }
                }
            }
            """;
        var result = Run(script);
        Assert.True(!result.AllErrors.Any(), result.ErrorText);
        var ours = result.Output.Select(o => o.ToString()!.Split('|')).ToDictionary(f => f[0], StringComparer.OrdinalIgnoreCase);
        foreach (var line in File.ReadAllLines(Resource("SendMailMessage.parameters.txt")).Where(l => l.Length > 0 && l[0] != '#'))
        {
            var expected = line.Split('|');
            Assert.True(ours.TryGetValue(expected[0], out var actual), $"-{expected[0]} is missing");
            Assert.Equal(expected[0], actual![0]);
            Assert.Equal(expected[1], actual[1]);
            Assert.Equal(expected[2], actual[2]);
            foreach (var alias in expected[3].Split(',', StringSplitOptions.RemoveEmptyEntries))
            {
                Assert.Contains(alias, actual[3].Split(','));
            }

            // From is optional here: it defaults to the profile's mailbox (documented).
            Assert.Equal(expected[0] == "From" ? "False" : expected[4], actual[4]);
            Assert.Equal(expected[5], actual[5]);

            // Connection settings never come from pipeline objects (issue 13: a CSV column must not redirect the token).
            Assert.Equal(ConnectionSettings.Contains(expected[0]) ? "False" : expected[6], actual[6]);
        }
    }

    [Fact]
    public void A_200_message_pipeline_uses_one_connection_one_authentication_and_one_token()
    {
        Start();
        var result = Run("""
            1..200 | ForEach-Object { [pscustomobject]@{ To = "user$_@fabrikam.com"; Subject = "Bulk $_"; Body = "Hello $_" } } |
                Send-SmtpOAuthMessage -Profile Emu -PassThru
            """);

        Assert.True(!result.AllErrors.Any(), result.ErrorText);
        Assert.Equal(200, result.Output.Count);
        Assert.All(result.Output, o => Assert.Equal("Sent", o.Properties["Status"].Value.ToString()));
        Assert.Equal(200, Emulator.Delivered.Count);
        Assert.Equal(200, Emulator.Delivered.All.Select(d => d.MessageId).Distinct().Count());
        Assert.Equal(1, Emulator.Statistics.SmtpConnections);
        Assert.Equal(1, Emulator.Statistics.SmtpAuthenticationsSucceeded);
        Assert.Equal(1, Emulator.Statistics.TokenRequests);
        Assert.Equal(201, result.Progress.Count);
        Assert.Equal(ProgressRecordType.Completed, result.Progress[^1].RecordType);
        Assert.Contains("Message 200", result.Progress[^2].StatusDescription);
    }

    [Fact]
    public void Messages_go_with_data_as_mailkit_sends_by_default_never_bdat()
    {
        // Exchange Online refused BDAT messages with attachments (552 5.3.4, jstedfast/MailKit#904), so MailKit and
        // this module send with DATA even though the server advertises CHUNKING.
        Start();
        var attachment = Path.Combine(Folder, "report.txt");
        File.WriteAllText(attachment, "attached");
        var run = Session.Run("""
            1..3 | ForEach-Object { [pscustomobject]@{ To = "user$_@fabrikam.com"; Subject = "Data $_"; Body = "Hello $_" } } |
                Send-SmtpOAuthMessage -Profile Emu -Attachments $args[0] -PassThru
            """, arguments: new object[] { attachment });

        Assert.True(!run.AllErrors.Any(), run.ErrorText);
        Assert.All(run.Output, o => Assert.Equal("Sent", o.Properties["Status"].Value.ToString()));
        Assert.Equal(3, Emulator.Statistics.SmtpCommandsByVerb.GetValueOrDefault("DATA"));
        Assert.Equal(0, Emulator.Statistics.SmtpCommandsByVerb.GetValueOrDefault("BDAT"));
        Assert.Equal(1, Emulator.Statistics.SmtpCommandsByVerb.GetValueOrDefault("STARTTLS"));
        Assert.Equal(1, Emulator.Statistics.SmtpConnections);
        Assert.Equal(1, Emulator.Statistics.SmtpAuthenticationsSucceeded);
    }

    [Fact]
    public void Pipelining_switch_is_gone()
    {
        Start();
        var run = Run("(Get-Command Send-SmtpOAuthMessage).Parameters.ContainsKey('Pipelining')");
        Assert.Equal(false, run.Output.Single().BaseObject);
    }

    [Fact]
    public void Positional_send_mailmessage_call_works_after_renaming_and_adding_a_profile()
    {
        Start();
        var result = Run($"Send-SmtpOAuthMessage 'jane@fabrikam.com' 'Report' 'Body text' -Profile Emu -Priority High -BAH -DNO OnFailure -BE utf8 -PassThru");
        Assert.True(!result.AllErrors.Any(), result.ErrorText);
        var sent = Assert.Single(result.Output);
        Assert.Equal("Sent", sent.Properties["Status"].Value.ToString());
        var delivered = Assert.Single(Emulator.Delivered.All);
        Assert.Equal(Tenant.Mailbox, delivered.From, ignoreCase: true);
        Assert.Equal("Report", delivered.Subject);
        Assert.Contains("X-Priority: 1", Encoding.UTF8.GetString(delivered.Raw));
    }

    [Fact]
    public void WhatIf_sends_nothing_and_never_connects()
    {
        Start();
        var result = Run("1..3 | ForEach-Object { Send-SmtpOAuthMessage -To \"u$_@fabrikam.com\" -Subject 'x' -Profile Emu -WhatIf }");
        Assert.True(!result.AllErrors.Any(), result.ErrorText);
        Assert.Equal(0, Emulator.Statistics.SmtpConnections);
        Assert.Equal(0, Emulator.Statistics.TokenRequests);
        Assert.Empty(Emulator.Delivered.All);
    }

    [Theory]
    [InlineData("-To 'not an address' -Subject s", "InvalidEmailAddress", ErrorCategory.InvalidArgument)]
    [InlineData("-To ' ' -Subject s", "NoRecipients", ErrorCategory.InvalidArgument)]
    [InlineData("-To 'a@fabrikam.com' -Subject \"a`r`nBcc: evil@x.com\"", "HeaderInjection", ErrorCategory.InvalidArgument)]
    [InlineData("-To 'a@fabrikam.com' -Headers @{ 'X-A' = \"1`nBcc: evil@x.com\" }", "HeaderInjection", ErrorCategory.InvalidArgument)]
    [InlineData("-To 'a@fabrikam.com' -Headers @{ From = 'x@y.com' }", "InvalidHeader", ErrorCategory.InvalidArgument)]
    [InlineData("-To 'a@fabrikam.com' -Attachments ./does-not-exist.pdf", "AttachmentNotFound", ErrorCategory.ObjectNotFound)]
    [InlineData("-To 'a@fabrikam.com' -From 'bad from'", "InvalidEmailAddress", ErrorCategory.InvalidArgument)]
    [InlineData("-MessagePath ./missing.eml", "InvalidMessageInput", ErrorCategory.ObjectNotFound)]
    [InlineData("-Message 42", "InvalidMessageInput", ErrorCategory.InvalidArgument)]
    public void Bad_input_is_reported_before_anything_is_sent(string arguments, string errorId, ErrorCategory category)
    {
        Start();
        var result = Run($"Send-SmtpOAuthMessage -Profile Emu {arguments}");
        var record = Assert.Single(result.AllErrors, r => true);
        AssertErrorId(record, errorId, category);
        Assert.Equal(0, Emulator.Statistics.SmtpConnections);
        Assert.Empty(Emulator.Delivered.All);
    }

    [Fact]
    public void Missing_credential_and_unknown_profile_stop_the_command()
    {
        Start();
        // Statement-terminating: the second message of the pipeline is never tried.
        var none = Run("'a@fabrikam.com','b@fabrikam.com' | ForEach-Object { [pscustomobject]@{ To = $_ } } | Send-SmtpOAuthMessage -From b@contoso.com -Subject s");
        AssertErrorId(Assert.Single(none.AllErrors), "SendCredentialMissing", ErrorCategory.InvalidArgument);

        var unknown = Run("Send-SmtpOAuthMessage -To a@fabrikam.com -Subject s -Profile Nope");
        Assert.Equal("ProfileNotFound" + CommandSuffix, Assert.Single(unknown.AllErrors).FullyQualifiedErrorId);
        Assert.Equal(0, Emulator.Statistics.SmtpConnections);
    }

    [Fact]
    public void Send_as_denied_is_a_non_terminating_error_carrying_the_message_and_the_pipeline_goes_on()
    {
        Start();
        var result = Run(
            """
            param($Shared, $Mailbox)
            'first','second' | ForEach-Object { [pscustomobject]@{ To = 'a@fabrikam.com'; Subject = $_; From = $(if ($_ -eq 'first') { $Shared } else { $Mailbox }) } } |
                Send-SmtpOAuthMessage -Profile Emu -PassThru
            """,
            new Dictionary<string, object?> { ["Shared"] = Tenant.SharedMailbox, ["Mailbox"] = Tenant.Mailbox });

        var record = Assert.Single(result.Errors);
        AssertErrorId(record, "SendAsDenied", ErrorCategory.PermissionDenied);
        Assert.Contains("Add-RecipientPermission", record.ErrorDetails!.RecommendedAction);
        Assert.Matches(@"554 5\.2\.0 STOREDRV\.Submission\.Exception:SendAsDeniedException|550 5\.7\.60|554 5\.2\.252", record.ErrorDetails.Message);
        var target = Assert.IsAssignableFrom<object>(record.TargetObject);
        Assert.Equal("OAuthSmtp.Engine.Sending.SendResult", target.GetType().FullName);
        Assert.Equal(new[] { "Failed", "Sent" }, result.Output.Select(o => o.Properties["Status"].Value.ToString()));
        Assert.Equal(0, DeliveredWithSubject("first"));
        Assert.Equal(1, DeliveredWithSubject("second"));
    }

    [Fact]
    public void Smtp_auth_disabled_for_the_mailbox_is_translated_with_the_fix()
    {
        Start(connectExchange: true);
        var setup = Run($"Set-CASMailbox -Identity '{Tenant.Mailbox}' -SmtpClientAuthenticationDisabled $true");
        Assert.True(!setup.AllErrors.Any(), setup.ErrorText);
        Emulator.Clock.Advance(OAuthSmtp.Emulator.Model.PropagationDefaults.QuickDelay); // until then SMTP still follows the old value, as Exchange does
        var result = Run("Send-SmtpOAuthMessage -To a@fabrikam.com -Subject s -Profile Emu");
        var record = Assert.Single(result.AllErrors);
        AssertErrorId(record, "SmtpAuthDisabledForMailbox", ErrorCategory.PermissionDenied);
        Assert.Contains("Set-CASMailbox", record.ErrorDetails!.RecommendedAction);
    }

    [Fact]
    public void Failed_messages_are_saved_and_sent_again_from_the_eml_and_from_the_result()
    {
        Start();
        var failed = Path.Combine(Folder, "failed");
        Emulator.Faults.DropConnectionAt = OAuthSmtp.Emulator.Smtp.SmtpStage.BeforeEndOfData;
        var first = Run($"Send-SmtpOAuthMessage -To a@fabrikam.com -Subject 'Lost once' -Profile Emu -FailedMessagePath '{failed}' -PassThru");
        var record = Assert.Single(first.Errors);
        AssertErrorId(record, "DeliveryUnknown", ErrorCategory.ConnectionError);
        // Delivery unknown: kept apart from the unsent messages, so resending the folder never sends it twice.
        Assert.Empty(Directory.GetFiles(failed, "*.eml"));
        var saved = Assert.Single(Directory.GetFiles(Path.Combine(failed, "DeliveryUnknown"), "*.eml"));
        Assert.Equal(0, DeliveredWithSubject("Lost once"));

        var resent = Run($"Send-SmtpOAuthMessage -MessagePath '{saved}' -Profile Emu -PassThru");
        Assert.True(!resent.AllErrors.Any(), resent.ErrorText);
        Assert.Equal(1, DeliveredWithSubject("Lost once"));
        Assert.Equal(first.Output.Single().Properties["MessageId"].Value, resent.Output.Single().Properties["MessageId"].Value);

        Emulator.Faults.DropConnectionAt = OAuthSmtp.Emulator.Smtp.SmtpStage.BeforeEndOfData;
        var again = Run("""
            $r = Send-SmtpOAuthMessage -To b@fabrikam.com -Subject 'Lost twice' -Profile Emu -PassThru -ErrorAction SilentlyContinue
            Send-SmtpOAuthMessage -Message $r -Profile Emu -PassThru
            """);
        Assert.Equal("Sent", again.Output.Last().Properties["Status"].Value.ToString());
        Assert.Equal(1, DeliveredWithSubject("Lost twice"));
    }

    [Fact]
    public void Secret_token_and_xoauth2_blob_appear_in_no_stream_error_log_or_file()
    {
        Start();
        var token = MintToken();
        var log = Path.Combine(Folder, "smtp.log");
        var failed = Path.Combine(Folder, "failed");
        var blob = Convert.ToBase64String(Encoding.UTF8.GetBytes($"user={Tenant.Mailbox}\u0001auth=Bearer {token}\u0001\u0001"));
        var result = Run(
            """
            param($Token, $Mailbox, $Shared, $Log, $Failed, $Server, $Port)
            $VerbosePreference = 'Continue'; $DebugPreference = 'Continue'
            $secure = [System.Net.NetworkCredential]::new('', $Token).SecurePassword
            $r = Send-SmtpOAuthMessage -To a@fabrikam.com -Subject 'ok' -From $Mailbox -AccessToken $secure -SmtpServer $Server -Port $Port -ProtocolLogPath $Log -FailedMessagePath $Failed -PassThru -Verbose
            $r; $r | Select-Object -Property *
            Send-SmtpOAuthMessage -To a@fabrikam.com -Subject 'denied' -From $Shared -Credential ([pscredential]::new($Mailbox, $secure)) -SmtpServer $Server -Port $Port -ProtocolLogPath $Log -FailedMessagePath $Failed -PassThru -Verbose
            Send-SmtpOAuthMessage -To a@fabrikam.com -Subject 'profile' -Profile Emu -ProtocolLogPath $Log -Verbose -PassThru
            $Error | ForEach-Object { $_ | Out-String }
            """,
            new Dictionary<string, object?> { ["Token"] = token, ["Mailbox"] = Tenant.Mailbox, ["Shared"] = Tenant.SharedMailbox, ["Log"] = log, ["Failed"] = failed, ["Server"] = Emulator.SmtpHost, ["Port"] = Emulator.SmtpPort },
            render: true);

        Assert.True(2 == DeliveredWithSubject("ok") + DeliveredWithSubject("profile"), result.EverythingVisible());
        var everything = new StringBuilder(result.EverythingVisible());
        everything.AppendLine(File.ReadAllText(log));
        foreach (var file in Directory.GetFiles(failed))
        {
            everything.AppendLine(File.ReadAllText(file));
        }

        var text = everything.ToString();
        Assert.Contains("AUTH XOAUTH2", text);
        Assert.Contains("is not allowed to send as", text);
        Assert.DoesNotContain(token, text);
        Assert.DoesNotContain(token.Split('.')[1], text);
        Assert.DoesNotContain(token.Split('.')[2], text);
        Assert.DoesNotContain(blob.Substring(0, 40), text);
        Assert.DoesNotContain(Tenant.ClientSecret!, text);
    }

    private static string Resource(string name, [CallerFilePath] string source = "") =>
        Path.Combine(Path.GetDirectoryName(source)!, name);
}
