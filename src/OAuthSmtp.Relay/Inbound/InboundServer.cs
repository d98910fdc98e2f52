using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using System.Threading.Tasks;
using OAuthSmtp.Engine.Relay;
using OAuthSmtp.Relay.Configuration;
using SmtpServer;
using SmtpServer.ComponentModel;

namespace OAuthSmtp.Relay.Inbound;

/// <summary>
/// The SmtpServer library configured as the relay's front door: the listen endpoints (loopback unless configured),
/// STARTTLS with the configured certificate (TLS 1.2 and 1.3), AUTH PLAIN/LOGIN advertised before TLS only on
/// endpoints where cleartext AUTH may be allowed, the size limit enforced while reading, and the relay's device
/// rules as SmtpServer's authenticator, mailbox filter and message store.
/// </summary>
internal sealed class InboundServer
{
    private readonly SmtpServer.SmtpServer _server;

    public InboundServer(RelaySettings settings, DeviceDirectory devices, InboundRefusals refusals, AuthLockout lockout, SpoolingMessageStore store, DeviceMailboxFilter filter, InboundProtocolLog protocolLog, X509Certificate2? certificate)
    {
        Gate = new SourceGateListenerFactory(devices, refusals);
        var options = new SmtpServerOptionsBuilder()
            .ServerName(Dns.GetHostName())
            .MaxMessageSize((int)Math.Min(int.MaxValue - 1024, settings.Limits.MaxMessageBytes), MaxMessageSizeHandling.Strict)
            .MaxAuthenticationAttempts(Math.Max(1, settings.Limits.AuthFailuresBeforeLockout))
            .CommandWaitTimeout(TimeSpan.FromMinutes(2));
        var cleartextBeyondLoopback = settings.Configuration.CleartextAuthRanges.Any(r => !AddressRange.Parse(r).IsLoopback);
        foreach (var (endpoint, _) in settings.Listeners)
        {
            // Before STARTTLS, AUTH is offered only where cleartext AUTH can be allowed at all: on a loopback endpoint,
            // where the admin named cleartext ranges beyond loopback, or without a certificate (then the authenticator
            // refuses every address outside the cleartext ranges).
            var cleartextPossible = IPAddress.IsLoopback(endpoint.Address) || cleartextBeyondLoopback || certificate is null;
            options.Endpoint(builder =>
            {
                builder.Endpoint(endpoint)
                    .IsSecure(false)
                    .AuthenticationRequired(false)
                    .AllowUnsecureAuthentication(cleartextPossible)
                    .SessionTimeout(TimeSpan.FromMinutes(10));
                if (certificate is not null)
                {
                    builder.Certificate(certificate).SupportedSslProtocols(SslProtocols.Tls12 | SslProtocols.Tls13);
                }
            });
        }

        var services = new ServiceProvider();
        services.Add(Gate);
        services.Add(new DeviceAuthenticator(devices, refusals, lockout));
        services.Add(filter);
        services.Add(store);
        _server = new SmtpServer.SmtpServer(options.Build(), services);
        _server.SessionCreated += (_, e) => protocolLog.Attach(e.Context);
        _server.SessionCompleted += (_, e) => protocolLog.Session(e.Context, "closed");
        _server.SessionFaulted += (_, e) => protocolLog.Session(e.Context, "faulted: " + e.Exception.GetType().Name);
    }

    public SourceGateListenerFactory Gate { get; }

    public IReadOnlyCollection<IPEndPoint> Bound => Gate.Bound;

    public Task StartAsync(CancellationToken cancellationToken) => _server.StartAsync(cancellationToken);

    public Task ShutdownAsync()
    {
        _server.Shutdown();
        return _server.ShutdownTask;
    }
}
