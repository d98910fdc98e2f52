using System;
using System.IO;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using MailKit;
using MailKit.Net.Smtp;

namespace OAuthSmtp.Engine.Sending;

/// <summary>
/// The connection's byte stream (TLS over <see cref="GuardedSmtpStream"/>, or a recorded transcript), shared by
/// MailKit and by the engine's own pipelined message transaction. MailKit reads and writes through it for the
/// greeting, EHLO, AUTH, RSET and QUIT; between two of MailKit's commands its reader holds no bytes (the server
/// sends nothing unasked), so the engine may write a whole transaction here and read the replies itself.
/// It also hands MailKit the greeting the engine already read before STARTTLS, so MailKit starts as on a new connection.
/// </summary>
internal sealed class SmtpWire : Stream
{
    private readonly Stream _inner;
    private readonly IProtocolLogger _logger;
    private readonly byte[] _replyBuffer = new byte[4096];
    private byte[] _replayed;
    private int _replayedOffset;
    private int _replyStart;
    private int _replyEnd;

    public SmtpWire(Stream inner, IProtocolLogger logger, byte[]? greetingToReplay = null)
    {
        _inner = inner ?? throw new ArgumentNullException(nameof(inner));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _replayed = greetingToReplay ?? Array.Empty<byte>();
    }

    /// <summary>
    /// The engine's own I/O on this connection failed part-way: MailKit does not know, so the session must not reuse it.
    /// </summary>
    public bool Faulted { get; private set; }

    public void MarkFaulted() => Faulted = true;

    /// <summary>Writes commands (logged as the client's lines) without waiting for their replies.</summary>
    public async Task WriteCommandsAsync(Stream target, string commands, CancellationToken cancellationToken)
    {
        var bytes = Encoding.UTF8.GetBytes(commands);
        await target.WriteAsync(bytes, 0, bytes.Length, cancellationToken).ConfigureAwait(false);
        _logger.LogClient(bytes, 0, bytes.Length);
    }

    /// <summary>Notes in the log what was written without writing it there (the message data: it may be megabytes).</summary>
    public void LogClientSummary(string summary)
    {
        var bytes = Encoding.UTF8.GetBytes(summary + "\r\n");
        _logger.LogClient(bytes, 0, bytes.Length);
    }

    /// <summary>
    /// Reads one whole reply, multi-line included (RFC 5321 §4.2.1): the code and the text of every line joined by
    /// '\n', as MailKit reports it. The time and size limits are <see cref="GuardedSmtpStream"/>'s.
    /// </summary>
    public async Task<SmtpReplyLine> ReadReplyAsync(CancellationToken cancellationToken)
    {
        var text = new StringBuilder();
        var code = -1;
        while (true)
        {
            var line = await ReadLineAsync(cancellationToken).ConfigureAwait(false);
            if (line.Length < 3 || !int.TryParse(line.Substring(0, 3), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var lineCode))
            {
                throw new SmtpProtocolException($"The SMTP server sent a line that is not a reply: '{ServerText.Excerpt(line)}'.");
            }

            if (code >= 0 && lineCode != code)
            {
                throw new SmtpProtocolException("The status codes of one multi-line reply from the SMTP server did not match.");
            }

            code = lineCode;
            var more = line.Length > 3 && line[3] == '-';
            if (line.Length > 3 && line[3] != '-' && line[3] != ' ')
            {
                throw new SmtpProtocolException($"The SMTP server sent a line that is not a reply: '{ServerText.Excerpt(line)}'.");
            }

            if (text.Length > 0)
            {
                text.Append('\n');
            }

            text.Append(line.Length > 4 ? line.Substring(4) : string.Empty);
            if (!more)
            {
                return new SmtpReplyLine(code, text.ToString());
            }
        }
    }

    /// <summary>True when the server sent more than the replies the engine asked for (nothing may be left for MailKit).</summary>
    public bool HasUnreadReplyBytes => _replyEnd > _replyStart;

    private async Task<string> ReadLineAsync(CancellationToken cancellationToken)
    {
        var line = new MemoryStream();
        while (true)
        {
            if (_replyStart == _replyEnd)
            {
                var read = await ReadAsync(_replyBuffer, 0, _replyBuffer.Length, cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    throw new SmtpProtocolException("The SMTP server unexpectedly disconnected.");
                }

                _logger.LogServer(_replyBuffer, 0, read);
                _replyStart = 0;
                _replyEnd = read;
            }

            var newline = Array.IndexOf(_replyBuffer, (byte)'\n', _replyStart, _replyEnd - _replyStart);
            var end = newline < 0 ? _replyEnd : newline;
            line.Write(_replyBuffer, _replyStart, end - _replyStart);
            _replyStart = newline < 0 ? _replyEnd : newline + 1;
            if (newline >= 0)
            {
                var bytes = line.ToArray();
                var length = bytes.Length > 0 && bytes[bytes.Length - 1] == (byte)'\r' ? bytes.Length - 1 : bytes.Length;
                return Encoding.UTF8.GetString(bytes, 0, length);
            }
        }
    }

    public override bool CanRead => true;

    public override bool CanWrite => true;

    public override bool CanSeek => false;

    public override bool CanTimeout => _inner.CanTimeout;

    public override int ReadTimeout
    {
        get => _inner.ReadTimeout;
        set => _inner.ReadTimeout = value;
    }

    public override int WriteTimeout
    {
        get => _inner.WriteTimeout;
        set => _inner.WriteTimeout = value;
    }

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count)
    {
        if (TryReadReplayed(buffer, offset, count, out var read))
        {
            return read;
        }

        return _inner.Read(buffer, offset, count);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        if (TryReadReplayed(buffer, offset, count, out var read))
        {
            return Task.FromResult(read);
        }

        return _inner.ReadAsync(buffer, offset, count, cancellationToken);
    }

    public override void Write(byte[] buffer, int offset, int count) => _inner.Write(buffer, offset, count);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        _inner.WriteAsync(buffer, offset, count, cancellationToken);

    public override void Flush() => _inner.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => _inner.FlushAsync(cancellationToken);

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }

    private bool TryReadReplayed(byte[] buffer, int offset, int count, out int read)
    {
        if (_replayedOffset >= _replayed.Length)
        {
            _replayed = Array.Empty<byte>();
            read = 0;
            return false;
        }

        read = Math.Min(count, _replayed.Length - _replayedOffset);
        Array.Copy(_replayed, _replayedOffset, buffer, offset, read);
        _replayedOffset += read;
        return true;
    }
}
