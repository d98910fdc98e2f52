using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Threading;
using OAuthSmtp.Emulator.Smtp;
using OAuthSmtp.PowerShell.Tests.Infrastructure;
using Xunit;

namespace OAuthSmtp.PowerShell.Tests.Sending;

/// <summary>
/// Send-SmtpOAuthMessage when things go wrong, as a script sees it: Exchange's refusals with their ids and fixes,
/// a pipeline that stops trying when trying cannot help, attachments that are not regular files, a protocol log
/// without content, and Ctrl+C that keeps delivery-unknown messages apart and still says what happened.
/// </summary>
public sealed class SendReliabilityTests : SendTestBase
{
    private const string SendAsDeniedReply = "554 5.2.0 STOREDRV.Submission.Exception:SendAsDeniedException.MapiExceptionSendAsDenied; Failed to process message due to a permanent exception with message [BeginDiagnosticData]Cannot submit message. 0.35250:0A00C184";

    public SendReliabilityTests(EmulatorFixture fixture)
        : base(fixture)
    {
    }

    private static string Rows(int count) =>
        $"1..{count} | ForEach-Object {{ [pscustomobject]@{{ To = \"user$_@fabrikam.com\"; Subject = \"Row $_\"; Body = \"Hello $_\" }} }}";

    [Fact]
    public void Send_as_denied_after_the_data_gives_the_grant_to_the_authenticating_mailbox()
    {
        Start();
        Emulator.Faults.TransientReply = SendAsDeniedReply;
        Emulator.Faults.TransientReplyAt = SmtpStage.EndOfData;
        var result = Run("Send-SmtpOAuthMessage -Profile Emu -To a@fabrikam.com -From ceo@contoso.com -Subject 'As CEO'");

        var record = Assert.Single(result.Errors);
        AssertErrorId(record, "SendAsDenied", ErrorCategory.PermissionDenied);
        Assert.Contains($"Add-RecipientPermission -Identity 'ceo@contoso.com' -Trustee '{Tenant.Mailbox}' -AccessRights SendAs -Confirm:$false", record.ErrorDetails.RecommendedAction);
        Assert.Equal(0, DeliveredWithSubject("As CEO"));
    }

    [Fact]
    public void Sender_lockout_stops_the_pipeline_and_every_row_is_carried_and_saved()
    {
        Start();
        var failed = Path.Combine(Folder, "failed");
        Emulator.Faults.TransientReply = "550 5.2.253 Sender throttled due to continuous invalid license errors.";
        Emulator.Faults.TransientReplyAt = SmtpStage.MailFrom;
        var result = Run($"{Rows(5)} | Send-SmtpOAuthMessage -Profile Emu -FailedMessagePath '{failed}'");

        Assert.Equal(5, result.Errors.Count);
        AssertErrorId(result.Errors[0], "SenderThrottled", ErrorCategory.LimitsExceeded);
        Assert.Contains("Retrying now will not help", result.Errors[0].ErrorDetails.Message);
        Assert.Contains("invalid license", result.Errors[0].ErrorDetails.Message);
        Assert.All(result.Errors.Skip(1), r => AssertErrorId(r, "PipelineHalted", ErrorCategory.ResourceUnavailable));
        Assert.All(result.Errors, r => Assert.NotNull(PSObject.AsPSObject(r.TargetObject).Properties["Subject"].Value));
        Assert.Equal(5, Directory.GetFiles(failed, "*.eml").Length);
        Assert.Equal(1, Emulator.Statistics.SmtpCommandsByVerb.GetValueOrDefault("MAIL"));
        Assert.Empty(Emulator.Delivered.All);
    }

    [Fact]
    public void Dead_server_costs_three_rows_then_the_rest_fail_at_once()
    {
        Start();
        var port = UnusedPort();
        var result = Run($"{Rows(50)} | Send-SmtpOAuthMessage -Profile Emu -Port {port} -RetryIntervalSec 0 -TimeoutSec 5");

        Assert.Equal(50, result.Errors.Count);
        Assert.All(result.Errors.Take(3), r => AssertErrorId(r, "SmtpConnectionFailed", ErrorCategory.ConnectionError));
        Assert.All(result.Errors.Skip(3), r => AssertErrorId(r, "PipelineHalted", ErrorCategory.ResourceUnavailable));
        Assert.Contains("SmtpConnectionFailed", result.Errors[3].ErrorDetails.Message);
        // "At once" is what PipelineHalted means: rows 4 to 50 were failed without a connection attempt (no time is measured).
        Assert.All(result.Errors, r => Assert.Equal("Failed", PSObject.AsPSObject(r.TargetObject).Properties["Status"].Value.ToString()));
    }

    [Fact]
    public void Concurrency_refusal_at_the_end_of_data_is_retried_and_delivered_once()
    {
        Start();
        Emulator.Faults.TransientReply = "432 4.3.2 STOREDRV.ClientSubmit; sender thread limit exceeded [Hostname=DM5SPR00MB2471.namprd08.prod.outlook.com]";
        Emulator.Faults.TransientReplyAt = SmtpStage.EndOfData;
        var result = Run("Send-SmtpOAuthMessage -Profile Emu -To a@fabrikam.com -Subject 'Busy' -RetryIntervalSec 0 -PassThru");

        Assert.True(!result.AllErrors.Any(), result.ErrorText);
        var sent = Assert.Single(result.Output);
        Assert.Equal("Sent", sent.Properties["Status"].Value.ToString());
        Assert.Equal(2, sent.Properties["Attempts"].Value);
        Assert.Equal(1, DeliveredWithSubject("Busy"));
        Assert.Equal(1, Emulator.Statistics.SmtpConnections);
    }

    /// <summary>
    /// A 4xx to EHLO is the server's temporary answer: retried, and reported with the server's own words when it
    /// outlasts the retries, never as "STARTTLS not offered" (MailKit's HELO after the refused EHLO offers none).
    /// </summary>
    [Fact]
    public void A_refused_EHLO_is_retried_and_reported_with_the_servers_reply()
    {
        Start();
        Emulator.Faults.TransientReply = "451 4.7.500 Server busy. Please try again later from [127.0.0.1]. (S77)";
        Emulator.Faults.TransientReplyAt = SmtpStage.Ehlo;
        Emulator.Faults.TransientReplyCount = 1;
        var retried = Run("Send-SmtpOAuthMessage -Profile Emu -To a@fabrikam.com -Subject 'Busy once' -RetryIntervalSec 0");
        Assert.Empty(retried.Errors);
        Assert.Equal(1, DeliveredWithSubject("Busy once"));

        // EHLO and HELO alike count: the third attempt's EHLO is refused and its HELO accepted.
        Emulator.Faults.TransientReplyAt = SmtpStage.Ehlo;
        Emulator.Faults.TransientReplyCount = 5;
        var failed = Run("Send-SmtpOAuthMessage -Profile Emu -To a@fabrikam.com -Subject 'Busy' -RetryIntervalSec 0");

        var record = Assert.Single(failed.Errors);
        Assert.DoesNotContain("StartTlsNotOffered", record.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Contains("451 4.7.500 Server busy", record.ErrorDetails.Message, StringComparison.Ordinal);
        Assert.Contains("after 3 attempt(s)", record.ErrorDetails.Message, StringComparison.Ordinal);
        Assert.Equal("Busy", PSObject.AsPSObject(record.TargetObject).Properties["Subject"].Value);
        Assert.Equal(0, DeliveredWithSubject("Busy"));
    }

    [Fact]
    public void Tls_version_refusal_is_reported_once_and_not_retried()
    {
        Start();
        Emulator.Faults.TransientReply = "421 4.7.66 TLS 1.0 and 1.1 are not supported. Please upgrade/update your client to support TLS 1.2. Visit https://aka.ms/smtp_auth_tls. [SA9P221CA0019.NAMP221.PROD.OUTLOOK.COM]";
        Emulator.Faults.TransientReplyAt = SmtpStage.Auth;
        Emulator.Faults.TransientReplyCount = 5;
        var result = Run("Send-SmtpOAuthMessage -Profile Emu -To a@fabrikam.com -Subject 'Old TLS' -RetryIntervalSec 0");

        var record = Assert.Single(result.Errors);
        AssertErrorId(record, "TlsVersionNotSupported", ErrorCategory.SecurityError);
        Assert.Equal(1, Emulator.Statistics.SmtpConnections);
    }

    [Fact]
    public void A_pipe_or_device_attachment_fails_that_row_only()
    {
        if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
        {
            return;
        }

        Start();
        var fifo = Path.Combine(Folder, "pipe.csv");
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", fifo))
        {
            mkfifo.WaitForExit();
        }

        var result = Run($"""
            Send-SmtpOAuthMessage -Profile Emu -To a@fabrikam.com -Subject 'Before'
            Send-SmtpOAuthMessage -Profile Emu -To b@fabrikam.com -Subject 'Pipe' -Attachments '{fifo}' -TimeoutSec 5
            Send-SmtpOAuthMessage -Profile Emu -To c@fabrikam.com -Subject 'Device' -Attachments '/dev/zero' -TimeoutSec 5
            Send-SmtpOAuthMessage -Profile Emu -To d@fabrikam.com -Subject 'After'
            """);

        Assert.Equal(2, result.Errors.Count);
        Assert.All(result.Errors, r => AssertErrorId(r, "AttachmentUnreadable", ErrorCategory.ReadError));
        Assert.Contains("named pipe", result.Errors[0].ErrorDetails.Message);
        Assert.Contains("character device", result.Errors[1].ErrorDetails.Message);
        Assert.Equal(1, DeliveredWithSubject("Before"));
        Assert.Equal(1, DeliveredWithSubject("After"));
    }

    [Fact]
    public void Protocol_log_holds_commands_and_replies_and_the_content_only_on_request()
    {
        Start();
        var plain = Path.Combine(Folder, "plain.log");
        var full = Path.Combine(Folder, "full.log");
        var result = Run($"""
            Send-SmtpOAuthMessage -Profile Emu -To a@fabrikam.com -Subject 'Logged' -Body 'Confidential body text' -ProtocolLogPath '{plain}'
            Send-SmtpOAuthMessage -Profile Emu -To a@fabrikam.com -Subject 'Logged' -Body 'Confidential body text' -ProtocolLogPath '{full}' -ProtocolLogContent
            """);

        Assert.True(!result.AllErrors.Any(), result.ErrorText);
        var withoutContent = File.ReadAllText(plain);
        Assert.Contains("MAIL FROM", withoutContent);
        Assert.Contains("message content not logged", withoutContent);
        Assert.DoesNotContain("Confidential body text", withoutContent);
        Assert.Contains("Confidential body text", File.ReadAllText(full));
        if (!RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(plain));
        }
    }

    [Fact]
    public void Reply_echoing_the_token_is_redacted_in_the_result_the_error_and_the_log()
    {
        Start();
        var token = MintToken();
        var log = Path.Combine(Folder, "smtp.log");
        Emulator.Faults.TransientReply = $"550 5.1.10 RESOLVER.ADR.RecipientNotFound; debug: auth=Bearer {token}";
        Emulator.Faults.TransientReplyAt = SmtpStage.RcptTo;
        var result = Run(
            """
            param($Token, $Mailbox, $Server, $Port, $Log)
            $secure = [System.Net.NetworkCredential]::new('', $Token).SecurePassword
            $r = Send-SmtpOAuthMessage -AccessToken $secure -From $Mailbox -SmtpServer $Server -Port $Port -To a@fabrikam.com -Subject 'Echo' -ProtocolLogPath $Log -PassThru -ErrorVariable failures -ErrorAction SilentlyContinue
            $r.ServerReply
            $failures | ForEach-Object { $_.ToString(); $_.ErrorDetails.Message; $_.Exception.ToString() }
            """,
            new System.Collections.Generic.Dictionary<string, object?> { ["Token"] = token, ["Mailbox"] = Tenant.Mailbox, ["Server"] = Tenant.SmtpServer, ["Port"] = Tenant.SmtpPort, ["Log"] = log });

        var seen = string.Join("\n", result.Output.Select(o => o?.ToString())) + File.ReadAllText(log);
        Assert.Contains("[redacted]", seen);
        foreach (var part in token.Split('.').Where(p => p.Length >= 16).Append(token))
        {
            Assert.DoesNotContain(part, seen);
        }
    }

    [Fact]
    public void Stop_keeps_the_message_in_flight_apart_as_delivery_unknown_and_tells_the_host()
    {
        Start();
        var failed = Path.Combine(Folder, "failed");
        using var ps = System.Management.Automation.PowerShell.Create();
        ps.Runspace = Session.Runspace;

        // Row 2's end-of-data reply is held until this test lets it go (not for a time): Stop comes while it is held.
        ps.AddScript($"{Rows(5)} | ForEach-Object {{ if ($_.Subject -eq 'Row 2') {{ $null = $OAuthSmtpEmulator.Faults.HoldReplies('EndOfData', 1) }}; $_ }} | Send-SmtpOAuthMessage -Profile Emu -FailedMessagePath '{failed}'");
        var running = ps.BeginInvoke();
        var deadline = DateTime.UtcNow.AddMinutes(5);
        while (!(Emulator.Faults.ReplyHold is { Held: 1 } && Emulator.Statistics.SmtpMessagesAccepted == 1) && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(50);
        }

        Assert.True(Emulator.Faults.ReplyHold is { Held: 1 }, "Row 2 never reached the end of its data");
        ps.Stop();
        Assert.True(running.AsyncWaitHandle.WaitOne(TimeSpan.FromMinutes(5)));
        Emulator.Faults.ReplyHold!.Release();

        var unknown = Assert.Single(Directory.GetFiles(Path.Combine(failed, "DeliveryUnknown"), "*.eml"));
        Assert.Contains("Subject: Row 2", File.ReadAllText(unknown));
        Assert.Empty(Directory.GetFiles(failed, "*.eml"));
        Assert.True(Session.Host.Transcript.Contains("was stopped: 1 sent, 1 delivery unknown, 0 not sent.", StringComparison.Ordinal), Session.Host.Transcript + string.Join("\n", ps.Streams.Error) + ps.InvocationStateInfo.Reason);
        Assert.Contains(Path.Combine(failed, "DeliveryUnknown"), Session.Host.Transcript);
    }

    private static int UnusedPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
