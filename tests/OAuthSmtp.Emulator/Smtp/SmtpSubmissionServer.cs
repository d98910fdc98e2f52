using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace OAuthSmtp.Emulator.Smtp;

/// <summary>
/// The emulator's SMTP submission endpoint (smtp.office365.com:587 stand-in) on 127.0.0.1 and a port chosen at start.
/// One task per connection; every read and write is bounded by the idle timeout; disposal stops accepting, ends every
/// session and waits for them (bounded).
/// </summary>
public sealed class SmtpSubmissionServer : IAsyncDisposable
{
    private static readonly TimeSpan StopWait = TimeSpan.FromSeconds(5);

    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<long, Task> _sessions = new();
    private TcpListener? _listener;
    private Task? _acceptLoop;
    private long _nextConnectionId;
    private int _disposed;

    public SmtpSubmissionServer(SmtpServerContext context)
        : this(context, new TenantSubmissionPolicy(context.Tenant, context.TokenValidator, context.Faults.SmtpSettings))
    {
    }

    public SmtpSubmissionServer(SmtpServerContext context, ISubmissionPolicy policy)
    {
        Context = context ?? throw new ArgumentNullException(nameof(context));
        Policy = policy ?? throw new ArgumentNullException(nameof(policy));
        Limits = new MailboxSubmissionLimits(() => context.Faults.SmtpResetGeneration);
    }

    public SmtpServerContext Context { get; }

    public ISubmissionPolicy Policy { get; }

    /// <summary>The bound port (0 before <see cref="StartAsync"/>).</summary>
    public int Port { get; private set; }

    /// <summary>Sessions open right now.</summary>
    public int OpenSessions => _sessions.Count;

    internal MailboxSubmissionLimits Limits { get; }

    /// <summary>Binds 127.0.0.1 on a free port, starts accepting, and returns the port.</summary>
    public Task<int> StartAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (_listener is not null) throw new InvalidOperationException("The SMTP server is already started.");
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start(backlog: 64);
        _listener = listener;
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        _acceptLoop = Task.Run(() => AcceptLoopAsync(listener, _stopping.Token));
        return Task.FromResult(Port);
    }

    private async Task AcceptLoopAsync(TcpListener listener, CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(stopping).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            client.NoDelay = true;
            var id = Interlocked.Increment(ref _nextConnectionId);
            var session = new SmtpSession(this, client, id);
            var task = Task.Run(() => session.RunAsync(stopping));
            _sessions[id] = task;
            _ = task.ContinueWith(_ => _sessions.TryRemove(id, out Task? _), TaskScheduler.Default);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _stopping.Cancel();
        _listener?.Stop();
        var running = _sessions.Values.ToArray();
        var all = Task.WhenAll(running.Append(_acceptLoop ?? Task.CompletedTask));
        await Task.WhenAny(all, Task.Delay(StopWait)).ConfigureAwait(false);

    }
}
