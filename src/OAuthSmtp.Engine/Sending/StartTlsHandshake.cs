using System;
using System.IO;
using System.Linq;
using System.Net.Security;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;

namespace OAuthSmtp.Engine.Sending;

/// <summary>
/// Greeting, EHLO and STARTTLS done by the engine, then TLS with the same protocols, revocation setting and
/// certificate validation MailKit would use. The engine owns the TLS stream this way, which lets it write a whole
/// message transaction at once; MailKit then runs EHLO and AUTH over that stream as it always does. Failures are
/// raised as the exceptions MailKit raises for the same events, so they are translated exactly as before.
/// </summary>
internal static class StartTlsHandshake
{
    /// <summary>The TLS stream over <paramref name="tcp"/> and the greeting's bytes (for MailKit to read first).</summary>
    public static async Task<(SslStream Tls, byte[] Greeting)> RunAsync(
        GuardedSmtpStream tcp,
        string host,
        int port,
        ExchangeSmtpClient settingsFrom,
        IProtocolLogger logger,
        CancellationToken cancellationToken)
    {
        logger.LogConnect(new Uri($"smtp://{host}:{port}"));
        var plain = new SmtpWire(tcp, logger);
        var greeting = await plain.ReadReplyAsync(cancellationToken).ConfigureAwait(false);
        if (greeting.Code != 220)
        {
            throw new SmtpCommandException(SmtpErrorCode.UnexpectedStatusCode, (SmtpStatusCode)greeting.Code, greeting.Text);
        }

        var ehlo = await CommandAsync(plain, tcp, "EHLO " + LocalName(), cancellationToken).ConfigureAwait(false);
        if (ehlo.Code != 250)
        {
            throw new SmtpCommandException(SmtpErrorCode.UnexpectedStatusCode, (SmtpStatusCode)ehlo.Code, ehlo.Text);
        }

        var offersStartTls = ehlo.Text.Split('\n').Any(line => string.Equals(line.Trim(), "STARTTLS", StringComparison.OrdinalIgnoreCase));
        if (!offersStartTls)
        {
            // MailKit's exception for the same case: the caller turns it into StartTlsNotOffered.
            throw new NotSupportedException("The SMTP server does not support the STARTTLS extension.");
        }

        var startTls = await CommandAsync(plain, tcp, "STARTTLS", cancellationToken).ConfigureAwait(false);
        if (startTls.Code != 220)
        {
            throw new SmtpCommandException(SmtpErrorCode.UnexpectedStatusCode, (SmtpStatusCode)startTls.Code, startTls.Text);
        }

        if (plain.HasUnreadReplyBytes)
        {
            // Bytes sent before TLS and read as TLS would be an injection (RFC 3207 §4.2 / CVE-2011-0411 style).
            throw new SmtpProtocolException("The SMTP server sent data after its STARTTLS reply and before TLS.");
        }

        var validation = settingsFrom.ServerCertificateValidationCallback;
        var tls = new SslStream(tcp, leaveInnerStreamOpen: false, (sender, certificate, chain, errors) => validation is not null && validation(sender, certificate, chain, errors));
        try
        {
            await tls.AuthenticateAsClientAsync(host, settingsFrom.ClientCertificates, settingsFrom.SslProtocols, settingsFrom.CheckCertificateRevocation).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is System.Security.Authentication.AuthenticationException || ex is IOException)
        {
            tls.Dispose();
            throw new SslHandshakeException("An error occurred while attempting to establish an SSL or TLS connection.", ex);
        }

        var lines = greeting.Text.Split('\n');
        var replay = new StringBuilder();
        for (var i = 0; i < lines.Length; i++)
        {
            replay.Append("220").Append(i < lines.Length - 1 ? '-' : ' ').Append(lines[i]).Append("\r\n");
        }

        var greetingBytes = Encoding.UTF8.GetBytes(replay.ToString());
        return (tls, greetingBytes);
    }

    private static async Task<SmtpReplyLine> CommandAsync(SmtpWire wire, Stream target, string command, CancellationToken cancellationToken)
    {
        await wire.WriteCommandsAsync(target, command + "\r\n", cancellationToken).ConfigureAwait(false);
        return await wire.ReadReplyAsync(cancellationToken).ConfigureAwait(false);
    }

    private static string LocalName()
    {
        try
        {
            var name = System.Net.Dns.GetHostName();
            return string.IsNullOrEmpty(name) || name.Any(c => c > 127 || char.IsWhiteSpace(c)) ? "[127.0.0.1]" : name;
        }
        catch (System.Net.Sockets.SocketException)
        {
            return "[127.0.0.1]";
        }
    }
}
