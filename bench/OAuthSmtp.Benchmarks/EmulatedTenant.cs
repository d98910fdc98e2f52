using System;
using System.IO;
using System.Threading.Tasks;
using OAuthSmtp.Emulator;
using OAuthSmtp.Emulator.PowerShell;
using OAuthSmtp.Hosting;

namespace OAuthSmtp.Benchmarks;

/// <summary>
/// The emulator the in-process figures run against, and hosted sessions with the module, the emulator's admin and
/// control modules and a client-secret profile 'Bench' for the current tenant. Profiles live in a temporary store.
/// </summary>
public sealed class EmulatedTenant : IAsyncDisposable
{
    public const string ProfileName = "Bench";

    private EmulatedTenant(ExchangeOnlineEmulator emulator, string profileHome)
    {
        Emulator = emulator;
        ProfileHome = profileHome;
    }

    public ExchangeOnlineEmulator Emulator { get; }

    public string ProfileHome { get; }

    public ScenarioInfo Current => Emulator.Current;

    public static async Task<EmulatedTenant> StartAsync()
    {
        TestEnvironment.UseIsolatedHome();
        var emulator = await ExchangeOnlineEmulator.StartAsync();
        emulator.CertificateAuthority.TrustInCurrentUserRootStore();
        var profileHome = Directory.CreateTempSubdirectory("oauthsmtp-bench-profiles-").FullName;
        Environment.SetEnvironmentVariable("OAUTHSMTP_HOME", profileHome);
        Environment.SetEnvironmentVariable("OAUTHSMTP_GRAPH_ENDPOINT", emulator.GraphEndpoint.ToString());
        return new EmulatedTenant(emulator, profileHome);
    }

    /// <summary>
    /// A new tenant in the Ready state (new ids, so no token of an earlier run is cached for it), with the
    /// per-minute rate limit lifted (the figures measure the protocol, not Exchange's 30-a-minute pacing) and
    /// the given reply latency. Statistics start from zero.
    /// </summary>
    public ScenarioInfo ResetReady(int replyLatencyMs = 0)
    {
        var info = Emulator.Reset(Scenario.Ready);
        Emulator.Faults.SmtpSettings.MessagesPerRateWindow = 0;
        Emulator.Faults.SmtpReplyLatencyMs = replyLatencyMs;
        Emulator.Statistics.Reset();
        return info;
    }

    /// <summary>A runspace with OAuthSmtp and the emulator modules; Exchange connected when asked.</summary>
    public PowerShellSession NewSession(bool connectExchange = false)
    {
        var options = PowerShellSessionOptions.WithOAuthSmtp();
        options.Modules.Add(EmulatorModules.ExchangeModulePath);
        options.Modules.Add(EmulatorModules.ControlModulePath);
        options.Variables["OAuthSmtpEmulator"] = Emulator;
        var session = new PowerShellSession(options);
        if (connectExchange)
        {
            Check(session.Run("Connect-ExchangeOnline -UserPrincipalName ('admin@' + (Get-EmuTenant).Domain) -ShowBanner:$false"), "Connect-ExchangeOnline");
        }

        return session;
    }

    /// <summary>(Re)creates the profile 'Bench' for the tenant the emulator holds now.</summary>
    public void CreateProfile(PowerShellSession session)
    {
        Check(session.Run($$"""
            $global:EmuTenant = Get-EmuTenant
            $secret = [System.Net.NetworkCredential]::new('', $EmuTenant.ClientSecret).SecurePassword
            $null = New-SmtpOAuthProfile -Name '{{ProfileName}}' -TenantId $EmuTenant.TenantId -ClientId $EmuTenant.ClientId -ClientSecret $secret `
                -Mailbox $EmuTenant.Mailbox -AuthorityHost $EmuTenant.AuthorityHost -AllowNonMicrosoftHost -SmtpServer $EmuTenant.SmtpServer -Port $EmuTenant.SmtpPort `
                -AllowUnprotectedSecret -Force -Confirm:$false
            """), "New-SmtpOAuthProfile");
    }

    /// <summary>Throws with the script's errors when it had any: a figure taken from a failed run would mislead.</summary>
    public static ScriptResult Check(ScriptResult result, string what)
    {
        if (result.HadTerminatingError || result.Errors.Count > 0)
        {
            throw new InvalidOperationException($"{what} failed: {result.ErrorText}");
        }

        return result;
    }

    public async ValueTask DisposeAsync()
    {
        await Emulator.DisposeAsync();
        try
        {
            Directory.Delete(ProfileHome, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
