using System;
using System.Text;
using MailKit;

namespace OAuthSmtp.Engine.Sending;

/// <summary>
/// The session's view of the SMTP dialogue, between MailKit and the protocol log (-ProtocolLogPath):
/// <list type="bullet">
/// <item>the message content (everything the client writes after the server's 354 up to the server's next reply) is
/// left out of the log unless content logging was asked for: one line says how many bytes were not logged;</item>
/// <item>a server line that echoes the token or the XOAUTH2 string is logged redacted (<see cref="SecretRedactor"/>);</item>
/// <item>the last server line is remembered, so a reply that came just before the server hung up (421 4.7.66 after
/// the TLS handshake, to which MailKit answers with HELO and then only reports the disconnect) can still be
/// translated;</item>
/// <item>a refusal of EHLO is remembered: MailKit answers it with HELO, and when HELO is accepted it only sees that
/// STARTTLS is not offered, which would hide the server's real (often temporary) reply.</item>
/// </list>
/// </summary>
internal sealed class SessionProtocolLogger : IProtocolLogger
{
    /// <summary>Room for a line that echoes a whole XOAUTH2 string (a few KB), so it can be redacted before it is cut.</summary>
    private const int MaxRememberedLine = 32 * 1024;

    private readonly IProtocolLogger? _log;
    private readonly bool _logContent;
    private readonly SecretRedactor _redactor;
    private readonly StringBuilder _serverLine = new();
    private bool _inContent;
    private long _contentBytes;
    private bool _awaitingEhloReply;

    public SessionProtocolLogger(IProtocolLogger? log, bool logContent, SecretRedactor redactor)
    {
        _log = log;
        _logContent = logContent;
        _redactor = redactor ?? throw new ArgumentNullException(nameof(redactor));
    }

    /// <summary>The last complete line the server sent ("421 4.7.66 TLS 1.0 and 1.1 are not supported…"), redacted.</summary>
    public string? LastServerLine { get; private set; }

    /// <summary>The server's 4xx or 5xx reply to EHLO in this session ("451 4.7.500 Server busy…"), redacted; null when EHLO was accepted.</summary>
    public string? RefusedEhloReply { get; private set; }

    public IAuthenticationSecretDetector? AuthenticationSecretDetector
    {
        get => _log?.AuthenticationSecretDetector;
        set
        {
            if (_log is not null)
            {
                _log.AuthenticationSecretDetector = value;
            }
        }
    }

    public void LogConnect(Uri uri) => _log?.LogConnect(uri);

    public void LogClient(byte[] buffer, int offset, int count)
    {
        if (_inContent && !_logContent)
        {
            _contentBytes += count;
            return;
        }

        if (count >= 5 && Encoding.ASCII.GetString(buffer, offset, 5).Equals("EHLO ", StringComparison.OrdinalIgnoreCase))
        {
            _awaitingEhloReply = true;
            RefusedEhloReply = null;
        }

        _log?.LogClient(buffer, offset, count);
    }

    public void LogServer(byte[] buffer, int offset, int count)
    {
        if (_inContent)
        {
            // The server answers only after the end of the data: the content is over.
            _inContent = false;
            if (!_logContent && _log is not null)
            {
                var note = Encoding.ASCII.GetBytes($"[message content not logged: {_contentBytes:N0} bytes; -ProtocolLogContent logs it]\r\n");
                _log.LogClient(note, 0, note.Length);
            }
        }

        var text = Encoding.UTF8.GetString(buffer, offset, count);
        Remember(text);
        var redacted = _redactor.Redact(text);
        if (_log is not null)
        {
            if (ReferenceEquals(redacted, text))
            {
                _log.LogServer(buffer, offset, count);
            }
            else
            {
                var bytes = Encoding.UTF8.GetBytes(redacted);
                _log.LogServer(bytes, 0, bytes.Length);
            }
        }
    }

    /// <summary>The logger outlives each client (see <see cref="SharedProtocolLogger"/>).</summary>
    public void Dispose()
    {
    }

    private void Remember(string text)
    {
        foreach (var ch in text)
        {
            if (ch == '\n')
            {
                var line = _serverLine.ToString().TrimEnd('\r');
                _serverLine.Clear();
                LastServerLine = ServerText.Excerpt(_redactor.Redact(line));
                if (_awaitingEhloReply && line.Length >= 3)
                {
                    if (line[0] is '4' or '5' && int.TryParse(line.Substring(0, 3), out _))
                    {
                        RefusedEhloReply = LastServerLine;
                    }

                    // "250-…" continues the reply; "250 …" (or a bare code) ends it.
                    _awaitingEhloReply = line.Length > 3 && line[3] == '-';
                }

                if (line.StartsWith("354", StringComparison.Ordinal))
                {
                    _inContent = true;
                    _contentBytes = 0;
                }
            }
            else if (_serverLine.Length < MaxRememberedLine)
            {
                _serverLine.Append(ch);
            }
        }
    }
}
