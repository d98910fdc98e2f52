using System;
using System.Linq;
using System.Threading.Tasks;
using MailKit.Net.Smtp;
using Xunit;

namespace OAuthSmtp.Emulator.Tests.Smtp;

/// <summary>
/// Continuous error throttling and licences. Texts verbatim from CET-DOC
/// (https://learn.microsoft.com/exchange/mail-flow-best-practices/continuous-error-throttling-smtp-auth-submissions);
/// the threshold and the duration are undocumented, so they are settings.
/// </summary>
public sealed class SmtpContinuousErrorTests
{
    [Fact]
    public async Task Continuing_SendAs_refusals_throttle_the_mailbox_with_550_5_2_252_even_for_correct_messages_until_the_lockout_ends()
    {
        await using var host = await SmtpTestHost.StartAsync();
        host.Faults.SmtpSettings.ContinuousErrorThreshold = 3;
        host.Faults.SmtpSettings.ContinuousErrorLockout = TimeSpan.FromMinutes(30);
        using var client = await host.ConnectAndAuthenticateAsync(host.AppToken());

        for (var i = 0; i < 3; i++)
        {
            var refused = await Assert.ThrowsAsync<SmtpCommandException>(() => client.SendAsync(SmtpTestHost.Message(from: SmtpTestHost.SharedMailbox)));
            Assert.StartsWith("554 5.2.0 STOREDRV.Submission.Exception:SendAsDeniedException", SmtpAssert.ReplyOf(refused), StringComparison.Ordinal);
        }

        var throttled = await Assert.ThrowsAsync<SmtpCommandException>(() => client.SendAsync(SmtpTestHost.Message()));
        Assert.Equal("550 5.2.252 Sender throttled due to continuous send as denied errors.", SmtpAssert.ReplyOf(throttled));
        Assert.Equal(SmtpErrorCode.SenderNotAccepted, throttled.ErrorCode);

        // Another connection of the same mailbox (another app) is throttled too.
        using var other = await host.ConnectAndAuthenticateAsync(host.AppToken());
        await Assert.ThrowsAsync<SmtpCommandException>(() => other.SendAsync(SmtpTestHost.Message()));
        Assert.Equal(0, host.Delivered.Count);

        host.Clock.Advance(TimeSpan.FromMinutes(31));
        await other.SendAsync(SmtpTestHost.Message());
        Assert.Equal(1, host.Delivered.Count);
    }

    [Fact]
    public async Task An_accepted_message_ends_the_run_of_errors()
    {
        await using var host = await SmtpTestHost.StartAsync();
        host.Faults.SmtpSettings.ContinuousErrorThreshold = 2;
        using var client = await host.ConnectAndAuthenticateAsync(host.AppToken());

        await Assert.ThrowsAsync<SmtpCommandException>(() => client.SendAsync(SmtpTestHost.Message(from: SmtpTestHost.SharedMailbox)));
        await client.SendAsync(SmtpTestHost.Message());
        await Assert.ThrowsAsync<SmtpCommandException>(() => client.SendAsync(SmtpTestHost.Message(from: SmtpTestHost.SharedMailbox)));
        await client.SendAsync(SmtpTestHost.Message());

        Assert.Equal(2, host.Delivered.Count);
    }

    [Fact]
    public async Task The_throttled_reply_can_come_at_the_end_of_the_data_instead()
    {
        await using var host = await SmtpTestHost.StartAsync();
        host.Faults.SmtpSettings.ContinuousErrorThreshold = 1;
        host.Faults.SmtpSettings.ContinuousErrorReplyAtEndOfData = true;
        host.FindMailbox(SmtpTestHost.Mailbox).StorageLimitStatus = "ProhibitSend";
        await using var connection = await SmtpLimitTests.AuthenticatedAsync(host);

        await Send(connection);
        Assert.Equal("250 2.1.0 Sender OK", await connection.CommandAsync($"MAIL FROM:<{SmtpTestHost.Mailbox}>"));
        await connection.CommandAsync($"RCPT TO:<{SmtpTestHost.Recipient}>");
        await connection.CommandAsync("DATA");
        Assert.Equal("550 5.2.251 Sender throttled due to continuous mailbox full errors.", await connection.CommandAsync("Subject: x\r\n\r\nbody\r\n."));
    }

    [Fact]
    public async Task Continuing_invalid_recipients_throttle_with_550_5_2_255_at_MAIL_FROM()
    {
        await using var host = await SmtpTestHost.StartAsync();
        host.Faults.SmtpSettings.ContinuousErrorThreshold = 2;
        await using var connection = await SmtpLimitTests.AuthenticatedAsync(host);

        await connection.CommandAsync($"MAIL FROM:<{SmtpTestHost.Mailbox}>");
        Assert.StartsWith("501 5.1.3", await connection.CommandAsync("RCPT TO:<no-at-sign>"));
        Assert.StartsWith("501 5.1.3", await connection.CommandAsync("RCPT TO:<trailing-at@>"));
        await connection.CommandAsync("RSET");

        Assert.Equal("550 5.2.255 Sender throttled due to continuous invalid recipients errors.", await connection.CommandAsync($"MAIL FROM:<{SmtpTestHost.Mailbox}>"));
    }

    [Fact]
    public async Task An_unlicensed_user_mailbox_is_refused_after_the_data_and_then_throttled_as_5_2_253()
    {
        await using var host = await SmtpTestHost.StartAsync();
        host.Faults.SmtpSettings.ContinuousErrorThreshold = 2;
        host.FindMailbox(SmtpTestHost.Mailbox).SkuAssigned = false;
        using var client = await host.ConnectAndAuthenticateAsync(host.AppToken());

        for (var i = 0; i < 2; i++)
        {
            var refused = await Assert.ThrowsAsync<SmtpCommandException>(() => client.SendAsync(SmtpTestHost.Message()));
            SmtpAssert.Reply(OAuthSmtp.Emulator.Smtp.SmtpBehaviorSettings.DefaultInvalidLicenseReply, SmtpAssert.ReplyOf(refused), hostTag: true);
        }

        var throttled = await Assert.ThrowsAsync<SmtpCommandException>(() => client.SendAsync(SmtpTestHost.Message()));
        Assert.Equal("550 5.2.253 Sender throttled due to continuous invalid license errors.", SmtpAssert.ReplyOf(throttled));
        Assert.Equal(0, host.Delivered.Count);
    }

    [Fact]
    public async Task A_licence_just_assigned_reaches_smtp_only_after_the_mailbox_propagation_delay()
    {
        // EXCHANGE-FACTS §8: "A new mailbox or license: up to 24 h before SMTP accepts it"; Get-Mailbox shows it at once.
        await using var host = await SmtpTestHost.StartAsync();
        host.Tenant.PropagationDelays[OAuthSmtp.Emulator.Model.ChangeKind.Mailbox] = TimeSpan.FromHours(1);
        var mailbox = host.FindMailbox(SmtpTestHost.Mailbox);
        OAuthSmtp.Emulator.Model.TenantQueries.SetLicensed(host.Tenant, mailbox, false);
        OAuthSmtp.Emulator.Model.TenantQueries.SetLicensed(host.Tenant, mailbox, true);
        using var client = await host.ConnectAndAuthenticateAsync(host.AppToken());

        Assert.True(mailbox.SkuAssigned);
        var refused = await Assert.ThrowsAsync<SmtpCommandException>(() => client.SendAsync(SmtpTestHost.Message()));
        SmtpAssert.Reply(OAuthSmtp.Emulator.Smtp.SmtpBehaviorSettings.DefaultInvalidLicenseReply, SmtpAssert.ReplyOf(refused), hostTag: true);

        host.Clock.Advance(TimeSpan.FromHours(1));
        await client.SendAsync(SmtpTestHost.Message());
        Assert.Equal(1, host.Delivered.Count);
    }

    [Fact]
    public async Task A_shared_mailbox_needs_no_licence()
    {
        await using var host = await SmtpTestHost.StartAsync();
        var shared = host.FindMailbox(SmtpTestHost.SharedMailbox);
        Assert.False(shared.SkuAssigned);
        host.Tenant.MailboxPermissions.Add(new OAuthSmtp.Emulator.Model.MailboxPermission
        {
            MailboxIdentity = SmtpTestHost.SharedMailbox, User = host.ServicePrincipalId.ToString(), AccessRights = { "FullAccess" }, EffectiveAt = host.Clock.UtcNow,
        });
        shared.SmtpClientAuthenticationDisabled = false;
        using var client = await host.ConnectAndAuthenticateAsync(host.AppToken(), SmtpTestHost.SharedMailbox);

        await client.SendAsync(SmtpTestHost.Message(from: SmtpTestHost.SharedMailbox));

        Assert.Equal(SmtpTestHost.SharedMailbox, Assert.Single(host.Delivered.All).AuthenticatedMailbox);
    }

    private static async Task Send(RawSmtpConnection connection)
    {
        await connection.CommandAsync($"MAIL FROM:<{SmtpTestHost.Mailbox}>");
        await connection.CommandAsync($"RCPT TO:<{SmtpTestHost.Recipient}>");
        await connection.CommandAsync("DATA");
        Assert.StartsWith("554 5.2.2 mailbox full", await connection.CommandAsync("Subject: x\r\n\r\nbody\r\n."), StringComparison.Ordinal);
    }
}
