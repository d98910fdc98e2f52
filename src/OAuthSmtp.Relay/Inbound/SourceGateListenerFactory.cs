using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using SmtpServer;
using SmtpServer.IO;
using SmtpServer.Net;

namespace OAuthSmtp.Relay.Inbound;

/// <summary>
/// SmtpServer's listener with the relay's door rules in front: a connection from an address that is neither loopback
/// nor allowed (relay-wide or as a device's source), or beyond the per-source connection limit, gets one 554 line and
/// is closed before SmtpServer sees it. Records the ports actually bound (port 0 picks a free one).
/// </summary>
internal sealed class SourceGateListenerFactory : IEndpointListenerFactory
{
    private readonly DeviceDirectory _devices;
    private readonly InboundRefusals _refusals;
    private readonly ConcurrentDictionary<IPAddress, int> _open = new();

    public SourceGateListenerFactory(DeviceDirectory devices, InboundRefusals refusals)
    {
        _devices = devices;
        _refusals = refusals;
    }

    public ConcurrentBag<IPEndPoint> Bound { get; } = new();

    public int OpenConnections
    {
        get
        {
            var total = 0;
            foreach (var pair in _open)
            {
                total += pair.Value;
            }

            return total;
        }
    }

    public IEndpointListener CreateListener(IEndpointDefinition endpointDefinition)
    {
        var listener = new TcpListener(endpointDefinition.Endpoint);
        listener.Start();
        Bound.Add((IPEndPoint)listener.LocalEndpoint);
        return new Listener(this, listener, (IPEndPoint)listener.LocalEndpoint);
    }

    private bool TryOpen(IPAddress address, int limit)
    {
        while (true)
        {
            var current = _open.GetOrAdd(address, 0);
            if (current >= limit)
            {
                return false;
            }

            if (_open.TryUpdate(address, current + 1, current))
            {
                return true;
            }
        }
    }

    private void Close(IPAddress address) => _open.AddOrUpdate(address, 0, (_, count) => Math.Max(0, count - 1));

    private sealed class Listener : IEndpointListener
    {
        private readonly SourceGateListenerFactory _factory;
        private readonly TcpListener _listener;
        private readonly IPEndPoint _configured;

        public Listener(SourceGateListenerFactory factory, TcpListener listener, IPEndPoint configured)
        {
            _factory = factory;
            _listener = listener;
            _configured = configured;
        }

        public async Task<ISecurableDuplexPipe> GetPipeAsync(ISessionContext context, CancellationToken cancellationToken)
        {
            while (true)
            {
                var client = await _listener.AcceptTcpClientAsync(cancellationToken).ConfigureAwait(false);
                var remote = (IPEndPoint)client.Client.RemoteEndPoint!;
                var address = DeviceDirectory.Normalize(remote.Address);
                string? refusal = null;
                string? reason = null;
                if (!_factory._devices.Admits(_configured, address))
                {
                    refusal = "554 5.7.1 This relay does not accept connections from " + address + " (not in its source allow-list)";
                    reason = "SourceNotAllowed";
                }
                else if (!_factory.TryOpen(address, Math.Max(1, _factory._devices.Settings.Limits.MaxConnectionsPerSource)))
                {
                    refusal = "421 4.7.0 Too many connections from " + address + "; try again later";
                    reason = "ConnectionLimit";
                }

                if (refusal is not null)
                {
                    _factory._refusals.Log(address.ToString(), null, int.Parse(refusal.AsSpan(0, 3), provider: System.Globalization.CultureInfo.InvariantCulture), refusal.Substring(4), reason!);
                    await RefuseAsync(client, refusal).ConfigureAwait(false);
                    continue;
                }

                context.Properties[EndpointListener.LocalEndPointKey] = _listener.LocalEndpoint;
                context.Properties[EndpointListener.RemoteEndPointKey] = remote;
                var released = 0;
                return new DevicePipe(client.GetStream(), () =>
                {
                    if (Interlocked.Exchange(ref released, 1) == 0)
                    {
                        _factory.Close(address);
                    }

                    client.Dispose();
                });
            }
        }

        public void Dispose() => _listener.Stop();

        private static async Task RefuseAsync(TcpClient client, string reply)
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await client.GetStream().WriteAsync(Encoding.ASCII.GetBytes(reply + "\r\n"), timeout.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException)
            {
            }
            finally
            {
                client.Dispose();
            }
        }
    }
}
