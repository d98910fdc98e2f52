using System;
using System.Diagnostics;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using MailKit.Net.Smtp;
using MimeKit;
using OAuthSmtp.Emulator.Model;
using Xunit;

namespace OAuthSmtp.Emulator.Tests.Smtp;

/// <summary>Sending through MailKit: the Ready state delivers; Send As (envelope and From header) is judged after the data.</summary>
public sealed class SmtpSubmissionTests
{
    [Fact]
    public async Task Ready_tenant_delivers_a_message_with_its_envelope_and_raw_MIME()
    {
        await using var host = await SmtpTestHost.StartAsync();
        using var client = await host.ConnectAndAuthenticateAsync(host.AppToken());
        var message = SmtpTestHost.Message(subject: "Ready");

        var response = await client.SendAsync(message);
        await client.DisconnectAsync(quit: true);

        Assert.Equal($"2.0.0 OK <{message.MessageId}> [Hostname=localhost]", response);
        var delivered = Assert.Single(host.Delivered.All);
        Assert.Equal(SmtpTestHost.Mailbox, delivered.MailFrom);
        Assert.Equal(SmtpTestHost.Mailbox, delivered.From);
        Assert.Equal(new[] { SmtpTestHost.Recipient }, delivered.To);
        Assert.Equal("Ready", delivered.Subject);
        Assert.Equal(message.MessageId, delivered.MessageId);
        Assert.Equal(host.ServicePrincipalId.ToString(), delivered.AuthenticatedPrincipalId);
        var reparsed = MimeMessage.Load(new System.IO.MemoryStream(delivered.Raw));
        Assert.Contains(".leading dot line", reparsed.TextBody, StringComparison.Ordinal);
        Assert.Equal(1, host.Statistics.SmtpMessagesAccepted);
        Assert.Equal(1, host.Statistics.SmtpCommandsByVerb["AUTH"]);
    }

    // Send As with app-only XOAUTH2: the trustee is the user= mailbox, and the refusal comes after the data
    // [OBS: Notifuse/notifuse#250 (https://github.com/Notifuse/notifuse/issues/250), FusionAuth/fusionauth-issues#220,
    // jstedfast/MailKit#1176; EXCHANGE-FACTS §5a, §6.2].
    private const string SendAsDeniedCurrent =
        "554 5.2.0 STOREDRV.Submission.Exception:SendAsDeniedException.MapiExceptionSendAsDenied; Failed to process message due to a permanent exception with message Cannot submit message. 0.35250:0A007C85, 1.36674:0A000000, 1.61250:00000000, 1.45378:02000000";

    [Fact]
    public async Task Another_sender_without_SendAs_is_accepted_at_MAIL_FROM_and_refused_after_the_data_with_554_5_2_0()
    {
        await using var host = await SmtpTestHost.StartAsync();
        await using var connection = await RawSmtpConnection.ConnectSecuredAsync(host);
        await connection.CommandAsync("AUTH XOAUTH2 " + OAuthSmtp.Emulator.Smtp.XOAuth2InitialResponse.Encode(SmtpTestHost.Mailbox, host.AppToken()));

        Assert.Equal("250 2.1.0 Sender OK", await connection.CommandAsync($"MAIL FROM:<{SmtpTestHost.SharedMailbox}>"));
        Assert.Equal("250 2.1.5 Recipient OK", await connection.CommandAsync($"RCPT TO:<{SmtpTestHost.Recipient}>"));
        Assert.StartsWith("354", await connection.CommandAsync("DATA"));
        var reply = await connection.CommandAsync($"From: {SmtpTestHost.SharedMailbox}\r\nSubject: x\r\n\r\nbody\r\n.");

        SmtpAssert.Reply(SendAsDeniedCurrent, reply, hostTag: true);
        Assert.Equal(0, host.Delivered.Count);
    }

    [Fact]
    public async Task SendAs_granted_only_to_the_service_principal_does_not_satisfy_it()
    {
        await using var host = await SmtpTestHost.StartAsync();
        GrantSendAs(host, SmtpTestHost.SharedMailbox, host.ServicePrincipalId.ToString());
        using var client = await host.ConnectAndAuthenticateAsync(host.AppToken());

        var error = await Assert.ThrowsAsync<SmtpCommandException>(() => client.SendAsync(SmtpTestHost.Message(from: SmtpTestHost.SharedMailbox)));

        SmtpAssert.Reply(SendAsDeniedCurrent, SmtpAssert.ReplyOf(error), hostTag: true);
        Assert.Equal(SmtpErrorCode.MessageNotAccepted, error.ErrorCode);
        Assert.Equal(0, host.Delivered.Count);
    }

    [Fact]
    public async Task SendAs_granted_to_the_authenticating_mailbox_lets_the_app_send_as_the_shared_mailbox()
    {
        await using var host = await SmtpTestHost.StartAsync();
        GrantSendAs(host, SmtpTestHost.SharedMailbox, SmtpTestHost.Mailbox);
        using var client = await host.ConnectAndAuthenticateAsync(host.AppToken());

        await client.SendAsync(SmtpTestHost.Message(from: SmtpTestHost.SharedMailbox));

        var delivered = Assert.Single(host.Delivered.All);
        Assert.Equal(SmtpTestHost.SharedMailbox, delivered.MailFrom);
        Assert.Equal(SmtpTestHost.SharedMailbox, delivered.From);
        Assert.Equal(SmtpTestHost.Mailbox, delivered.AuthenticatedMailbox);
    }

    [Theory]
    [InlineData(OAuthSmtp.Emulator.Smtp.SendAsDeniedReplyForm.SendAsDenied,
        "554 5.2.252 SendAsDenied; alerts@contoso.com not allowed to send as sales@contoso.com; STOREDRV.Submission.Exception:SendAsDeniedException.MapiExceptionSendAsDenied; Failed to process message due to a permanent exception with message [BeginDiagnosticData]Cannot submit message. 0.35250:1F009983, 1.36674:0A000000, 1.61250:00000000[EndDiagnosticData]")]
    [InlineData(OAuthSmtp.Emulator.Smtp.SendAsDeniedReplyForm.Legacy, "550 5.7.60 SMTP; Client does not have permissions to send as this sender")]
    public async Task The_older_SendAs_texts_are_a_setting(OAuthSmtp.Emulator.Smtp.SendAsDeniedReplyForm form, string expected)
    {
        await using var host = await SmtpTestHost.StartAsync();
        host.Faults.SmtpSettings.SendAsDeniedReply = form;
        using var client = await host.ConnectAndAuthenticateAsync(host.AppToken());
        var message = SmtpTestHost.Message(from: SmtpTestHost.SharedMailbox);

        var error = await Assert.ThrowsAsync<SmtpCommandException>(() =>
            client.SendAsync(message, MailboxAddress.Parse(SmtpTestHost.Mailbox), new[] { MailboxAddress.Parse(SmtpTestHost.Recipient) }));

        SmtpAssert.Reply(expected, SmtpAssert.ReplyOf(error), hostTag: true);
        Assert.Equal(0, host.Delivered.Count);
    }

    [Fact]
    public async Task A_delegated_user_with_SendAs_may_put_the_shared_mailbox_in_From()
    {
        await using var host = await SmtpTestHost.StartAsync();
        GrantSendAs(host, SmtpTestHost.SharedMailbox, SmtpTestHost.UserAddress);
        using var client = await host.ConnectAndAuthenticateAsync(host.UserToken(), SmtpTestHost.UserAddress);

        await client.SendAsync(SmtpTestHost.Message(from: SmtpTestHost.SharedMailbox));

        Assert.Equal(SmtpTestHost.SharedMailbox, Assert.Single(host.Delivered.All).From);
    }

    [Fact]
    public async Task A_SendAs_grant_counts_only_after_it_propagated()
    {
        await using var host = await SmtpTestHost.StartAsync();
        GrantSendAs(host, SmtpTestHost.SharedMailbox, SmtpTestHost.Mailbox, host.Clock.UtcNow.AddMinutes(20));
        using var client = await host.ConnectAndAuthenticateAsync(host.AppToken());

        await Assert.ThrowsAsync<SmtpCommandException>(() => client.SendAsync(SmtpTestHost.Message(from: SmtpTestHost.SharedMailbox)));
        host.Clock.Advance(TimeSpan.FromMinutes(21));
        await client.SendAsync(SmtpTestHost.Message(from: SmtpTestHost.SharedMailbox));

        Assert.Equal(1, host.Delivered.Count);
    }

    [Fact]
    public async Task MailKit_sends_a_binary_message_with_BDAT_and_SMTPUTF8_addresses_pass()
    {
        await using var host = await SmtpTestHost.StartAsync();
        using var client = await host.ConnectAndAuthenticateAsync(host.AppToken());
        Assert.True(client.Capabilities.HasFlag(SmtpCapabilities.Chunking));
        var message = SmtpTestHost.Message(to: "jörg@fabrikam.de", subject: "Grüße");
        message.Body = new MimePart("application", "octet-stream")
        {
            Content = new MimeContent(new System.IO.MemoryStream(new byte[] { 0, 1, 2, 13, 10, 46, 13, 10, 255 })),
            ContentTransferEncoding = ContentEncoding.Binary,
        };

        await client.SendAsync(message);

        Assert.True(host.Statistics.SmtpCommandsByVerb.ContainsKey("BDAT"));
        var delivered = Assert.Single(host.Delivered.All);
        Assert.Equal("Grüße", delivered.Subject);
        Assert.Equal(new[] { "jörg@fabrikam.de" }, delivered.To);
    }

    [Fact]
    public async Task Pipelining_lets_MailKit_send_a_message_to_three_recipients_in_fewer_round_trips_than_commands()
    {
        await using var host = await SmtpTestHost.StartAsync();
        using var client = await host.ConnectAndAuthenticateAsync(host.AppToken());
        var message = SmtpTestHost.Message();
        message.To.Add(MailboxAddress.Parse("two@fabrikam.com"));
        message.To.Add(MailboxAddress.Parse("three@fabrikam.com"));
        var commandsBefore = host.Statistics.SmtpCommands;
        var roundTripsBefore = host.Statistics.SmtpRoundTrips;

        await client.SendAsync(message);

        var commands = host.Statistics.SmtpCommands - commandsBefore;
        var roundTrips = host.Statistics.SmtpRoundTrips - roundTripsBefore;
        // MAIL, 3 × RCPT, DATA: without pipelining 6 turns (5 commands + the message). MailKit pipelines the
        // envelope (with or without DATA in the same batch), so 2 or 3 turns.
        Assert.Equal(5, commands);
        Assert.InRange(roundTrips, 2, 3);
    }

    [Fact]
    public async Task Session_transcripts_record_both_sides_including_the_policy_reason()
    {
        await using var host = await SmtpTestHost.StartAsync();
        using (var client = await host.ConnectAndAuthenticateAsync(host.AppToken()))
        {
            await client.DisconnectAsync(quit: true);
        }

        var transcript = Assert.Single(host.Statistics.SmtpTranscripts);
        Assert.Equal(SmtpTestHost.Mailbox, transcript.AuthenticatedMailbox);
        Assert.StartsWith("S: 220 localhost Microsoft ESMTP MAIL Service ready at ", transcript.Lines[0], StringComparison.Ordinal);
        Assert.Contains("C: STARTTLS", transcript.Lines);
        Assert.Contains("# policy: app-only token accepted", transcript.Lines);
        Assert.Contains("S: 221 2.0.0 Service closing transmission channel", transcript.Lines);
        Assert.Equal(1, host.Statistics.SmtpConnections);
    }

    internal static void GrantSendAs(SmtpTestHost host, string identity, string trustee, DateTimeOffset? effectiveAt = null)
    {
        host.Tenant.RecipientPermissions.Add(new RecipientPermission { Identity = identity, Trustee = trustee, EffectiveAt = effectiveAt ?? host.Clock.UtcNow });
    }
}
