using System;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using OAuthSmtp.Emulator;
using OAuthSmtp.Emulator.PowerShell;
using OAuthSmtp.Emulator.Scenarios;
using OAuthSmtp.Hosting;
using Xunit;
using OAuthSmtp.Emulator.Model;

namespace OAuthSmtp.PowerShell.Tests.Infrastructure;

/// <summary>
/// One emulator per test class (IClassFixture&lt;EmulatorFixture&gt;), trusted through a test-only HOME.
/// <see cref="NewSession"/> gives each test a fresh runspace with OAuthSmtp, the emulator's Exchange admin and
/// control modules, the emulator in $OAuthSmtpEmulator, and an empty profile store of its own (OAUTHSMTP_HOME).
/// </summary>
public sealed class EmulatorFixture : IAsyncLifetime
{
    private ExchangeOnlineEmulator? _emulator;

    public ExchangeOnlineEmulator Emulator => _emulator ?? throw new InvalidOperationException("The emulator has not started.");

    public async Task InitializeAsync()
    {
        TestEnvironment.UseIsolatedHome();
        _emulator = await ExchangeOnlineEmulator.StartAsync(new EmulatorOptions { PropagationDelays = PropagationDefaults.Quick });
        _emulator.CertificateAuthority.TrustInCurrentUserRootStore();
    }

    /// <summary>
    /// A fresh session on a tenant reset to <paramref name="scenario"/>, with an empty profile store.
    /// Statistics and faults start from zero.
    /// </summary>
    /// <param name="hostName">$Host.Name of the session (null: the test host's own).</param>
    /// <param name="configure">Changes to the session's options (an interactive host that answers -Confirm prompts).</param>
    public PowerShellSession NewSession(Scenario scenario = Scenario.Ready, bool connectExchange = true, string? hostName = null, Action<PowerShellSessionOptions>? configure = null)
    {
        Emulator.Reset(scenario);
        Emulator.Statistics.Reset();
        ProfileHome = Path.Combine(Path.GetTempPath(), "oauthsmtp-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(ProfileHome);
        Environment.SetEnvironmentVariable("OAUTHSMTP_HOME", ProfileHome);

        var options = PowerShellSessionOptions.WithOAuthSmtp();
        options.Modules.Add(EmulatorModules.ExchangeModulePath);
        options.Modules.Add(EmulatorModules.GraphModulePath);
        options.Modules.Add(EmulatorModules.ControlModulePath);
        options.Variables["OAuthSmtpEmulator"] = Emulator;
        if (hostName is not null)
        {
            options.HostName = hostName;
        }

        configure?.Invoke(options);
        var session = new PowerShellSession(options);
        var prepare = session.Run(
            "$global:EmuTenant = Get-EmuTenant" + Environment.NewLine +
            (connectExchange ? "Connect-ExchangeOnline -UserPrincipalName ('admin@' + $EmuTenant.Domain) -ShowBanner:$false" : string.Empty));
        if (prepare.HadTerminatingError || prepare.Errors.Count > 0)
        {
            session.Dispose();
            throw new InvalidOperationException("Preparing the session failed: " + prepare.ErrorText);
        }

        return session;
    }

    /// <summary>The Graph scopes <see cref="NewAdminSession"/> asks Connect-MgGraph for unless told otherwise (what a setup needs).</summary>
    public static readonly string[] SetupGraphScopes =
    {
        "Application.ReadWrite.All", "AppRoleAssignment.ReadWrite.All", "DelegatedPermissionGrant.ReadWrite.All", "User.Read",
    };

    /// <summary>
    /// A fresh session on a tenant reset to <paramref name="scenario"/> (Empty by default: an administrator and mailboxes,
    /// no app), signed in as the administrator admin@contoso.com: Connect-ExchangeOnline and Connect-MgGraph -Scopes
    /// <paramref name="graphScopes"/> (default <see cref="SetupGraphScopes"/>). <paramref name="adminRoles"/> sets the
    /// administrator's directory roles before the sign-in (null: Global Administrator; empty: none), as Set-EmuAdmin
    /// -Roles does. With no role that may consent, ".All" scopes are refused at sign-in, so pass
    /// <paramref name="consentedScopes"/> to model scopes consented earlier by someone else. Statistics start at zero
    /// after the sign-ins, so Get-EmuStatistics GraphWrites/ExchangeChanges count only what the test does.
    /// </summary>
    public PowerShellSession NewAdminSession(
        Scenario scenario = Scenario.Empty,
        string[]? adminRoles = null,
        string[]? graphScopes = null,
        string[]? consentedScopes = null,
        bool connectExchange = true,
        bool connectGraph = true,
        string? hostName = null,
        Action<PowerShellSessionOptions>? configure = null)
    {
        var session = NewSession(scenario, connectExchange: false, hostName, configure);
        Emulator.Control.SetAdministrator(adminRoles, consentedScopes);
        var scopes = string.Join(",", (graphScopes ?? SetupGraphScopes).Select(s => "'" + s.Replace("'", "''", StringComparison.Ordinal) + "'"));
        var prepare = session.Run(
            (connectExchange ? "Connect-ExchangeOnline -UserPrincipalName $EmuTenant.Administrator -ShowBanner:$false" + Environment.NewLine : string.Empty) +
            (connectGraph ? (graphScopes is { Length: 0 } ? "Connect-MgGraph -NoWelcome" : $"Connect-MgGraph -Scopes {scopes} -NoWelcome") : string.Empty));
        if (prepare.HadTerminatingError || prepare.Errors.Count > 0)
        {
            session.Dispose();
            throw new InvalidOperationException("Preparing the administrator session failed: " + prepare.ErrorText);
        }

        Emulator.Statistics.Reset();
        return session;
    }

    /// <summary>The profile store folder of the last session made.</summary>
    public string ProfileHome { get; private set; } = string.Empty;

    /// <summary>
    /// PowerShell that creates a client-secret profile named <paramref name="name"/> for the emulated tenant
    /// ($EmuTenant must exist in the session).
    /// </summary>
    public static string NewProfileScript(string name = "Emu") => $$"""
        $secret = [System.Net.NetworkCredential]::new('', $EmuTenant.ClientSecret).SecurePassword
        $null = New-SmtpOAuthProfile -Name '{{name}}' -TenantId $EmuTenant.TenantId -ClientId $EmuTenant.ClientId -ClientSecret $secret `
            -Mailbox $EmuTenant.Mailbox -AuthorityHost $EmuTenant.AuthorityHost -AllowNonMicrosoftHost -SmtpServer $EmuTenant.SmtpServer -Port $EmuTenant.SmtpPort `
            -AllowUnprotectedSecret -Force -Confirm:$false
        """;

    public async Task DisposeAsync()
    {
        if (_emulator is not null)
        {
            await _emulator.DisposeAsync();
        }
    }
}
