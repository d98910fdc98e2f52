using System;
using System.IO;
using System.Linq;
using System.Security.Authentication;
using System.Threading.Tasks;
using Xunit;

namespace OAuthSmtp.Emulator.Tests.Smtp;

/// <summary>
/// TLS 1.0/1.1 after STARTTLS: the real server completes the handshake and then refuses with 421 4.7.66
/// (https://github.com/zehm/sendEmail/issues/1; EXCHANGE-FACTS §1, §5a).
/// </summary>
public sealed class SmtpLegacyTlsTests
{
    [Fact]
    public async Task A_TLS_1_1_session_completes_its_handshake_and_gets_421_4_7_66()
    {
        await using var host = await SmtpTestHost.StartAsync();
        await using var connection = await RawSmtpConnection.ConnectAsync(host.Port);
        await connection.ReadReplyAsync();
        await connection.CommandAsync("EHLO client.test");
        Assert.StartsWith("220", await connection.CommandAsync("STARTTLS"));

        try
        {
#pragma warning disable SYSLIB0039 // TLS 1.1 on purpose: the test is about refusing it.
            await connection.StartTlsAsync(host.ServerCertificate, SslProtocols.Tls11);
#pragma warning restore SYSLIB0039
        }
        catch (Exception ex) when (ex is AuthenticationException or IOException)
        {
            // This machine's TLS library no longer negotiates TLS 1.1 at all (OpenSSL 3 at its default security level),
            // so the case cannot arise here; the server side is checked where the platform still offers it (Windows).
            await SmtpLimitTests.WaitUntilAsync(() => host.Statistics.SmtpTranscripts.Any(t => t.Lines.Any(l => l.StartsWith("# TLS handshake failed", StringComparison.Ordinal))));
            return;
        }

        Assert.Equal("421 4.7.66 TLS 1.0 and 1.1 are not supported. Please upgrade/update your client to support TLS 1.2. Visit https://aka.ms/smtp_auth_tls. [LOCALHOST]",
            await connection.CommandAsync("EHLO client.test"));
        Assert.True(await connection.IsClosedAsync());
    }

    [Fact]
    public async Task TLS_1_2_is_not_refused()
    {
        await using var host = await SmtpTestHost.StartAsync();
        await using var connection = await RawSmtpConnection.ConnectSecuredAsync(host, ehloAfterTls: false);

        Assert.StartsWith("250-localhost Hello", await connection.CommandAsync("EHLO client.test"));
    }
}
