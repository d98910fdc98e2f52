using System;
using System.Linq;
using System.Threading.Tasks;
using MailKit.Net.Smtp;
using MimeKit;
using Xunit;

namespace OAuthSmtp.Emulator.Tests.Smtp;

/// <summary>The per-mailbox limits of EXCHANGE-FACTS §8, with small settings so the tests stay fast.</summary>
public sealed class SmtpLimitTests
{
    // THROTTLE-DOC (learn.microsoft.com/troubleshoot/exchange/send-emails/smtp-submission-improvements): 3 messages
    // submitted at the same time per mailbox; the 432 comes as the reply to the data
    // [OBS: https://github.com/timeoff-management/timeoff-management-application/issues/308].
    [Fact]
    public async Task A_fourth_simultaneous_submission_gets_432_4_3_2_at_the_end_of_its_data()
    {
        await using var host = await SmtpTestHost.StartAsync();
        var connections = new RawSmtpConnection[4];
        for (var i = 0; i < connections.Length; i++)
        {
            connections[i] = await AuthenticatedAsync(host);
            Assert.Equal("250 2.1.0 Sender OK", await connections[i].CommandAsync($"MAIL FROM:<{SmtpTestHost.Mailbox}>"));
            Assert.Equal("250 2.1.5 Recipient OK", await connections[i].CommandAsync($"RCPT TO:<{SmtpTestHost.Recipient}>"));
            Assert.StartsWith("354", await connections[i].CommandAsync("DATA"));
            await connections[i].SendLineAsync($"From: {SmtpTestHost.Mailbox}\r\nSubject: {i}\r\n\r\nbody");
        }

        Assert.Equal("432 4.3.2 Concurrent connections limit exceeded.", await connections[3].CommandAsync("."));
        for (var i = 0; i < 3; i++) Assert.StartsWith("250 2.0.0 OK", await connections[i].CommandAsync("."));

        // The slot is free again: the same connection submits now.
        Assert.Equal("250 2.1.0 Sender OK", await connections[3].CommandAsync($"MAIL FROM:<{SmtpTestHost.Mailbox}>"));
        Assert.Equal("250 2.1.5 Recipient OK", await connections[3].CommandAsync($"RCPT TO:<{SmtpTestHost.Recipient}>"));
        Assert.StartsWith("354", await connections[3].CommandAsync("DATA"));
        Assert.StartsWith("250 2.0.0 OK", await connections[3].CommandAsync("Subject: again\r\n\r\nbody\r\n."));
        Assert.Equal(4, host.Delivered.Count);
        foreach (var connection in connections) await connection.DisposeAsync();
    }

    [Fact]
    public async Task Idle_authenticated_connections_do_not_count_towards_the_limit()
    {
        await using var host = await SmtpTestHost.StartAsync();
        var idle = new SmtpClient[3];
        for (var i = 0; i < idle.Length; i++) idle[i] = await host.ConnectAndAuthenticateAsync(host.AppToken());
        using var fourth = await host.ConnectAndAuthenticateAsync(host.AppToken());

        await fourth.SendAsync(SmtpTestHost.Message());

        Assert.Equal(1, host.Delivered.Count);
        foreach (var client in idle) client.Dispose();
    }

    [Fact]
    public async Task The_older_432_text_is_a_setting()
    {
        await using var host = await SmtpTestHost.StartAsync();
        host.Faults.SmtpSettings.UseLegacyConcurrencyText = true;
        host.Faults.SmtpSettings.MaxConcurrentSubmissionsPerMailbox = 1;
        await using var first = await AuthenticatedAsync(host);
        await using var second = await AuthenticatedAsync(host);
        foreach (var connection in new[] { first, second })
        {
            await connection.CommandAsync($"MAIL FROM:<{SmtpTestHost.Mailbox}>");
            await connection.CommandAsync($"RCPT TO:<{SmtpTestHost.Recipient}>");
            await connection.CommandAsync("DATA");
            await connection.SendLineAsync("Subject: x\r\n\r\nbody");
        }

        Assert.Equal("432 4.3.2 STOREDRV.ClientSubmit; sender thread limit exceeded [Hostname=localhost]", await second.CommandAsync("."));
        Assert.StartsWith("250 2.0.0 OK", await first.CommandAsync("."));
    }

    // THROTTLE-DOC: over 30 a minute the excess is "carried over to the following minutes", not rejected.
    [Fact]
    public async Task Messages_over_the_rate_are_accepted_at_once_and_their_delivery_is_delayed()
    {
        await using var host = await SmtpTestHost.StartAsync();
        host.Faults.SmtpSettings.MessagesPerRateWindow = 2;
        host.Faults.SmtpSettings.MessageRateWindow = TimeSpan.FromMinutes(1);
        using var client = await host.ConnectAndAuthenticateAsync(host.AppToken());

        for (var i = 1; i <= 3; i++) await client.SendAsync(SmtpTestHost.Message(subject: i.ToString(System.Globalization.CultureInfo.InvariantCulture)));

        Assert.Equal(new[] { "1", "2", "3" }, host.Delivered.All.Select(m => m.Subject));
        Assert.Equal(new[] { false, false, true }, host.Delivered.All.Select(m => m.DeliveryDelayed));

        // The third is delivered one window after the first, however long the three took on this machine; it was
        // stored (and answered) before that slot, and no reply was held (the transcript names every hold).
        var first = host.Delivered.All.First();
        var third = host.Delivered.All.Last();
        Assert.Equal(first.ReceivedAt + TimeSpan.FromMinutes(1), third.DeliverAt);
        Assert.True(third.ReceivedAt < third.DeliverAt);
        var transcript = host.Statistics.SmtpTranscripts.Single().Lines;
        Assert.Contains(transcript, l => l.StartsWith("# delivery delayed", StringComparison.Ordinal));
        Assert.DoesNotContain(transcript, l => l.Contains("held", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Recipients_over_the_daily_limit_get_554_5_2_0_until_the_rolling_day_passes()
    {
        await using var host = await SmtpTestHost.StartAsync();
        host.Faults.SmtpSettings.RecipientsPerDay = 3;
        using var client = await host.ConnectAndAuthenticateAsync(host.AppToken());
        var twoRecipients = SmtpTestHost.Message();
        twoRecipients.To.Add(MailboxAddress.Parse("second@fabrikam.com"));

        await client.SendAsync(twoRecipients);
        var error = await Assert.ThrowsAsync<SmtpCommandException>(() => client.SendAsync(twoRecipients));

        SmtpAssert.Reply("554 5.2.0 STOREDRV.Submission.Exception:SubmissionQuotaExceededException; Failed to process message due to a permanent exception with message [BeginDiagnosticData]Cannot submit message. 0.35250:0A00F882, 1.36674:0A000000, 1.61250:00000000[EndDiagnosticData]",
            SmtpAssert.ReplyOf(error), hostTag: true);
        Assert.Equal(1, host.Delivered.Count);

        host.Clock.Advance(TimeSpan.FromHours(24) + TimeSpan.FromMinutes(1));
        await client.SendAsync(twoRecipients);
        Assert.Equal(2, host.Delivered.Count);
    }

    // The reply text after the code is verbatim from https://github.com/pankleks/pm2-health/issues/52 (the code was not in the log).
    [Fact]
    public async Task A_message_over_the_mailbox_MaxSendSize_gets_MapiExceptionMaxSubmissionExceeded_after_the_data()
    {
        await using var host = await SmtpTestHost.StartAsync();
        host.FindMailbox(SmtpTestHost.Mailbox).MaxSendSize = 2_000;
        using var client = await host.ConnectAndAuthenticateAsync(host.AppToken());
        var message = SmtpTestHost.Message();
        message.Body = new TextPart("plain") { Text = new string('x', 5_000) };

        var error = await Assert.ThrowsAsync<SmtpCommandException>(() => client.SendAsync(message));

        SmtpAssert.Reply("554 5.2.0 MapiExceptionMaxSubmissionExceeded; Message size exceeds maximum size limit.; STOREDRV.Submission.Exception:MessageSubmissionExceededException.MapiExceptionMaxSubmissionExceeded; Failed to process message due to a permanent exception with message [BeginDiagnosticData]Cannot save changes made to an item to store.",
            SmtpAssert.ReplyOf(error), hostTag: true);
        Assert.Equal(SmtpErrorCode.MessageNotAccepted, error.ErrorCode);
        Assert.Equal(0, host.Delivered.Count);
    }

    // https://github.com/jstedfast/MailKit/issues/904: 552 5.3.4 Header size exceeds fixed maximum size.
    [Fact]
    public async Task A_header_block_over_the_limit_gets_552_5_3_4_after_the_data()
    {
        await using var host = await SmtpTestHost.StartAsync();
        host.Faults.SmtpSettings.MaxHeaderBytes = 2_048;
        using var client = await host.ConnectAndAuthenticateAsync(host.AppToken());
        var message = SmtpTestHost.Message();
        message.Headers.Add("X-Padding", new string('h', 3_000));

        var error = await Assert.ThrowsAsync<SmtpCommandException>(() => client.SendAsync(message));

        Assert.Equal("552 5.3.4 Header size exceeds fixed maximum size", SmtpAssert.ReplyOf(error));
        Assert.Equal(0, host.Delivered.Count);
    }

    [Fact]
    public async Task With_the_MailKit_904_setting_a_BDAT_message_with_an_attachment_gets_552_5_3_4_and_DATA_passes()
    {
        await using var host = await SmtpTestHost.StartAsync();
        host.Faults.SmtpSettings.RefuseBdatWithAttachments = true;
        var builder = new BodyBuilder { TextBody = "see attachment" };
        builder.Attachments.Add("report.csv", System.Text.Encoding.ASCII.GetBytes("a,b\r\n1,2\r\n"));
        await using var connection = await AuthenticatedAsync(host);
        var mime = SmtpTestHost.Message();
        mime.Body = builder.ToMessageBody();
        using var buffer = new System.IO.MemoryStream();
        mime.WriteTo(FormatOptions.Default, buffer);
        var bytes = buffer.ToArray();

        await connection.CommandAsync($"MAIL FROM:<{SmtpTestHost.Mailbox}>");
        await connection.CommandAsync($"RCPT TO:<{SmtpTestHost.Recipient}>");
        await connection.SendLineAsync($"BDAT {bytes.Length} LAST");
        await connection.SendBytesAsync(bytes);
        Assert.Equal("552 5.3.4 Header size exceeds fixed maximum size", await connection.ReadLineReplyAsync());

        using var client = await host.ConnectAndAuthenticateAsync(host.AppToken());
        await client.SendAsync(mime);
        Assert.Equal(1, host.Delivered.Count);
    }

    [Fact]
    public async Task Recipients_over_the_per_message_limit_get_452_4_5_3()
    {
        await using var host = await SmtpTestHost.StartAsync();
        host.Faults.SmtpSettings.MaxRecipientsPerMessage = 1;
        await using var connection = await RawSmtpConnection.ConnectSecuredAsync(host);
        await connection.CommandAsync("AUTH XOAUTH2 " + OAuthSmtp.Emulator.Smtp.XOAuth2InitialResponse.Encode(SmtpTestHost.Mailbox, host.AppToken()));
        await connection.CommandAsync($"MAIL FROM:<{SmtpTestHost.Mailbox}>");

        Assert.Equal("250 2.1.5 Recipient OK", await connection.CommandAsync("RCPT TO:<a@fabrikam.com>"));
        Assert.Equal("452 4.5.3 Too many recipients", await connection.CommandAsync("RCPT TO:<b@fabrikam.com>"));
    }

    internal static async Task<RawSmtpConnection> AuthenticatedAsync(SmtpTestHost host)
    {
        var connection = await RawSmtpConnection.ConnectSecuredAsync(host);
        Assert.StartsWith("235", await connection.CommandAsync("AUTH XOAUTH2 " + OAuthSmtp.Emulator.Smtp.XOAuth2InitialResponse.Encode(SmtpTestHost.Mailbox, host.AppToken())));
        return connection;
    }

    internal static async Task WaitUntilAsync(Func<bool> condition)
    {
        // A hang guard of 2 minutes, not a time limit: the loop ends as soon as the condition holds (it was 2 s).
        for (var i = 0; i < 6_000 && !condition(); i++) await Task.Delay(20);
        Assert.True(condition());
    }
}
