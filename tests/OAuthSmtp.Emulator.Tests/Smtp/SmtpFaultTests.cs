using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using OAuthSmtp.Emulator.Smtp;
using Xunit;

namespace OAuthSmtp.Emulator.Tests.Smtp;

/// <summary>Each SMTP fault knob fires where it says, as many times as its count, then the server behaves again.</summary>
public sealed class SmtpFaultTests
{
    [Fact]
    public async Task Reply_latency_delays_every_flush()
    {
        await using var host = await SmtpTestHost.StartAsync();
        await using var connection = await RawSmtpConnection.ConnectAsync(host.Port);
        await connection.ReadReplyAsync();
        host.Faults.SmtpReplyLatencyMs = 200;

        // The knob itself is a real delay; only a lower bound is checked, which a slow machine cannot break.
        var watch = Stopwatch.StartNew();
        Assert.Equal("250 2.0.0 OK", await connection.CommandAsync("NOOP"));

        Assert.True(watch.ElapsedMilliseconds >= 190, $"{watch.ElapsedMilliseconds} ms");
    }

    [Theory]
    [InlineData(SmtpStage.MailFrom)]
    [InlineData(SmtpStage.RcptTo)]
    [InlineData(SmtpStage.Data)]
    [InlineData(SmtpStage.BeforeEndOfData)]
    public async Task A_drop_before_the_message_is_stored_loses_it_and_fires_once(SmtpStage stage)
    {
        await using var host = await SmtpTestHost.StartAsync();
        host.Faults.DropConnectionAt = stage;
        using (var client = await host.ConnectAndAuthenticateAsync(host.AppToken()))
        {
            await Assert.ThrowsAnyAsync<Exception>(() => client.SendAsync(SmtpTestHost.Message()));
        }

        Assert.Equal(0, host.Delivered.Count);
        Assert.Null(host.Faults.DropConnectionAt);
        using var retry = await host.ConnectAndAuthenticateAsync(host.AppToken());
        await retry.SendAsync(SmtpTestHost.Message());
        Assert.Equal(1, host.Delivered.Count);
    }

    [Fact]
    public async Task A_drop_at_end_of_data_stores_the_message_but_the_client_never_hears_so()
    {
        await using var host = await SmtpTestHost.StartAsync();
        host.Faults.DropConnectionAt = SmtpStage.EndOfData;
        using var client = await host.ConnectAndAuthenticateAsync(host.AppToken());

        var error = await Assert.ThrowsAnyAsync<Exception>(() => client.SendAsync(SmtpTestHost.Message(subject: "unknown fate")));

        Assert.True(error is IOException or SmtpProtocolException or ServiceNotConnectedException, error.GetType().Name);
        Assert.Equal("unknown fate", Assert.Single(host.Delivered.All).Subject);
    }

    [Fact]
    public async Task Drops_at_the_banner_EHLO_STARTTLS_and_AUTH_end_the_connection()
    {
        await using var host = await SmtpTestHost.StartAsync();
        foreach (var stage in new[] { SmtpStage.Banner, SmtpStage.Ehlo, SmtpStage.StartTls, SmtpStage.Auth })
        {
            host.Faults.DropConnectionAt = stage;
            using var client = new SmtpClient { Timeout = 5_000, ServerCertificateValidationCallback = SmtpTestHost.ValidateAgainstEmulatorRoot };
            await Assert.ThrowsAnyAsync<Exception>(async () =>
            {
                await client.ConnectAsync("localhost", host.Port, SecureSocketOptions.StartTls);
                await client.AuthenticateAsync(new SaslMechanismOAuth2(SmtpTestHost.Mailbox, host.AppToken()));
            });
            Assert.Null(host.Faults.DropConnectionAt);
        }
    }

    [Fact]
    public async Task A_transient_reply_at_RCPT_fires_its_count_then_sending_works()
    {
        await using var host = await SmtpTestHost.StartAsync();
        host.Faults.TransientReplyAt = SmtpStage.RcptTo;
        host.Faults.TransientReplyCount = 2;
        using var client = await host.ConnectAndAuthenticateAsync(host.AppToken());

        for (var attempt = 0; attempt < 2; attempt++)
        {
            var error = await Assert.ThrowsAsync<SmtpCommandException>(() => client.SendAsync(SmtpTestHost.Message()));
            Assert.Equal("451 4.7.500 Server busy. Please try again later from [127.0.0.1]. (S77)", SmtpAssert.ReplyOf(error));
        }

        await client.SendAsync(SmtpTestHost.Message());
        Assert.Equal(1, host.Delivered.Count);
    }

    [Fact]
    public async Task A_transient_reply_text_can_be_any_throttling_reply()
    {
        await using var host = await SmtpTestHost.StartAsync();
        host.Faults.TransientReply = "432 4.3.2 Concurrent connections limit exceeded.";
        host.Faults.TransientReplyAt = SmtpStage.MailFrom;
        using var client = await host.ConnectAndAuthenticateAsync(host.AppToken());

        var error = await Assert.ThrowsAsync<SmtpCommandException>(() => client.SendAsync(SmtpTestHost.Message()));

        Assert.Equal("432 4.3.2 Concurrent connections limit exceeded.", SmtpAssert.ReplyOf(error));
    }

    [Fact]
    public async Task A_transient_reply_at_end_of_data_refuses_the_message_without_storing_it()
    {
        await using var host = await SmtpTestHost.StartAsync();
        host.Faults.TransientReplyAt = SmtpStage.EndOfData;
        using var client = await host.ConnectAndAuthenticateAsync(host.AppToken());

        var error = await Assert.ThrowsAsync<SmtpCommandException>(() => client.SendAsync(SmtpTestHost.Message()));

        Assert.StartsWith("451 4.7.500", SmtpAssert.ReplyOf(error), StringComparison.Ordinal);
        Assert.Equal(0, host.Delivered.Count);
    }

    [Fact]
    public async Task A_transient_banner_greets_with_the_reply_and_closes()
    {
        await using var host = await SmtpTestHost.StartAsync();
        host.Faults.TransientReplyAt = SmtpStage.Banner;
        await using var connection = await RawSmtpConnection.ConnectAsync(host.Port);

        Assert.Equal(EmulatorFaults.DefaultTransientSmtpReply, await connection.ReadLineReplyAsync());
        Assert.True(await connection.IsClosedAsync());
    }

    [Fact]
    public async Task Throttle_holds_the_end_of_data_reply_for_its_count()
    {
        await using var host = await SmtpTestHost.StartAsync();
        host.Faults.ThrottleCount = 1;
        host.Faults.ThrottleDelayMs = 300;
        using var client = await host.ConnectAndAuthenticateAsync(host.AppToken());

        // The knob itself is a real delay; only a lower bound is checked, which a slow machine cannot break.
        var watch = Stopwatch.StartNew();
        await client.SendAsync(SmtpTestHost.Message());
        var throttled = watch.ElapsedMilliseconds;

        Assert.True(throttled >= 290, $"{throttled} ms");
        Assert.Equal(0, host.Faults.ThrottleCount);
    }

    [Fact]
    public async Task A_reply_hold_at_the_end_of_data_keeps_the_message_unstored_and_unanswered_until_released()
    {
        await using var host = await SmtpTestHost.StartAsync();
        var hold = host.Faults.HoldReplies(SmtpStage.EndOfData);
        using var client = await host.ConnectAndAuthenticateAsync(host.AppToken());

        var sending = client.SendAsync(SmtpTestHost.Message());
        await hold.AllHeld.WaitAsync(TimeSpan.FromMinutes(2));

        Assert.Equal(1, hold.Held);
        Assert.False(sending.IsCompleted);
        Assert.Empty(host.Delivered.All);
        hold.Release();
        await sending.WaitAsync(TimeSpan.FromMinutes(2));
        Assert.Single(host.Delivered.All);

        // Its count was one: the next message is not held.
        await client.SendAsync(SmtpTestHost.Message()).WaitAsync(TimeSpan.FromMinutes(2));
        Assert.Equal(2, host.Delivered.Count);
    }

    [Fact]
    public async Task A_reply_hold_at_the_banner_keeps_the_greeting_back_and_a_reset_releases_it()
    {
        await using var host = await SmtpTestHost.StartAsync();
        var hold = host.Faults.HoldReplies(SmtpStage.Banner);
        await using var connection = await RawSmtpConnection.ConnectAsync(host.Port);
        var greeting = connection.ReadLineReplyAsync();
        await hold.AllHeld.WaitAsync(TimeSpan.FromMinutes(2));

        Assert.False(greeting.IsCompleted);
        host.Faults.Reset();
        Assert.StartsWith("220 ", await greeting.WaitAsync(TimeSpan.FromMinutes(2)));
    }

    [Fact]
    public async Task Without_STARTTLS_a_client_that_requires_TLS_refuses_to_continue()
    {
        await using var host = await SmtpTestHost.StartAsync();
        host.Faults.SmtpOmitStartTls = true;
        using var client = new SmtpClient { Timeout = 5_000 };

        await Assert.ThrowsAsync<NotSupportedException>(() => client.ConnectAsync("localhost", host.Port, SecureSocketOptions.StartTls));
        Assert.DoesNotContain(host.Statistics.SmtpTranscripts.Single().Lines, l => l.Contains("STARTTLS", StringComparison.Ordinal) && l.StartsWith("S:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Replies_written_one_byte_at_a_time_still_make_a_valid_session()
    {
        await using var host = await SmtpTestHost.StartAsync();
        host.Faults.SmtpReplyOneByteAtATime = true;
        using var client = await host.ConnectAndAuthenticateAsync(host.AppToken());

        await client.SendAsync(SmtpTestHost.Message());

        Assert.Equal(1, host.Delivered.Count);
    }

    [Fact]
    public async Task An_endless_multiline_reply_keeps_coming_until_the_client_leaves_and_the_server_stays_healthy()
    {
        await using var host = await SmtpTestHost.StartAsync();
        host.Faults.SmtpEndlessMultilineReply = true;
        await using (var connection = await RawSmtpConnection.ConnectAsync(host.Port))
        {
            await connection.ReadReplyAsync();
            await connection.SendLineAsync("EHLO client.test");
            var lines = 0;
            for (; lines < 2_000; lines++)
            {
                var line = await connection.ReadRawLineAsync();
                Assert.Equal("250-localhost Hello [127.0.0.1]", line);
            }
        }

        await SmtpLimitTests.WaitUntilAsync(() => host.Server.OpenSessions == 0);
        host.Faults.Reset();
        Assert.False(host.Faults.SmtpEndlessMultilineReply);
        using var client = await host.ConnectAndAuthenticateAsync(host.AppToken());
        await client.SendAsync(SmtpTestHost.Message());
    }

    [Fact]
    public async Task Reset_clears_every_SMTP_fault_and_setting()
    {
        await using var host = await SmtpTestHost.StartAsync();
        host.Faults.SmtpReplyLatencyMs = 10;
        host.Faults.DropConnectionAt = SmtpStage.Auth;
        host.Faults.TransientReplyAt = SmtpStage.Data;
        host.Faults.SmtpSettings.RecipientsPerDay = 1;

        host.Faults.Reset();

        Assert.Equal(0, host.Faults.SmtpReplyLatencyMs);
        Assert.Null(host.Faults.DropConnectionAt);
        Assert.Null(host.Faults.TransientReplyAt);
        Assert.Equal(10_000, host.Faults.SmtpSettings.RecipientsPerDay);
    }
}
