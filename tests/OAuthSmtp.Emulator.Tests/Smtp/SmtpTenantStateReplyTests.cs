using System;
using System.Threading.Tasks;
using MailKit.Net.Smtp;
using MimeKit;
using OAuthSmtp.Emulator.Model;
using Xunit;

namespace OAuthSmtp.Emulator.Tests.Smtp;

/// <summary>
/// The section 5a rows that come from the state of the mailbox, the tenant or the service rather than from the setup:
/// a full mailbox, service throttling, reputation throttling, and the rows the real service reports in a bounce
/// (the emulator answers them at end of data). Each test puts the tenant in the state, gets the exact reply through
/// MailKit, and shows that the message was not stored and that undoing the state lets the next message through.
/// </summary>
public sealed class SmtpTenantStateReplyTests
{
    private const string OnMicrosoftAddress = "alerts@contoso.onmicrosoft.com";

    [Fact]
    public async Task A_mailbox_past_its_shut_off_quota_gets_554_5_2_2_mailbox_full_until_space_is_freed()
    {
        await using var host = await SmtpTestHost.StartAsync();
        SetMailbox(host, m => m.StorageLimitStatus = "MailboxDisabled");
        using var client = await host.ConnectAndAuthenticateAsync(host.AppToken());

        var error = await Assert.ThrowsAsync<SmtpCommandException>(() => client.SendAsync(SmtpTestHost.Message()));

        SmtpAssert.Reply("554 5.2.2 mailbox full; STOREDRV.Submission.Exception:QuotaExceededException.MapiExceptionShutoffQuotaExceeded",
            SmtpAssert.ReplyOf(error), hostTag: true);
        Assert.Equal(SmtpErrorCode.MessageNotAccepted, error.ErrorCode);
        Assert.Equal(0, host.Delivered.Count);

        SetMailbox(host, m => m.StorageLimitStatus = "BelowLimit");
        await client.SendAsync(SmtpTestHost.Message());
        Assert.Equal(1, host.Delivered.Count);
    }

    [Fact]
    public async Task A_mailbox_past_its_ProhibitSend_quota_gets_the_QuotaExceeded_variant()
    {
        await using var host = await SmtpTestHost.StartAsync();
        SetMailbox(host, m => m.StorageLimitStatus = "ProhibitSend");
        using var client = await host.ConnectAndAuthenticateAsync(host.AppToken());

        var error = await Assert.ThrowsAsync<SmtpCommandException>(() => client.SendAsync(SmtpTestHost.Message()));

        SmtpAssert.Reply("554 5.2.2 mailbox full; STOREDRV.Submission.Exception:QuotaExceededException.MapiExceptionQuotaExceeded",
            SmtpAssert.ReplyOf(error), hostTag: true);
    }

    [Fact]
    public async Task A_busy_service_answers_451_4_7_500_with_the_client_address_for_its_count_then_accepts()
    {
        await using var host = await SmtpTestHost.StartAsync();
        host.Faults.ServerBusyCount = 2;
        using var client = await host.ConnectAndAuthenticateAsync(host.AppToken());

        for (var attempt = 0; attempt < 2; attempt++)
        {
            var error = await Assert.ThrowsAsync<SmtpCommandException>(() => client.SendAsync(SmtpTestHost.Message()));
            Assert.Equal("451 4.7.500 Server busy. Please try again later from [127.0.0.1]. (S77)", SmtpAssert.ReplyOf(error));
            Assert.Equal(SmtpErrorCode.RecipientNotAccepted, error.ErrorCode);
        }

        await client.SendAsync(SmtpTestHost.Message());
        Assert.Equal(1, host.Delivered.Count);
        Assert.Equal(0, host.Faults.ServerBusyCount);
    }

    [Fact]
    public async Task With_the_reputation_setting_a_low_reputation_IP_gets_451_4_7_650_at_RCPT()
    {
        await using var host = await SmtpTestHost.StartAsync();
        host.Faults.SmtpSettings.ThrottleLowReputationIpAtRcpt = true;
        SetTenant(host, t => t.LowReputationOutboundIp = true);
        using var client = await host.ConnectAndAuthenticateAsync(host.AppToken());

        var error = await Assert.ThrowsAsync<SmtpCommandException>(() => client.SendAsync(SmtpTestHost.Message()));

        Assert.Equal("451 4.7.650 The mail server [127.0.0.1] has been temporarily rate limited due to IP reputation. For e-mail delivery information, see https://aka.ms/postmaster (S775)",
            SmtpAssert.ReplyOf(error));
        Assert.Equal(SmtpErrorCode.RecipientNotAccepted, error.ErrorCode);
        Assert.Equal(0, host.Delivered.Count);
    }

    [Fact]
    public async Task A_low_reputation_IP_gets_550_5_7_708_at_end_of_data_by_default()
    {
        await using var host = await SmtpTestHost.StartAsync();
        SetTenant(host, t => t.LowReputationOutboundIp = true);
        using var client = await host.ConnectAndAuthenticateAsync(host.AppToken());

        var error = await Assert.ThrowsAsync<SmtpCommandException>(() => client.SendAsync(SmtpTestHost.Message()));

        Assert.Equal("550 5.7.708 Service unavailable. Access denied, traffic not accepted from this IP. For more information please go to http://go.microsoft.com/fwlink/?LinkId=526653 AS(7230)",
            SmtpAssert.ReplyOf(error));
        Assert.Equal(SmtpErrorCode.MessageNotAccepted, error.ErrorCode);
        Assert.Equal(0, host.Delivered.Count);
    }

    [Fact]
    public async Task A_tenant_blocked_from_sending_gets_550_5_7_705_until_the_block_is_lifted()
    {
        await using var host = await SmtpTestHost.StartAsync();
        SetTenant(host, t => t.OutboundSendingBlocked = true);
        using var client = await host.ConnectAndAuthenticateAsync(host.AppToken());

        var error = await Assert.ThrowsAsync<SmtpCommandException>(() => client.SendAsync(SmtpTestHost.Message()));

        Assert.Equal("550 5.7.705 Access denied, tenant has exceeded threshold", SmtpAssert.ReplyOf(error));
        Assert.Equal(0, host.Delivered.Count);

        SetTenant(host, t => t.OutboundSendingBlocked = false);
        await client.SendAsync(SmtpTestHost.Message());
        Assert.Equal(1, host.Delivered.Count);
    }

    [Fact]
    public async Task The_spam_block_refuses_the_onmicrosoft_address_with_550_5_7_501_but_not_the_verified_domain()
    {
        await using var host = await SmtpTestHost.StartAsync();
        SetTenant(host, t => t.InitialDomainSpamBlock = true);
        SetMailbox(host, m => m.ProxyAddresses.Add("smtp:" + OnMicrosoftAddress));
        using var client = await host.ConnectAndAuthenticateAsync(host.AppToken());

        var error = await Assert.ThrowsAsync<SmtpCommandException>(() => client.SendAsync(SmtpTestHost.Message(from: OnMicrosoftAddress)));

        Assert.Equal("550 5.7.501 Access denied, spam abuse detected", SmtpAssert.ReplyOf(error));
        Assert.Equal(0, host.Delivered.Count);

        await client.SendAsync(SmtpTestHost.Message(from: SmtpTestHost.Mailbox));
        Assert.Equal(SmtpTestHost.Mailbox, Assert.Single(host.Delivered.All).From);
    }

    [Fact]
    public async Task A_mailbox_on_the_Restricted_Users_list_gets_550_5_1_8()
    {
        await using var host = await SmtpTestHost.StartAsync();
        SetMailbox(host, m => m.IsRestrictedSender = true);
        using var client = await host.ConnectAndAuthenticateAsync(host.AppToken());

        var error = await Assert.ThrowsAsync<SmtpCommandException>(() => client.SendAsync(SmtpTestHost.Message()));

        Assert.Equal("550 5.1.8 Bad outbound sender", SmtpAssert.ReplyOf(error));
        Assert.Equal(0, host.Delivered.Count);

        SetMailbox(host, m => m.IsRestrictedSender = false);
        await client.SendAsync(SmtpTestHost.Message());
        Assert.Equal(1, host.Delivered.Count);
    }

    [Fact]
    public async Task The_forwarding_block_refuses_external_recipients_with_550_5_7_520_and_lets_internal_ones_through()
    {
        await using var host = await SmtpTestHost.StartAsync();
        SetTenant(host, t => t.ExternalForwardingBlocked = true);
        using var client = await host.ConnectAndAuthenticateAsync(host.AppToken());

        var error = await Assert.ThrowsAsync<SmtpCommandException>(() => client.SendAsync(SmtpTestHost.Message(to: SmtpTestHost.Recipient)));

        Assert.Equal("550 5.7.520 Access denied, Your organization does not allow external forwarding. Please contact your administrator for further assistance. AS(7555)",
            SmtpAssert.ReplyOf(error));
        Assert.Equal(0, host.Delivered.Count);

        await client.SendAsync(SmtpTestHost.Message(to: SmtpTestHost.SharedMailbox));
        Assert.Equal(new[] { SmtpTestHost.SharedMailbox }, Assert.Single(host.Delivered.All).To);
    }

    [Fact]
    public async Task Send_As_is_decided_before_the_tenant_states()
    {
        await using var host = await SmtpTestHost.StartAsync();
        SetTenant(host, t => t.OutboundSendingBlocked = true);
        using var client = await host.ConnectAndAuthenticateAsync(host.AppToken());
        var message = SmtpTestHost.Message(from: SmtpTestHost.SharedMailbox);

        var error = await Assert.ThrowsAsync<SmtpCommandException>(() =>
            client.SendAsync(message, MailboxAddress.Parse(SmtpTestHost.Mailbox), new[] { MailboxAddress.Parse(SmtpTestHost.Recipient) }));

        Assert.StartsWith("554 5.2.0 STOREDRV.Submission.Exception:SendAsDeniedException", SmtpAssert.ReplyOf(error), StringComparison.Ordinal);
    }

    // ---- delegated tokens: the Send As rows name the signed-in user ----

    [Fact]
    public async Task A_delegated_user_with_MAIL_FROM_another_mailbox_and_no_SendAs_gets_550_5_7_60_after_the_data_in_the_legacy_form()
    {
        await using var host = await SmtpTestHost.StartAsync();
        host.Faults.SmtpSettings.SendAsDeniedReply = OAuthSmtp.Emulator.Smtp.SendAsDeniedReplyForm.Legacy;
        using var client = await host.ConnectAndAuthenticateAsync(host.UserToken(), SmtpTestHost.UserAddress);
        var message = SmtpTestHost.Message(from: SmtpTestHost.SharedMailbox);

        var error = await Assert.ThrowsAsync<SmtpCommandException>(() =>
            client.SendAsync(message, MailboxAddress.Parse(SmtpTestHost.SharedMailbox), new[] { MailboxAddress.Parse(SmtpTestHost.Recipient) }));

        SmtpAssert.Reply("550 5.7.60 SMTP; Client does not have permissions to send as this sender", SmtpAssert.ReplyOf(error), hostTag: true);
        Assert.Equal(SmtpErrorCode.MessageNotAccepted, error.ErrorCode);
        Assert.Equal(0, host.Delivered.Count);
    }

    [Fact]
    public async Task A_delegated_user_with_another_From_header_and_no_SendAs_gets_554_5_2_252_naming_the_user_in_that_form()
    {
        await using var host = await SmtpTestHost.StartAsync();
        host.Faults.SmtpSettings.SendAsDeniedReply = OAuthSmtp.Emulator.Smtp.SendAsDeniedReplyForm.SendAsDenied;
        using var client = await host.ConnectAndAuthenticateAsync(host.UserToken(), SmtpTestHost.UserAddress);
        var message = SmtpTestHost.Message(from: SmtpTestHost.SharedMailbox);

        var error = await Assert.ThrowsAsync<SmtpCommandException>(() =>
            client.SendAsync(message, MailboxAddress.Parse(SmtpTestHost.UserAddress), new[] { MailboxAddress.Parse(SmtpTestHost.Recipient) }));

        SmtpAssert.Reply(
            "554 5.2.252 SendAsDenied; adele.vance@contoso.com not allowed to send as sales@contoso.com; STOREDRV.Submission.Exception:SendAsDeniedException.MapiExceptionSendAsDenied; Failed to process message due to a permanent exception with message [BeginDiagnosticData]Cannot submit message. 0.35250:1F009983, 1.36674:0A000000, 1.61250:00000000[EndDiagnosticData]",
            SmtpAssert.ReplyOf(error), hostTag: true);
        Assert.Equal(0, host.Delivered.Count);
    }

    private static void SetMailbox(SmtpTestHost host, Action<Mailbox> change)
    {
        lock (host.Tenant.SyncRoot) change(host.FindMailbox(SmtpTestHost.Mailbox));
    }

    private static void SetTenant(SmtpTestHost host, Action<Tenant> change)
    {
        lock (host.Tenant.SyncRoot) change(host.Tenant.Tenant);
    }
}
