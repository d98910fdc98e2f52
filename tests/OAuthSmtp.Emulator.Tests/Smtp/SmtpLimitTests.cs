using System;
using System.Diagnostics;
using System.Linq;
using System.Threading.Tasks;
using MailKit.Net.Smtp;
using MimeKit;
using Xunit;

namespace OAuthSmtp.Emulator.Tests.Smtp;

/// <summary>The per-mailbox limits of EXCHANGE-FACTS §8, with small settings so the tests stay fast.</summary>
public sealed class SmtpLimitTests
{
    [Fact]
    public async Task The_fourth_concurrent_connection_of_a_mailbox_gets_432_4_3_2_until_one_closes()
    {
        await using var host = await SmtpTestHost.StartAsync();
        var open = new SmtpClient[3];
        for (var i = 0; i < open.Length; i++) open[i] = await host.ConnectAndAuthenticateAsync(host.AppToken());
        using var fourth = await host.ConnectAndAuthenticateAsync(host.AppToken());

        var error = await Assert.ThrowsAsync<SmtpCommandException>(() => fourth.SendAsync(SmtpTestHost.Message()));
        Assert.Equal("432 4.3.2 Concurrent connections limit exceeded.", SmtpAssert.ReplyOf(error));

        await open[0].DisconnectAsync(quit: true);
        await WaitUntilAsync(() => host.Server.OpenSessions == 3);
        await fourth.SendAsync(SmtpTestHost.Message());
        Assert.Equal(1, host.Delivered.Count);
        foreach (var client in open) client.Dispose();
    }

    [Fact]
    public async Task The_older_432_text_is_a_setting()
    {
        await using var host = await SmtpTestHost.StartAsync();
        host.Faults.SmtpSettings.UseLegacyConcurrencyText = true;
        host.Faults.SmtpSettings.MaxConcurrentConnectionsPerMailbox = 1;
        using var first = await host.ConnectAndAuthenticateAsync(host.AppToken());
        using var second = await host.ConnectAndAuthenticateAsync(host.AppToken());

        var error = await Assert.ThrowsAsync<SmtpCommandException>(() => second.SendAsync(SmtpTestHost.Message()));

        Assert.Equal("432 4.3.2 STOREDRV.ClientSubmit; sender thread limit exceeded", SmtpAssert.ReplyOf(error));
    }

    [Fact]
    public async Task Messages_over_the_rate_are_delayed_not_refused()
    {
        await using var host = await SmtpTestHost.StartAsync();
        host.Faults.SmtpSettings.MessagesPerRateWindow = 2;
        host.Faults.SmtpSettings.MessageRateWindow = TimeSpan.FromMilliseconds(600);
        using var client = await host.ConnectAndAuthenticateAsync(host.AppToken());

        var watch = Stopwatch.StartNew();
        await client.SendAsync(SmtpTestHost.Message(subject: "1"));
        await client.SendAsync(SmtpTestHost.Message(subject: "2"));
        var firstTwo = watch.Elapsed;
        await client.SendAsync(SmtpTestHost.Message(subject: "3"));
        var third = watch.Elapsed - firstTwo;

        Assert.Equal(new[] { "1", "2", "3" }, host.Delivered.All.Select(m => m.Subject));
        Assert.True(third >= TimeSpan.FromMilliseconds(600) - firstTwo - TimeSpan.FromMilliseconds(50), $"third message took {third.TotalMilliseconds} ms after {firstTwo.TotalMilliseconds} ms");
        Assert.Contains(host.Statistics.SmtpTranscripts.Single().Lines, l => l.StartsWith("# submission held", StringComparison.Ordinal));
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

    [Fact]
    public async Task A_message_over_the_mailbox_MaxSendSize_gets_552_5_3_4()
    {
        await using var host = await SmtpTestHost.StartAsync();
        host.FindMailbox(SmtpTestHost.Mailbox).MaxSendSize = 2_000;
        using var client = await host.ConnectAndAuthenticateAsync(host.AppToken());
        var message = SmtpTestHost.Message();
        message.Body = new TextPart("plain") { Text = new string('x', 5_000) };

        var error = await Assert.ThrowsAsync<SmtpCommandException>(() => client.SendAsync(message));

        Assert.Equal("552 5.3.4 Message size exceeds fixed maximum message size", SmtpAssert.ReplyOf(error));
        Assert.Equal(0, host.Delivered.Count);
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

    internal static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (var i = 0; i < 100 && !condition(); i++) await Task.Delay(20);
        Assert.True(condition());
    }
}
