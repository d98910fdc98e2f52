using System;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace OAuthSmtp.PowerShell.Tests.Infrastructure;

/// <summary>
/// A listener on a free loopback port that stands in for a host an attacker controls (an SMTP server, an https
/// authority or Graph endpoint): it counts every connection it is offered and reads what arrives, so a test can
/// prove that nothing, not even a TLS handshake, reached it. It reads the first thing a client sends and closes, so a
/// client that got here (a regression) fails at once instead of waiting out its reply timeout.
/// </summary>
public sealed class CaptureServer : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly byte[] _greeting;
    private int _connections;
    private long _bytes;

    /// <param name="smtpGreeting">Greet like an SMTP server first, so an SMTP client sends its first command.</param>
    public CaptureServer(bool smtpGreeting = false)
    {
        _greeting = smtpGreeting ? System.Text.Encoding.ASCII.GetBytes("220 capture ESMTP\r\n") : Array.Empty<byte>();
        _listener.Start();
        _ = Task.Run(AcceptAsync);
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public int Connections => Volatile.Read(ref _connections);

    public long BytesReceived => Interlocked.Read(ref _bytes);

    public string HttpsUrl => $"https://127.0.0.1:{Port}/";

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is OperationCanceledException or ObjectDisposedException or SocketException)
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
            var buffer = new byte[4096];
            try
            {
                var stream = client.GetStream();
                await stream.WriteAsync(_greeting, _stop.Token).ConfigureAwait(false);
                var read = await stream.ReadAsync(buffer, _stop.Token).ConfigureAwait(false);
                Interlocked.Add(ref _bytes, read);
            }
            catch (Exception exception) when (exception is OperationCanceledException or System.IO.IOException or ObjectDisposedException)
            {
            }
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        _stop.Dispose();
    }
}
