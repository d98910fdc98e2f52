using System;
using System.IO;
using System.Threading.Tasks;
using OAuthSmtp.Emulator;
using OAuthSmtp.Engine.Profiles;
using Xunit;
using OAuthSmtp.Emulator.Model;

namespace OAuthSmtp.Engine.Tests.Tokens;

/// <summary>One emulator (token service only) for the token tests; each test resets the tenant.</summary>
public sealed class TokenEmulatorFixture : IAsyncLifetime
{
    private ExchangeOnlineEmulator? _emulator;

    public ExchangeOnlineEmulator Emulator => _emulator ?? throw new InvalidOperationException("The emulator has not started.");

    public async Task InitializeAsync()
    {
        TestEnvironment.UseIsolatedHome();
        _emulator = await ExchangeOnlineEmulator.StartAsync(new EmulatorOptions { StartSmtpServer = false, PropagationDelays = PropagationDefaults.Quick });
        _emulator.CertificateAuthority.TrustInCurrentUserRootStore();
    }

    public async Task DisposeAsync()
    {
        if (_emulator is not null)
        {
            await _emulator.DisposeAsync();
        }
    }

    /// <summary>A Ready tenant with zeroed statistics and faults.</summary>
    public ScenarioInfo Reset(Scenario scenario = Scenario.Ready)
    {
        var info = Emulator.Reset(scenario);
        Emulator.Statistics.Reset();
        return info;
    }

    public static SmtpOAuthProfile Profile(ScenarioInfo info, CredentialKind kind, string name = "emu") => new()
    {
        Name = name,
        TenantId = info.TenantId.ToString(),
        ClientId = info.ClientId ?? Guid.Empty,
        CredentialKind = kind,
        Mailbox = kind is CredentialKind.DeviceCode or CredentialKind.Interactive ? info.DelegatedUser : info.Mailbox,
        AuthorityHost = info.AuthorityHost,
        Scope = kind is CredentialKind.DeviceCode or CredentialKind.Interactive ? CloudEndpoints.Global.DelegatedScope : CloudEndpoints.Global.AppOnlyScope,
    };

    public static string NewTempDirectory()
    {
        var path = Path.Combine(Path.GetTempPath(), "oauthsmtp-token-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        return path;
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TokenEmulatorCollection : ICollectionFixture<TokenEmulatorFixture>
{
    /// <summary>Token tests share one emulator and set process-wide managed-identity variables: they run alone.</summary>
    public const string Name = "Token emulator";
}
