using System;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace OAuthSmtp.PowerShell.Tests.Sending;

/// <summary>
/// A server on a free loopback port that only counts the connections it is offered and the bytes it receives: the
/// place an attacker's CSV column or a leaked password would reach. Tests assert it received nothing.
/// </summary>
internal sealed class LoopbackCaptureServer : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private int _connections;
    private long _bytes;

    public LoopbackCaptureServer()
    {
        _listener.Start();
        _ = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public int Connections => Volatile.Read(ref _connections);

    public long BytesReceived => Interlocked.Read(ref _bytes);

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is ObjectDisposedException || ex is SocketException || ex is InvalidOperationException)
            {
                return;
            }

            Interlocked.Increment(ref _connections);
            _ = DrainAsync(client);
        }
    }

    private async Task DrainAsync(TcpClient client)
    {
        using (client)
        {
            var stream = client.GetStream();
            var buffer = new byte[4096];
            try
            {
                // An SMTP greeting, then the first command is read and the connection closed: a client that got here
                // (a regression) fails at once with a lost connection instead of waiting out its reply timeout.
                var banner = System.Text.Encoding.ASCII.GetBytes("220 capture ESMTP\r\n");
                await stream.WriteAsync(banner, _stop.Token).ConfigureAwait(false);
                var read = await stream.ReadAsync(buffer, _stop.Token).ConfigureAwait(false);
                Interlocked.Add(ref _bytes, read);
            }
            catch (Exception ex) when (ex is OperationCanceledException || ex is System.IO.IOException || ex is ObjectDisposedException)
            {
            }
        }
    }
}
