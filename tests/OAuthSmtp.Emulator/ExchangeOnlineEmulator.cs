using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OAuthSmtp.Emulator.Graph;
using OAuthSmtp.Emulator.Host;
using OAuthSmtp.Emulator.ManagedIdentity;
using OAuthSmtp.Emulator.Model;
using OAuthSmtp.Emulator.Scenarios;
using OAuthSmtp.Emulator.Smtp;
using OAuthSmtp.Emulator.Tokens;

namespace OAuthSmtp.Emulator;

/// <summary>
/// Exchange Online on 127.0.0.1: one <see cref="TenantModel"/> behind a token service (HTTPS, Entra-shaped), a Graph
/// surface on the same listener, a managed-identity endpoint (HTTP, App Service protocol) and the SMTP submission
/// server. Everything binds to port 0 and learns its port at start; <see cref="DisposeAsync"/> stops it all.
/// </summary>
public sealed class ExchangeOnlineEmulator : IAsyncDisposable
{
    private readonly WebApplication _web;
    private IAsyncDisposable? _smtpServer;
    private ScenarioInfo _current = null!;
    private readonly System.Collections.Concurrent.ConcurrentQueue<Exception> _unhandled = new();
    private int _disposed;
    private IReadOnlyDictionary<ChangeKind, TimeSpan> _propagationDelays = PropagationDefaults.Realistic;

    private ExchangeOnlineEmulator(WebApplication web)
    {
        _web = web;
        Clock = new EmulatorClock();
        Tenant = new TenantModel(Clock);
        TokenValidator = new AccessTokenValidator(Clock);
        Tokens = new TokenService(this);
        Graph = new GraphSurface(this);
        ManagedIdentity = new ManagedIdentityEndpoint(this);
        Control = new TenantControl(this);
    }

    public TenantModel Tenant { get; }

    public EmulatorClock Clock { get; }

    public EmulatorFaults Faults { get; } = new();

    public EmulatorStatistics Statistics { get; } = new();

    public DeliveredMessageStore Delivered { get; } = new();

    public EmulatorCertificateAuthority CertificateAuthority { get; } = EmulatorCertificateAuthority.Instance;

    public AccessTokenValidator TokenValidator { get; }

    /// <summary>Portal-style changes to the Entra side (expire the secret, consent, disable, certificates, policies).</summary>
    public TenantControl Control { get; }

    /// <summary>The token service: device-code approval and the other user steps tests drive.</summary>
    public TokenService Tokens { get; }

    internal GraphSurface Graph { get; }

    internal ManagedIdentityEndpoint ManagedIdentity { get; }

    /// <summary>https://localhost:&lt;port&gt; (authority host for MSAL: append the tenant).</summary>
    public Uri AuthorityHost { get; private set; } = null!;

    public int TokenServicePort { get; private set; }

    public string SmtpHost => "localhost";

    /// <summary>The SMTP port; 0 when the SMTP server was not started.</summary>
    public int SmtpPort { get; private set; }

    /// <summary>https://localhost:&lt;port&gt;/graph/v1.0/ (stands in for https://graph.microsoft.com/v1.0/).</summary>
    public Uri GraphEndpoint { get; private set; } = null!;

    /// <summary>
    /// http://127.0.0.1:&lt;port&gt;/msi/token: the App Service managed-identity endpoint. Set IDENTITY_ENDPOINT to it and
    /// IDENTITY_HEADER to <see cref="ManagedIdentityHeader"/> (see <see cref="ApplyManagedIdentityEnvironment"/>).
    /// </summary>
    public Uri ManagedIdentityEndpoint { get; private set; } = null!;

    /// <summary>The secret the managed-identity endpoint expects in X-IDENTITY-HEADER (random per emulator).</summary>
    public string ManagedIdentityHeader { get; } = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));

    /// <summary>Exceptions the HTTP endpoints did not handle (emulator bugs); tests may assert it stays empty.</summary>
    public IReadOnlyCollection<Exception> UnhandledErrors => _unhandled.ToArray();

    /// <summary>What the current scenario created.</summary>
    public ScenarioInfo Current => Volatile.Read(ref _current);

    /// <summary>Whether an SMTP server is running.</summary>
    public bool SmtpServerRunning => _smtpServer is not null;

    public static async Task<ExchangeOnlineEmulator> StartAsync(EmulatorOptions? options = null, CancellationToken ct = default)
    {
        options ??= new EmulatorOptions();
        var authority = EmulatorCertificateAuthority.Instance;
        if (options.TrustCertificateAuthority && !OperatingSystem.IsWindows())
        {
            TestEnvironment.UseIsolatedHome();
            authority.TrustInCurrentUserRootStore();
        }

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = typeof(ExchangeOnlineEmulator).Assembly.GetName().Name });
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrelCore();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(authority.ServerCertificate));
            kestrel.Listen(IPAddress.Loopback, 0);
        });
        builder.Services.AddRoutingCore();
        var web = builder.Build();
        var emulator = new ExchangeOnlineEmulator(web);
        emulator._propagationDelays = options.PropagationDelays ?? PropagationDefaults.Realistic;
        try
        {
            emulator.MapEndpoints();
            await web.StartAsync(ct).ConfigureAwait(false);
            emulator.LearnAddresses();
            if (options.StartSmtpServer)
            {
                await emulator.StartSmtpServerAsync(ct).ConfigureAwait(false);
            }

            emulator.Reset(options.Scenario);

            return emulator;
        }
        catch
        {
            await emulator.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Rebuilds the tenant from scratch in the given state; clears faults, statistics, delivered mail and the clock.</summary>
    public ScenarioInfo Reset(Scenario scenario)
    {
        Faults.Reset();
        Statistics.Reset();
        Delivered.Clear();
        Tokens.ResetState();
        Clock.Reset();
        var info = ScenarioBuilder.Build(this, scenario);
        lock (Tenant.SyncRoot)
        {
            foreach (var (kind, delay) in _propagationDelays) Tenant.PropagationDelays[kind] = delay;
        }

        Volatile.Write(ref _current, info);
        return info;
    }

    /// <summary>
    /// Sets the environment a managed identity's host gives a process, so MSAL's ManagedIdentityApplication reaches this
    /// emulator: App Service sets IDENTITY_ENDPOINT and IDENTITY_HEADER; on an Azure VM MSAL calls IMDS at
    /// http://169.254.169.254, which AZURE_POD_IDENTITY_AUTHORITY_HOST overrides (MSAL.NET ImdsManagedIdentitySource).
    /// MSAL caches the IMDS address per process, so this also clears that cache in every loaded MSAL. Returns a scope
    /// that restores the previous values.
    /// </summary>
    public IDisposable ApplyManagedIdentityEnvironment(ManagedIdentityHost host = ManagedIdentityHost.AppService)
    {
        var imdsBase = $"http://127.0.0.1:{ManagedIdentityEndpoint.Port}";
        var scope = host == ManagedIdentityHost.AzureVm
            ? new EnvironmentScope(("IDENTITY_ENDPOINT", null), ("IDENTITY_HEADER", null), ("IMDS_ENDPOINT", null), ("MSI_ENDPOINT", null),
                ("AZURE_POD_IDENTITY_AUTHORITY_HOST", imdsBase))
            : new EnvironmentScope(("IDENTITY_ENDPOINT", ManagedIdentityEndpoint.ToString()), ("IDENTITY_HEADER", ManagedIdentityHeader));
        OAuthSmtp.Emulator.ManagedIdentity.ManagedIdentityEndpoint.ForgetMsalImdsEndpoint();
        return scope;
    }

    /// <summary>http://127.0.0.1:&lt;port&gt;/metadata/identity/oauth2/token: the Azure VM (IMDS) token endpoint.</summary>
    public Uri ImdsTokenEndpoint => new($"http://127.0.0.1:{ManagedIdentityEndpoint.Port}{OAuthSmtp.Emulator.ManagedIdentity.ManagedIdentityEndpoint.ImdsTokenPath}");

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        if (_smtpServer is not null)
        {
            await _smtpServer.DisposeAsync().ConfigureAwait(false);
        }

        await _web.StopAsync().ConfigureAwait(false);
        await _web.DisposeAsync().ConfigureAwait(false);
    }

    private void MapEndpoints()
    {
        _web.Use(async (context, next) =>
        {
            try
            {
                await next().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // A bug in the emulator, not a behaviour of Entra: keep it for the test to see, answer 500.
                _unhandled.Enqueue(ex);
                if (!context.Response.HasStarted)
                {
                    context.Response.StatusCode = 500;
                }
            }
        });
        _web.Use(ListenerSeparation.Middleware);
        Tokens.Map(_web);
        Graph.Map(_web);
        ManagedIdentity.Map(_web);
    }

    private void LearnAddresses()
    {
        var addresses = _web.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses
            .Select(a => new Uri(a)).ToList();
        var https = addresses.Single(a => a.Scheme == Uri.UriSchemeHttps);
        var http = addresses.Single(a => a.Scheme == Uri.UriSchemeHttp);
        TokenServicePort = https.Port;
        AuthorityHost = new Uri($"https://localhost:{https.Port}/");
        GraphEndpoint = new Uri(AuthorityHost, "graph/v1.0/");
        ManagedIdentityEndpoint = new Uri($"http://127.0.0.1:{http.Port}/msi/token");
    }

    private async Task StartSmtpServerAsync(CancellationToken ct)
    {
        var context = new SmtpServerContext
        {
            Tenant = Tenant,
            Clock = Clock,
            Faults = Faults,
            Statistics = Statistics,
            Delivered = Delivered,
            TokenValidator = TokenValidator,
            ServerCertificate = CertificateAuthority.ServerCertificate,
            HostName = SmtpHost,
        };
        var server = new SmtpSubmissionServer(context);
        _smtpServer = server;
        SmtpPort = await server.StartAsync(ct).ConfigureAwait(false);
    }
}
