using System;
using System.IO;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace OAuthSmtp.Engine.Sending;

/// <summary>
/// The TCP stream under MailKit (and under TLS after STARTTLS) with two limits MailKit does not have: a reply must
/// arrive completely within the timeout after the command that asked for it, and the server may send at most
/// <see cref="MaxBytesPerReply"/> bytes between two commands. MailKit's own timeout restarts with every byte, so
/// a server that trickles, or sends an endless or oversized reply, would otherwise hold the client forever and
/// make it buffer the whole reply (hundreds of megabytes) in memory.
/// </summary>
internal sealed class GuardedSmtpStream : Stream
{
    /// <summary>Far above any real reply (Exchange's EHLO reply is about 250 bytes, 500 pipelined RCPT replies about 15 KB).</summary>
    public const int MaxBytesPerReply = 1024 * 1024;

    private readonly NetworkStream _inner;
    private readonly int _timeoutMs;
    private readonly string _server;
    private long _bytesSinceWrite;
    private DateTime _replyDeadline;

    private GuardedSmtpStream(NetworkStream inner, int timeoutMs, string server)
    {
        _inner = inner;
        _timeoutMs = timeoutMs;
        _server = server;
        _replyDeadline = DateTime.UtcNow.AddMilliseconds(timeoutMs);
    }

    /// <summary>Opens a TCP connection within the timeout; the greeting must then arrive within the timeout too.</summary>
    public static async Task<GuardedSmtpStream> ConnectAsync(string host, int port, int timeoutMs, CancellationToken cancellationToken)
    {
        var client = new TcpClient { NoDelay = true };
        try
        {
            var connect = client.ConnectAsync(host, port);
            using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                timeout.CancelAfter(timeoutMs);
                var finished = await Task.WhenAny(connect, Task.Delay(Timeout.Infinite, timeout.Token)).ConfigureAwait(false);
                if (finished != connect)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    throw new TimeoutException($"{host}:{port} did not accept a TCP connection within {timeoutMs / 1000.0:0.#} s.");
                }
            }

            await connect.ConfigureAwait(false);
            return new GuardedSmtpStream(client.GetStream(), timeoutMs, $"{host}:{port}");
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    public override bool CanRead => true;

    public override bool CanWrite => true;

    public override bool CanSeek => false;

    public override bool CanTimeout => true;

    public override int ReadTimeout
    {
        get => _timeoutMs;
        set { }
    }

    public override int WriteTimeout
    {
        get => _timeoutMs;
        set { }
    }

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) =>
        ReadAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();

    public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        var remaining = _replyDeadline - DateTime.UtcNow;
        if (remaining <= TimeSpan.Zero)
        {
            throw NoReply();
        }

        int read;
        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        using (timeout.Token.Register(CloseOnTimeout))
        {
            // Closing the socket is what ends a pending read on .NET Framework, whose NetworkStream ignores the token.
            timeout.CancelAfter(remaining);
            try
            {
                read = await _inner.ReadAsync(buffer, offset, count, timeout.Token).ConfigureAwait(false);
            }
            catch (Exception) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw NoReply();
            }
        }

        _bytesSinceWrite += read;
        if (_bytesSinceWrite > MaxBytesPerReply)
        {
            throw new IOException($"{_server} sent more than {MaxBytesPerReply / 1024} KB without waiting for a command: that is not an SMTP reply, so the connection was closed.");
        }

        return read;
    }

    public override void Write(byte[] buffer, int offset, int count) =>
        WriteAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();

    public override async Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        using (timeout.Token.Register(CloseOnTimeout))
        {
            timeout.CancelAfter(_timeoutMs);
            try
            {
                await _inner.WriteAsync(buffer, offset, count, timeout.Token).ConfigureAwait(false);
            }
            catch (Exception) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"{_server} took more than {_timeoutMs / 1000.0:0.#} s to accept data.");
            }
        }

        // A command went out: its reply gets a fresh budget of time and bytes.
        _bytesSinceWrite = 0;
        _replyDeadline = DateTime.UtcNow.AddMilliseconds(_timeoutMs);
    }

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

    private void CloseOnTimeout() => _inner.Dispose();

    private TimeoutException NoReply() =>
        new($"{_server} did not send a complete reply within {_timeoutMs / 1000.0:0.#} s.");
}
