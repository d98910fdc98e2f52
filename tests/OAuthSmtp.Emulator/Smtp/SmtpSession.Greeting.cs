using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Net.Security;
using System.Security.Authentication;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace OAuthSmtp.Emulator.Smtp;

/// <summary>EHLO/HELO and STARTTLS (EXCHANGE-FACTS §4), with their hostile-server faults.</summary>
internal sealed partial class SmtpSession
{
    private async Task<Outcome> EhloAsync(string argument, bool extended, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(argument))
        {
            Reply(SmtpReplies.InvalidDomainName);
            return Outcome.Continue;
        }

        ResetTransaction();
        _greeted = true;
        var hello = $"{Context.HostName} Hello [{_clientAddress}]";
        if (!extended)
        {
            Reply("250 " + hello);
            return Outcome.Continue;
        }

        if (Faults.SmtpOversizedReplyBytes > 0)
        {
            await FlushAsync(countRoundTrip: false, cancellationToken).ConfigureAwait(false);
            await Hostile.HostileSmtp.OversizedLineAsync(_stream, Faults.SmtpOversizedReplyBytes, Settings.ClientIdleTimeout, Note, cancellationToken).ConfigureAwait(false);
            return Outcome.Drop;
        }

        if (Faults.SmtpEndlessMultilineReply)
        {
            await SendEndlessReplyAsync(hello, cancellationToken).ConfigureAwait(false);
            return Outcome.Drop;
        }

        var lines = new List<string> { hello, "SIZE " + Settings.MaxMessageSize.ToString(CultureInfo.InvariantCulture), "PIPELINING", "DSN", "ENHANCEDSTATUSCODES" };
        if (_tls) lines.Add("AUTH LOGIN XOAUTH2");
        else if (!Faults.SmtpOmitStartTls) lines.Add("STARTTLS");
        lines.AddRange(new[] { "8BITMIME", "BINARYMIME", "CHUNKING", "SMTPUTF8" });
        ReplyMultiline(lines, 250);
        return Outcome.Continue;
    }

    /// <summary>Hostile mode: "250-" lines that never end, bounded by a line cap and the client leaving.</summary>
    private async Task SendEndlessReplyAsync(string hello, CancellationToken cancellationToken)
    {
        Note("fault: endless multi-line reply");
        await FlushAsync(countRoundTrip: false, cancellationToken).ConfigureAwait(false);
        var line = Encoding.ASCII.GetBytes($"250-{hello}\r\n");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Settings.ClientIdleTimeout);
        for (var i = 0; i < EndlessReplyLineLimit && !timeout.IsCancellationRequested; i++)
        {
            await _stream.WriteAsync(line, timeout.Token).ConfigureAwait(false);
        }
    }

    // The real server completes a TLS 1.0/1.1 handshake and then refuses (EXCHANGE-FACTS §1, §5a), so the emulator offers them too.
#pragma warning disable SYSLIB0039 // TLS 1.0/1.1 are offered on purpose, to answer them as Exchange Online does.
    private const SslProtocols LegacyAndCurrentTls = SslProtocols.Tls | SslProtocols.Tls11 | SslProtocols.Tls12 | SslProtocols.Tls13;

    private static bool IsLegacyTls(SslProtocols protocol) => protocol is SslProtocols.Tls or SslProtocols.Tls11;
#pragma warning restore SYSLIB0039

    private async Task<Outcome> StartTlsAsync(CancellationToken cancellationToken)
    {
        if (Faults.SmtpOmitStartTls)
        {
            Reply(SmtpReplies.UnrecognizedCommand("STARTTLS"));
            return Outcome.Continue;
        }

        if (_tls)
        {
            Reply(SmtpReplies.OnlyOneStartTls);
            return Outcome.Continue;
        }

        Reply(SmtpReplies.StartTlsReady);
        await FlushAsync(countRoundTrip: true, cancellationToken).ConfigureAwait(false);
        if (Faults.SmtpGarbageAfterStartTls)
        {
            await Hostile.HostileSmtp.GarbageInsteadOfTlsAsync(_stream, _reader, Settings.ClientIdleTimeout, Note, cancellationToken).ConfigureAwait(false);
            return Outcome.Drop;
        }

        var ssl = new SslStream(_stream, leaveInnerStreamOpen: false);
        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            timeout.CancelAfter(Settings.ClientIdleTimeout);
            var options = new SslServerAuthenticationOptions
            {
                ServerCertificate = Faults.SmtpServerCertificate ?? Context.ServerCertificate,
                EnabledSslProtocols = Settings.AcceptLegacyTlsHandshake ? LegacyAndCurrentTls : SslProtocols.Tls12 | SslProtocols.Tls13,
                ClientCertificateRequired = false,
            };
            try
            {
                await ssl.AuthenticateAsServerAsync(options, timeout.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is AuthenticationException or IOException or OperationCanceledException)
            {
                Note("TLS handshake failed: " + ex.GetType().Name);
                await ssl.DisposeAsync().ConfigureAwait(false);
                return Outcome.Drop;
            }
        }

        Note($"TLS established: {ssl.SslProtocol}");
        _legacyTls = IsLegacyTls(ssl.SslProtocol);
        _stream = ssl;
        _reader.SwitchTo(ssl);
        _tls = true;
        // RFC 3207: the session starts over; the client must greet again.
        _greeted = false;
        ResetTransaction();
        return Outcome.Continue;
    }
}
