using System;
using System.IO;
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
