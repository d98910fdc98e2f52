using System;
using System.Collections.Generic;
using System.IO;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace OAuthSmtp.Emulator.Tests.Smtp;

/// <summary>A bare SMTP client for wire-level tests: send exact lines, read whole replies, upgrade with STARTTLS.</summary>
internal sealed class RawSmtpConnection : IAsyncDisposable
{
    private readonly TcpClient _client;
    private Stream _stream;
    private readonly List<byte> _buffer = new();

    private RawSmtpConnection(TcpClient client)
    {
        _client = client;
        _stream = client.GetStream();
    }

    public static async Task<RawSmtpConnection> ConnectAsync(int port)
    {
        var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", port);
        return new RawSmtpConnection(client);
    }

    public async Task SendAsync(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        await _stream.WriteAsync(bytes);
        await _stream.FlushAsync();
    }

    public Task SendLineAsync(string line) => SendAsync(line + "\r\n");

    public async Task SendBytesAsync(byte[] bytes)
    {
        await _stream.WriteAsync(bytes);
        await _stream.FlushAsync();
    }

    /// <summary>
    /// How long a read waits by default: only a guard that turns a server that never answers into a failure; every
    /// reply these tests expect comes at once, so a busy machine must not reach it (it was 5 s).
    /// </summary>
    public const int HangGuardMs = 60_000;

    /// <summary>One whole reply (all its lines), or throws on timeout / end of stream.</summary>
    public async Task<IReadOnlyList<string>> ReadReplyAsync(int timeoutMs = HangGuardMs)
    {
        var lines = new List<string>();
        while (true)
        {
            var line = await ReadLineAsync(timeoutMs);
            if (line is null) throw new EndOfStreamException("The server closed the connection. Lines so far: " + string.Join(" | ", lines));
            lines.Add(line);
            if (line.Length < 4 || line[3] != '-') return lines;
        }
    }

    /// <summary>The single-line reply's text.</summary>
    public async Task<string> ReadLineReplyAsync(int timeoutMs = HangGuardMs) => string.Join("\n", await ReadReplyAsync(timeoutMs));

    public async Task<string> CommandAsync(string line)
    {
        await SendLineAsync(line);
        return await ReadLineReplyAsync();
    }

    /// <summary>True when the server closed the connection (reads end of stream) within the timeout.</summary>
    public async Task<bool> IsClosedAsync(int timeoutMs = HangGuardMs)
    {
        try
        {
            return await ReadLineAsync(timeoutMs) is null;
        }
        catch (IOException)
        {
            return true;
        }
    }

    public async Task StartTlsAsync(X509Certificate2 expected, SslProtocols protocols = SslProtocols.Tls12 | SslProtocols.Tls13)
    {
        var ssl = new SslStream(_stream, leaveInnerStreamOpen: false, (_, certificate, _, _) => certificate?.GetCertHashString() == expected.GetCertHashString());
        await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "localhost",
            EnabledSslProtocols = protocols,
        });
        _stream = ssl;
    }

    /// <summary>Connects, reads the banner, EHLO, STARTTLS and EHLO again: ready for AUTH.</summary>
    public static async Task<RawSmtpConnection> ConnectSecuredAsync(SmtpTestHost host, bool ehloAfterTls = true)
    {
        var connection = await ConnectAsync(host.Port);
        await connection.ReadReplyAsync();
        await connection.SendLineAsync("EHLO client.test");
        await connection.ReadReplyAsync();
        await connection.SendLineAsync("STARTTLS");
        await connection.ReadReplyAsync();
        await connection.StartTlsAsync(host.ServerCertificate);
        if (ehloAfterTls)
        {
            await connection.SendLineAsync("EHLO client.test");
            await connection.ReadReplyAsync();
        }

        return connection;
    }

    /// <summary>One raw line (null at end of stream), for replies that never end.</summary>
    public Task<string?> ReadRawLineAsync(int timeoutMs = HangGuardMs) => ReadLineAsync(timeoutMs);

    private async Task<string?> ReadLineAsync(int timeoutMs)
    {
        using var timeout = new CancellationTokenSource(timeoutMs);
        var chunk = new byte[4096];
        while (true)
        {
            var newline = _buffer.IndexOf((byte)'\n');
            if (newline >= 0)
            {
                var line = Encoding.UTF8.GetString(_buffer.GetRange(0, newline + 1).ToArray()).TrimEnd('\r', '\n');
                _buffer.RemoveRange(0, newline + 1);
                return line;
            }

            var read = await _stream.ReadAsync(chunk, timeout.Token);
            if (read == 0) return null;
            for (var i = 0; i < read; i++) _buffer.Add(chunk[i]);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stream.DisposeAsync();
        _client.Dispose();
    }
}
