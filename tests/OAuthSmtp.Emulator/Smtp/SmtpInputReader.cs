using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace OAuthSmtp.Emulator.Smtp;

/// <summary>
/// Buffered reads from the client: command lines (bounded), message data lines, and exact byte counts for BDAT.
/// Every read waits at most the idle timeout. <see cref="HasBufferedInput"/> tells the session whether the client
/// already sent more (pipelining), so replies are flushed only when the server would otherwise wait.
/// </summary>
internal sealed class SmtpInputReader
{
    private readonly byte[] _buffer = new byte[16 * 1024];
    private readonly Func<TimeSpan> _idleTimeout;
    private Stream _stream;
    private int _start;
    private int _end;

    public SmtpInputReader(Stream stream, Func<TimeSpan> idleTimeout)
    {
        _stream = stream;
        _idleTimeout = idleTimeout;
    }

    public bool HasBufferedInput => _end > _start;

    /// <summary>After STARTTLS: read from the TLS stream. Plain-text bytes the client sent early are discarded (RFC 3207 §4.2).</summary>
    public void SwitchTo(Stream stream)
    {
        _stream = stream;
        _start = _end = 0;
    }

    /// <summary>
    /// One line up to and including LF, or <paramref name="maxLength"/> bytes if no LF came by then (Complete = false).
    /// Null at end of stream.
    /// </summary>
    public async ValueTask<LineSegment?> ReadLineAsync(int maxLength, CancellationToken cancellationToken)
    {
        var collected = new MemoryStream();
        while (true)
        {
            if (_end == _start && !await FillAsync(cancellationToken).ConfigureAwait(false))
            {
                return collected.Length == 0 ? null : new LineSegment(collected.ToArray(), Complete: false);
            }

            var available = _end - _start;
            var room = maxLength - (int)collected.Length;
            var scan = Math.Min(available, room);
            var newline = Array.IndexOf(_buffer, (byte)'\n', _start, scan);
            if (newline >= 0)
            {
                var take = newline - _start + 1;
                collected.Write(_buffer, _start, take);
                _start += take;
                return new LineSegment(collected.ToArray(), Complete: true);
            }

            collected.Write(_buffer, _start, scan);
            _start += scan;
            if (collected.Length >= maxLength)
            {
                return new LineSegment(collected.ToArray(), Complete: false);
            }
        }
    }

    /// <summary>Discards input up to and including the next LF (the rest of an over-long line).</summary>
    public async ValueTask SkipLineAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var segment = await ReadLineAsync(64 * 1024, cancellationToken).ConfigureAwait(false);
            if (segment is null || segment.Value.Complete) return;
        }
    }

    /// <summary>Copies exactly <paramref name="count"/> bytes into <paramref name="sink"/> (null discards them). False if the client left early.</summary>
    public async ValueTask<bool> ReadExactAsync(long count, Stream? sink, CancellationToken cancellationToken)
    {
        while (count > 0)
        {
            if (_end == _start && !await FillAsync(cancellationToken).ConfigureAwait(false)) return false;
            var take = (int)Math.Min(count, _end - _start);
            sink?.Write(_buffer, _start, take);
            _start += take;
            count -= take;
        }

        return true;
    }

    private async ValueTask<bool> FillAsync(CancellationToken cancellationToken)
    {
        _start = _end = 0;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_idleTimeout());
        int read;
        try
        {
            read = await _stream.ReadAsync(_buffer.AsMemory(), timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException("The client sent nothing within the idle timeout.");
        }

        _end = read;
        return read > 0;
    }
}

/// <summary>Bytes of one input line; Complete is false when the line was cut at the length limit or by end of stream.</summary>
internal readonly record struct LineSegment(byte[] Bytes, bool Complete);
