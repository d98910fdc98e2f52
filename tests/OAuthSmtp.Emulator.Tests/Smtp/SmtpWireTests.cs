using System;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using OAuthSmtp.Emulator.Smtp;
using Xunit;

namespace OAuthSmtp.Emulator.Tests.Smtp;

/// <summary>Wire-level behaviour (EXCHANGE-FACTS §4) checked with a bare socket: exact banner, EHLO lists, ordering rules, SASL forms.</summary>
public sealed class SmtpWireTests
{
    [Fact]
    public async Task Banner_and_EHLO_before_TLS_match_Exchange_and_offer_no_AUTH()
    {
        await using var host = await SmtpTestHost.StartAsync();
        await using var connection = await RawSmtpConnection.ConnectAsync(host.Port);

        var banner = await connection.ReadLineReplyAsync();
        Assert.Matches(@"^220 localhost Microsoft ESMTP MAIL Service ready at (Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} \+0000 \[[0-9A-F]{16}\]$", banner);

        await connection.SendLineAsync("EHLO client.test");
        var ehlo = await connection.ReadReplyAsync();
        Assert.Equal(new[]
        {
            "250-localhost Hello [127.0.0.1]", "250-SIZE 157286400", "250-PIPELINING", "250-DSN", "250-ENHANCEDSTATUSCODES",
            "250-STARTTLS", "250-8BITMIME", "250-BINARYMIME", "250-CHUNKING", "250 SMTPUTF8",
        }, ehlo);
    }

    [Fact]
    public async Task EHLO_after_STARTTLS_offers_AUTH_LOGIN_XOAUTH2_and_no_STARTTLS()
    {
        await using var host = await SmtpTestHost.StartAsync();
        await using var connection = await RawSmtpConnection.ConnectAsync(host.Port);
        await connection.ReadReplyAsync();
        await connection.SendLineAsync("EHLO client.test");
        await connection.ReadReplyAsync();

        Assert.Equal("220 2.0.0 SMTP server ready", await connection.CommandAsync("STARTTLS"));
        await connection.StartTlsAsync(host.ServerCertificate);
        await connection.SendLineAsync("EHLO client.test");
        var ehlo = await connection.ReadReplyAsync();

        Assert.Equal(new[]
        {
            "250-localhost Hello [127.0.0.1]", "250-SIZE 157286400", "250-PIPELINING", "250-DSN", "250-ENHANCEDSTATUSCODES",
            "250-AUTH LOGIN XOAUTH2", "250-8BITMIME", "250-BINARYMIME", "250-CHUNKING", "250 SMTPUTF8",
        }, ehlo);
    }

    [Fact]
    public async Task AUTH_after_STARTTLS_without_a_fresh_EHLO_gets_Send_hello_first()
    {
        await using var host = await SmtpTestHost.StartAsync();
        await using var connection = await RawSmtpConnection.ConnectSecuredAsync(host, ehloAfterTls: false);

        var reply = await connection.CommandAsync("AUTH XOAUTH2 " + XOAuth2InitialResponse.Encode(SmtpTestHost.Mailbox, host.AppToken()));

        Assert.Equal("503 5.5.2 Send hello first", reply);
    }

    [Fact]
    public async Task AUTH_before_STARTTLS_is_refused_because_no_mechanism_is_offered()
    {
        await using var host = await SmtpTestHost.StartAsync();
        await using var connection = await RawSmtpConnection.ConnectAsync(host.Port);
        await connection.ReadReplyAsync();
        await connection.SendLineAsync("EHLO client.test");
        await connection.ReadReplyAsync();

        Assert.Equal("504 5.7.4 Unrecognized authentication type", await connection.CommandAsync("AUTH XOAUTH2 " + XOAuth2InitialResponse.Encode(SmtpTestHost.Mailbox, host.AppToken())));
        Assert.Equal(0, host.Delivered.Count);
    }

    [Fact]
    public async Task MAIL_without_AUTH_gets_530_5_7_57_with_the_host_tag()
    {
        await using var host = await SmtpTestHost.StartAsync();
        await using var connection = await RawSmtpConnection.ConnectSecuredAsync(host);

        var reply = await connection.CommandAsync($"MAIL FROM:<{SmtpTestHost.Mailbox}>");

        SmtpAssert.Reply("530 5.7.57 Client not authenticated to send mail.", reply, hostTag: true);
    }

    [Fact]
    public async Task The_older_530_wording_is_a_setting()
    {
        await using var host = await SmtpTestHost.StartAsync();
        host.Faults.SmtpSettings.UseLegacyNotAuthenticatedText = true;
        await using var connection = await RawSmtpConnection.ConnectSecuredAsync(host);

        Assert.Equal("530 5.7.57 SMTP; Client was not authenticated to send anonymous mail during MAIL FROM", await connection.CommandAsync($"MAIL FROM:<{SmtpTestHost.Mailbox}>"));
    }

    [Fact]
    public async Task XOAUTH2_initial_response_form_succeeds()
    {
        await using var host = await SmtpTestHost.StartAsync();
        await using var connection = await RawSmtpConnection.ConnectSecuredAsync(host);

        var reply = await connection.CommandAsync("AUTH XOAUTH2 " + XOAuth2InitialResponse.Encode(SmtpTestHost.Mailbox, host.AppToken()));

        Assert.Equal("235 2.7.0 Authentication successful", reply);
        Assert.Equal("250 2.1.0 Sender OK", await connection.CommandAsync($"MAIL FROM:<{SmtpTestHost.Mailbox}>"));
    }

    [Fact]
    public async Task XOAUTH2_two_step_form_sends_an_empty_challenge_then_succeeds()
    {
        await using var host = await SmtpTestHost.StartAsync();
        await using var connection = await RawSmtpConnection.ConnectSecuredAsync(host);

        Assert.Equal("334 ", await connection.CommandAsync("AUTH XOAUTH2"));
        Assert.Equal("235 2.7.0 Authentication successful", await connection.CommandAsync(XOAuth2InitialResponse.Encode(SmtpTestHost.Mailbox, host.AppToken())));
    }

    [Fact]
    public async Task A_refused_XOAUTH2_goes_straight_to_535_without_a_JSON_challenge()
    {
        await using var host = await SmtpTestHost.StartAsync();
        await using var connection = await RawSmtpConnection.ConnectSecuredAsync(host);

        Assert.Equal("334 ", await connection.CommandAsync("AUTH XOAUTH2"));
        var reply = await connection.CommandAsync(XOAuth2InitialResponse.Encode(SmtpTestHost.Mailbox, host.AppToken(audience: TestTokens.GraphAudience)));

        SmtpAssert.Reply("535 5.7.3 Authentication unsuccessful", reply, hostTag: true);
        SmtpAssert.Reply("530 5.7.57 Client not authenticated to send mail.", await connection.CommandAsync($"MAIL FROM:<{SmtpTestHost.Mailbox}>"), hostTag: true);
    }

    [Theory]
    [InlineData("not base64 at all!")]
    [InlineData("dXNlcj0BYXV0aD1CZWFyZXIgeAEB")] // user= empty
    public async Task A_malformed_XOAUTH2_blob_gets_the_501_5_5_124_text(string blob)
    {
        await using var host = await SmtpTestHost.StartAsync();
        await using var connection = await RawSmtpConnection.ConnectSecuredAsync(host);

        var reply = await connection.CommandAsync("AUTH XOAUTH2 " + blob);

        Assert.Equal(SmtpBehaviorSettings.DefaultMalformedXOAuth2Reply, reply);
        Assert.StartsWith("501 5.5.124 Invalid XOAUTH2 auth data - User address provided is not valid. Please ensure the auth d", reply);
    }

    [Fact]
    public async Task AUTH_LOGIN_sends_the_base64_Username_and_Password_prompts()
    {
        await using var host = await SmtpTestHost.StartAsync();
        await using var connection = await RawSmtpConnection.ConnectSecuredAsync(host);

        Assert.Equal("334 VXNlcm5hbWU6", await connection.CommandAsync("AUTH LOGIN"));
        Assert.Equal("334 UGFzc3dvcmQ6", await connection.CommandAsync(Convert.ToBase64String(Encoding.UTF8.GetBytes(SmtpTestHost.UserAddress))));
        var reply = await connection.CommandAsync(Convert.ToBase64String(Encoding.UTF8.GetBytes("wrong")));

        SmtpAssert.Reply("535 5.7.139 Authentication unsuccessful, the user credentials were incorrect.", reply, hostTag: true);
    }

    [Fact]
    public async Task Pipelined_commands_are_answered_in_one_flush_and_count_one_round_trip()
    {
        await using var host = await SmtpTestHost.StartAsync();
        await using var connection = await RawSmtpConnection.ConnectSecuredAsync(host);
        Assert.StartsWith("235", await connection.CommandAsync("AUTH XOAUTH2 " + XOAuth2InitialResponse.Encode(SmtpTestHost.Mailbox, host.AppToken())));
        var before = host.Statistics.SmtpRoundTrips;

        await connection.SendAsync($"MAIL FROM:<{SmtpTestHost.Mailbox}>\r\nRCPT TO:<a@fabrikam.com>\r\nRCPT TO:<b@fabrikam.com> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;b@fabrikam.com\r\nDATA\r\n");

        Assert.Equal("250 2.1.0 Sender OK", await connection.ReadLineReplyAsync());
        Assert.Equal("250 2.1.5 Recipient OK", await connection.ReadLineReplyAsync());
        Assert.Equal("250 2.1.5 Recipient OK", await connection.ReadLineReplyAsync());
        Assert.Equal("354 Start mail input; end with <CRLF>.<CRLF>", await connection.ReadLineReplyAsync());
        Assert.Equal(1, host.Statistics.SmtpRoundTrips - before);

        await connection.SendAsync($"From: {SmtpTestHost.Mailbox}\r\nSubject: Piped\r\nMessage-ID: <piped@test>\r\n\r\n..starts with a dot\r\nbody\r\n.\r\n");
        Assert.Equal("250 2.0.0 OK <piped@test> [Hostname=localhost]", await connection.ReadLineReplyAsync());
        Assert.Equal(2, host.Statistics.SmtpRoundTrips - before);

        var delivered = Assert.Single(host.Delivered.All);
        Assert.Equal(new[] { "a@fabrikam.com", "b@fabrikam.com" }, delivered.To);
        Assert.Equal("Piped", delivered.Subject);
        Assert.Contains("\r\n.starts with a dot\r\nbody\r\n", Encoding.UTF8.GetString(delivered.Raw));
        Assert.EndsWith("body\r\n", Encoding.UTF8.GetString(delivered.Raw));
    }

    [Fact]
    public async Task BDAT_chunks_with_LAST_assemble_one_message()
    {
        await using var host = await SmtpTestHost.StartAsync();
        await using var connection = await RawSmtpConnection.ConnectSecuredAsync(host);
        await connection.CommandAsync("AUTH XOAUTH2 " + XOAuth2InitialResponse.Encode(SmtpTestHost.Mailbox, host.AppToken()));
        Assert.Equal("250 2.1.0 Sender OK", await connection.CommandAsync($"MAIL FROM:<{SmtpTestHost.Mailbox}> BODY=BINARYMIME SMTPUTF8 RET=HDRS ENVID=abc123"));
        Assert.Equal("250 2.1.5 Recipient OK", await connection.CommandAsync("RCPT TO:<x@fabrikam.com>"));
        Assert.Equal("503 5.5.1 BDAT required for BINARYMIME", await connection.CommandAsync("DATA"));

        var part1 = Encoding.UTF8.GetBytes($"From: {SmtpTestHost.Mailbox}\r\nSubject: Chunked\r\n\r\n");
        var part2 = Encoding.UTF8.GetBytes(".a line with a dot stays as is\r\n");
        await connection.SendAsync($"BDAT {part1.Length}\r\n");
        await connection.SendBytesAsync(part1);
        Assert.Equal($"250 2.0.0 CHUNK received OK, {part1.Length} octets", await connection.ReadLineReplyAsync());
        await connection.SendAsync($"BDAT {part2.Length} LAST\r\n");
        await connection.SendBytesAsync(part2);
        Assert.Matches(@"^250 2\.0\.0 OK <[0-9a-f]{32}@localhost> \[Hostname=localhost\]$", await connection.ReadLineReplyAsync());

        var delivered = Assert.Single(host.Delivered.All);
        Assert.Equal(part1.Concat(part2).ToArray(), delivered.Raw);
        Assert.Equal("Chunked", delivered.Subject);
    }

    [Fact]
    public async Task Ordering_and_syntax_errors_get_their_replies()
    {
        await using var host = await SmtpTestHost.StartAsync();
        await using var connection = await RawSmtpConnection.ConnectSecuredAsync(host);
        await connection.CommandAsync("AUTH XOAUTH2 " + XOAuth2InitialResponse.Encode(SmtpTestHost.Mailbox, host.AppToken()));

        Assert.Equal("503 5.5.2 Need mail command", await connection.CommandAsync("RCPT TO:<x@fabrikam.com>"));
        Assert.Equal("503 5.5.2 Need mail command", await connection.CommandAsync("DATA"));
        Assert.Equal("552 5.3.4 Message size exceeds fixed maximum message size", await connection.CommandAsync($"MAIL FROM:<{SmtpTestHost.Mailbox}> SIZE=157286401"));
        Assert.Equal("555 5.5.4 Unsupported option: XFOO", await connection.CommandAsync($"MAIL FROM:<{SmtpTestHost.Mailbox}> XFOO=1"));
        Assert.Equal("250 2.1.0 Sender OK", await connection.CommandAsync($"MAIL FROM:<{SmtpTestHost.Mailbox}> SIZE=1000 BODY=8BITMIME"));
        Assert.Equal("503 5.5.2 Sender already specified", await connection.CommandAsync($"MAIL FROM:<{SmtpTestHost.Mailbox}>"));
        Assert.Equal("503 5.5.2 Need rcpt command", await connection.CommandAsync("DATA"));
        Assert.Equal("501 5.1.3 Invalid address", await connection.CommandAsync("RCPT TO:<not an address>"));
        Assert.Equal("250 2.0.0 Resetting", await connection.CommandAsync("RSET"));
        Assert.Equal("250 2.0.0 OK", await connection.CommandAsync("NOOP"));
        Assert.Equal("500 5.3.3 Unrecognized command 'XYZZY'", await connection.CommandAsync("XYZZY"));
        Assert.Equal("503 5.5.2 Already authenticated", await connection.CommandAsync("AUTH XOAUTH2"));
        Assert.Equal("221 2.0.0 Service closing transmission channel", await connection.CommandAsync("QUIT"));
        Assert.True(await connection.IsClosedAsync());
    }

    [Fact]
    public async Task The_QUIT_reply_is_a_setting()
    {
        await using var host = await SmtpTestHost.StartAsync();
        host.Faults.SmtpSettings.QuitReply = "221 2.0.0 Bye";
        await using var connection = await RawSmtpConnection.ConnectAsync(host.Port);
        await connection.ReadReplyAsync();

        Assert.Equal("221 2.0.0 Bye", await connection.CommandAsync("QUIT"));
    }

    [Fact]
    public void XOAuth2_encoding_matches_the_documented_test_vector()
    {
        const string expected = "dXNlcj10ZXN0QGNvbnRvc28ub25taWNyb3NvZnQuY29tAWF1dGg9QmVhcmVyIEV3QkFBbDNCQUFVRkZwVUFvN0ozVmUwYmpMQldaV0NjbFJDM0VvQUEBAQ==";

        Assert.Equal(expected, XOAuth2InitialResponse.Encode("test@contoso.onmicrosoft.com", "EwBAAl3BAAUFFpUAo7J3Ve0bjLBWZWCclRC3EoAA"));
        Assert.True(XOAuth2InitialResponse.TryDecode(expected, out var user, out var token));
        Assert.Equal("test@contoso.onmicrosoft.com", user);
        Assert.Equal("EwBAAl3BAAUFFpUAo7J3Ve0bjLBWZWCclRC3EoAA", token);
    }
}
