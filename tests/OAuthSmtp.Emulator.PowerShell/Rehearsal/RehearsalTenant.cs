using System;
using System.Globalization;
using System.Threading;

namespace OAuthSmtp.Emulator.PowerShell.Rehearsal;

/// <summary>
/// The emulated tenant of a person's own pwsh session (Start-EmuTenant / Stop-EmuTenant): one per process, its CA
/// trusted by the current user until it stops (or the process exits), the Graph endpoint variable pointed at it.
/// </summary>
public sealed class RehearsalTenant : IDisposable
{
    /// <summary>Where Test-SmtpOAuthSetup looks for Graph instead of the cloud's (the emulator's Graph has its own port).</summary>
    public const string GraphEndpointVariable = "OAUTHSMTP_GRAPH_ENDPOINT";

    private static readonly object Gate = new();
    private static RehearsalTenant? _current;
    private readonly CurrentUserRootTrust _trust;
    private readonly string? _previousGraphEndpoint;
    private int _stopped;

    private RehearsalTenant(ExchangeOnlineEmulator emulator, CurrentUserRootTrust trust)
    {
        Emulator = emulator;
        _trust = trust;
        _previousGraphEndpoint = Environment.GetEnvironmentVariable(GraphEndpointVariable);
        Environment.SetEnvironmentVariable(GraphEndpointVariable, emulator.GraphEndpoint.ToString());
        // A shell closed without Stop-EmuTenant still takes its root out of the user's store.
        AppDomain.CurrentDomain.ProcessExit += OnProcessExit;
    }

    /// <summary>The running tenant of this process, or null.</summary>
    public static RehearsalTenant? Current
    {
        get
        {
            lock (Gate)
            {
                return _current;
            }
        }
    }

    public ExchangeOnlineEmulator Emulator { get; }

    /// <summary>Whether the emulator's CA is (still) in the current user's Root store.</summary>
    public bool CertificateAuthorityTrusted => _trust.IsTrusted;

    /// <summary>Starts the one tenant of this process; refuses a second while one runs.</summary>
    public static RehearsalTenant Start(Scenario scenario)
    {
        lock (Gate)
        {
            if (_current is not null)
            {
                throw new InvalidOperationException($"An emulated tenant is already running ({_current.Emulator.Current.Domain}). Stop-EmuTenant first, or Reset-EmuTenant -Scenario {scenario} to rebuild it.");
            }

            // No HOME rewrite here: the person's own store trusts the CA, and only until Stop-EmuTenant.
            var emulator = ExchangeOnlineEmulator.StartAsync(new EmulatorOptions { Scenario = scenario, TrustCertificateAuthority = false }).GetAwaiter().GetResult();
            try
            {
                _current = new RehearsalTenant(emulator, new CurrentUserRootTrust(emulator.CertificateAuthority.RootCertificate));
                return _current;
            }
            catch
            {
                emulator.DisposeAsync().AsTask().GetAwaiter().GetResult();
                throw;
            }
        }
    }

    /// <summary>
    /// The one line that creates a profile for this tenant. The secret is read from Get-EmuTenant when the line runs,
    /// so the line itself (and a transcript of it) holds none.
    /// </summary>
    public string ProfileCommand(string profileName)
    {
        var tenant = Emulator.Current;
        var line = string.Create(CultureInfo.InvariantCulture, $"New-SmtpOAuthProfile -Name {profileName} -TenantId {tenant.TenantId} -ClientId {tenant.ClientId} -ClientSecret (ConvertTo-SecureString (Get-EmuTenant).ClientSecret -AsPlainText -Force) -Mailbox {tenant.Mailbox} -AuthorityHost {tenant.AuthorityHost.ToString().TrimEnd('/')} -AllowNonMicrosoftHost -SmtpServer {tenant.SmtpServer} -Port {tenant.SmtpPort}");
        // Without DPAPI the store keeps the (emulator's) secret only with consent.
        return OperatingSystem.IsWindows() ? line : line + " -AllowUnprotectedSecret";
    }

    /// <summary>Stops the emulator, removes the CA from the user's store and restores the Graph endpoint variable.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1)
        {
            return;
        }

        AppDomain.CurrentDomain.ProcessExit -= OnProcessExit;
        lock (Gate)
        {
            if (ReferenceEquals(_current, this))
            {
                _current = null;
            }
        }

        try
        {
            Environment.SetEnvironmentVariable(GraphEndpointVariable, _previousGraphEndpoint);
            Emulator.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
        finally
        {
            _trust.Dispose();
        }
    }

    private void OnProcessExit(object? sender, EventArgs e) => _trust.Dispose();
}
