using System;
using System.IO;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using OAuthSmtp.Engine.Errors;
using OAuthSmtp.Engine.Tokens;

namespace OAuthSmtp.Engine.Sending;

/// <summary>
/// The one connection a pipeline uses: connect, STARTTLS (certificate validated against the system's trust; there is
/// no switch to turn that off), EHLO, AUTH XOAUTH2 once, then every message. Reconnects only when the connection was
/// lost or the token is about to expire, and only between messages. One session per pipeline keeps a pipeline at
/// one of the three connections Exchange Online allows per mailbox.
/// </summary>
internal sealed class SmtpSession : IDisposable
{
    private readonly SmtpSenderOptions _options;
    private readonly SharedProtocolLogger? _logger;
    private readonly SecretRedactor _redactor = new();
    private SessionProtocolLogger? _dialogue;
    private ExchangeSmtpClient? _client;
    private AccessToken? _token;
    private bool _renewToken;
    private string? _certificateProblem;

    public SmtpSession(SmtpSenderOptions options)
    {
        _options = options;
        if (!string.IsNullOrEmpty(options.ProtocolLogPath))
        {
            try
            {
                _logger = SharedProtocolLogger.Open(options.ProtocolLogPath!);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is System.ComponentModel.Win32Exception)
            {
                throw new OAuthSmtpException(
                    ErrorIds.FailedMessageNotSaved,
                    ErrorKind.WriteError,
                    $"The protocol log '{options.ProtocolLogPath}' cannot be written: {ex.Message}",
                    "Choose a -ProtocolLogPath in a folder the account may write to.",
                    options.ProtocolLogPath,
                    ex);
            }
        }
    }

    public int Connections { get; private set; }

    public int Authentications { get; private set; }

    public int TokenRequests { get; private set; }

    public bool IsConnected => _client is { IsConnected: true, IsAuthenticated: true };

    /// <summary>Server text without the session's token or XOAUTH2 string (a server may echo them).</summary>
    public string Redact(string text) => _redactor.Redact(text);

    /// <summary>The next connection asks the token source for a fresh token (the server stopped accepting the old one).</summary>
    public void RenewTokenOnNextConnect() => _renewToken = true;

    /// <summary>A connected, authenticated client with a token that outlives the renewal margin.</summary>
    public async Task<ExchangeSmtpClient> GetClientAsync(CancellationToken cancellationToken)
    {
        if (IsConnected && !TokenExpiresSoon())
        {
            return _client!;
        }

        if (IsConnected)
        {
            // The token is about to expire: end this session cleanly between messages and start a new one.
            _renewToken = true;
            await CloseAsync(cancellationToken).ConfigureAwait(false);
        }

        Abort();
        var token = await GetTokenAsync(cancellationToken).ConfigureAwait(false);
        _dialogue = new SessionProtocolLogger(_logger, _options.ProtocolLogContent, _redactor);
        var client = new ExchangeSmtpClient(_dialogue)
        {
            Timeout = _options.TimeoutMs,
        };
        _certificateProblem = null;
        client.ServerCertificateValidationCallback = ValidateServerCertificate;

        _client = client;
        await ConnectAsync(client, cancellationToken).ConfigureAwait(false);
        await AuthenticateAsync(client, token, cancellationToken).ConfigureAwait(false);
        return client;
    }

    /// <summary>QUIT and close; failures while closing do not matter any more.</summary>
    public async Task CloseAsync(CancellationToken cancellationToken)
    {
        var client = _client;
        _client = null;
        if (client is null)
        {
            return;
        }

        try
        {
            if (client.IsConnected)
            {
                await client.DisconnectAsync(quit: true, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is IOException || ex is SocketException || ex is ProtocolException || ex is OperationCanceledException || ex is ObjectDisposedException)
        {
        }
        finally
        {
            client.Dispose();
        }
    }

    /// <summary>Drops the connection without QUIT (after a failure that leaves its state unknown).</summary>
    public void Abort()
    {
        var client = _client;
        _client = null;
        client?.Dispose();
    }

    public void Dispose()
    {
        Abort();
        _logger?.Close();
    }

    private bool TokenExpiresSoon() =>
        _token is null || _token.ExpiresOn - _options.TokenRenewalMargin <= _options.Clock.UtcNow();

    private async Task<AccessToken> GetTokenAsync(CancellationToken cancellationToken)
    {
        var forceRefresh = _renewToken || (_token is not null && TokenExpiresSoon());
        TokenRequests++;
        var token = await _options.TokenSource.GetTokenAsync(forceRefresh, cancellationToken).ConfigureAwait(false);
        _renewToken = false;
        if (token.ExpiresOn <= _options.Clock.UtcNow())
        {
            throw new OAuthSmtpException(
                ErrorIds.TokenExpired,
                ErrorKind.AuthenticationError,
                $"The access token expired at {token.ExpiresOn:u} and cannot be renewed here.",
                "Get a new token and pass it with -AccessToken, or send with -Profile so that the module renews tokens itself.",
                _options.Mailbox);
        }

        _redactor.Add(token.Value, _options.Mailbox);
        _token = token;
        return token;
    }

    private async Task ConnectAsync(ExchangeSmtpClient client, CancellationToken cancellationToken)
    {
        Connections++;
        try
        {
            if (_options.TranscriptStream is { } transcript)
            {
                var stream = await transcript(cancellationToken).ConfigureAwait(false);
                await client.ConnectAsync(stream, _options.Host, _options.Port, SecureSocketOptions.None, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                // Our own TCP stream: MailKit's timeout restarts with every byte and its replies have no size limit.
                var stream = await GuardedSmtpStream.ConnectAsync(_options.Host, _options.Port, _options.TimeoutMs, cancellationToken).ConfigureAwait(false);
                try
                {
                    await client.ConnectAsync(stream, _options.Host, _options.Port, SecureSocketOptions.StartTls, cancellationToken).ConfigureAwait(false);
                }
                catch
                {
                    stream.Dispose();
                    throw;
                }
            }
        }
        catch (SslHandshakeException ex)
        {
            throw new OAuthSmtpException(
                ErrorIds.TlsHandshakeFailed,
                ErrorKind.SecurityError,
                _certificateProblem is null
                    ? $"The TLS handshake with {_options.Host}:{_options.Port} failed: the server did not complete a TLS 1.2 or later handshake after STARTTLS ({ServerText.Excerpt(ex.InnerException?.Message ?? ex.Message)}). The token was not sent."
                    : $"The TLS handshake with {_options.Host}:{_options.Port} failed: {_certificateProblem} The token was not sent.",
                "Check the SMTP server name in the profile (smtp.office365.com for the global cloud), the system's root certificates and any TLS-inspecting proxy.",
                _options.Host,
                ex);
        }
        catch (NotSupportedException ex) when (_dialogue?.RefusedEhloReply is { } refused)
        {
            // EHLO was refused and MailKit's HELO accepted, so no STARTTLS was offered: the refusal is the real answer
            // (a 4xx is retried as any other temporary reply).
            throw SmtpReplyTranslator.Translate(SmtpReply.Parse(refused, SmtpStage.Connect), new SmtpReplyTranslator.Context(_options.Mailbox), _options.Host, ex);
        }
        catch (NotSupportedException ex)
        {
            throw new OAuthSmtpException(
                ErrorIds.StartTlsNotOffered,
                ErrorKind.SecurityError,
                $"{_options.Host}:{_options.Port} does not offer STARTTLS, so the token would travel in plain text; nothing was sent.",
                "Use port 587 on smtp.office365.com (or your cloud's SMTP host). Port 465 is not offered by Exchange Online.",
                _options.Host,
                ex);
        }
        catch (SmtpCommandException ex)
        {
            var reply = new SmtpReply((int)ex.StatusCode, ex.Message, SmtpStage.Connect);
            throw SmtpReplyTranslator.Translate(reply, new SmtpReplyTranslator.Context(_options.Mailbox), _options.Host, ex);
        }
        catch (Exception ex) when (IsConnectionFailure(ex))
        {
            // A refusal just before the server hung up (421 4.7.66 after the TLS handshake) says why; MailKit only
            // reports the disconnect, because it answers a refused EHLO with HELO.
            if (_dialogue?.LastServerLine is { } line && line.Length > 4 && (line[0] == '4' || line[0] == '5') && int.TryParse(line.Substring(0, 3), out _))
            {
                throw SmtpReplyTranslator.Translate(SmtpReply.Parse(line, SmtpStage.Connect), new SmtpReplyTranslator.Context(_options.Mailbox), _options.Host, ConnectionFailed(ex));
            }

            throw ConnectionFailed(ex);
        }
    }

    private async Task AuthenticateAsync(ExchangeSmtpClient client, AccessToken token, CancellationToken cancellationToken)
    {
        if (!client.AuthenticationMechanisms.Contains("XOAUTH2"))
        {
            throw new OAuthSmtpException(
                ErrorIds.Xoauth2NotOffered,
                ErrorKind.ProtocolError,
                $"{_options.Host} does not offer AUTH XOAUTH2 after STARTTLS (it offers: {string.Join(", ", client.AuthenticationMechanisms)}).",
                "Check that the profile's SMTP server is Exchange Online (smtp.office365.com) or another server that accepts OAuth2.",
                _options.Host);
        }

        Authentications++;
        var context = new SmtpReplyTranslator.Context(_options.Mailbox);
        try
        {
            await client.AuthenticateAsync(new SaslMechanismOAuth2(_options.Mailbox, token.Value), cancellationToken).ConfigureAwait(false);
        }
        catch (AuthenticationException ex)
        {
            // MailKit raises this for a refused AUTH; its message is the server's text (535 unless it names a code).
            var text = _redactor.Redact(ex.Message);
            var reply = AuthReply(text);
            throw SmtpReplyTranslator.Translate(reply, context, _options.Mailbox, ReferenceEquals(text, ex.Message) ? ex : null);
        }
        catch (SmtpCommandException ex)
        {
            var text = _redactor.Redact(ex.Message);
            var reply = new SmtpReply((int)ex.StatusCode, text, SmtpStage.Authenticate);
            throw SmtpReplyTranslator.Translate(reply, context, _options.Mailbox, ReferenceEquals(text, ex.Message) ? ex : null);
        }
        catch (Exception ex) when (IsConnectionFailure(ex))
        {
            throw ConnectionFailed(ex);
        }
    }

    private static SmtpReply AuthReply(string text)
    {
        var match = System.Text.RegularExpressions.Regex.Match(text ?? string.Empty, @"^(?<code>[45]\d\d)[: -]\s*(?<text>.*)$", System.Text.RegularExpressions.RegexOptions.Singleline);
        return match.Success
            ? new SmtpReply(int.Parse(match.Groups["code"].Value, System.Globalization.CultureInfo.InvariantCulture), match.Groups["text"].Value, SmtpStage.Authenticate)
            : new SmtpReply(535, text ?? string.Empty, SmtpStage.Authenticate);
    }

    internal static bool IsConnectionFailure(Exception ex) =>
        ex is IOException || ex is SocketException || ex is SmtpProtocolException || ex is ServiceNotConnectedException || ex is TimeoutException;

    /// <summary>The system's validation, remembering in words why a certificate was refused (the handshake error says only "failed").</summary>
    private bool ValidateServerCertificate(object sender, System.Security.Cryptography.X509Certificates.X509Certificate? certificate, System.Security.Cryptography.X509Certificates.X509Chain? chain, System.Net.Security.SslPolicyErrors errors)
    {
        if (ServerCertificateValidation.Validate(sender, certificate, chain, errors))
        {
            return true;
        }

        _certificateProblem = ServerCertificateValidation.Describe(certificate, chain, errors, _options.Host);
        return false;
    }

    private OAuthSmtpException ConnectionFailed(Exception ex) =>
        new SmtpConnectionException(
            $"The connection to {_options.Host}:{_options.Port} failed or was lost: {ServerText.Reason(ex)}",
            "Check the SMTP server name and port (smtp.office365.com:587), DNS, and that a firewall allows outbound TCP 587.",
            _options.Host,
            ex);
}
