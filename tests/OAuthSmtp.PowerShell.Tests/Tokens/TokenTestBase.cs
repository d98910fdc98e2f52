using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Text;
using OAuthSmtp.Emulator;
using OAuthSmtp.Hosting;
using OAuthSmtp.PowerShell.Tests.Infrastructure;
using Xunit;

namespace OAuthSmtp.PowerShell.Tests.Tokens;

/// <summary>Shared plumbing of the Get-SmtpOAuthToken tests: one emulator per class, a fresh session per test.</summary>
public abstract class TokenTestBase : IClassFixture<EmulatorFixture>, IDisposable
{
    protected const string CommandSuffix = ",OAuthSmtp.PowerShell.Commands.GetSmtpOAuthTokenCommand";

    private readonly List<IDisposable> _cleanup = new();

    protected TokenTestBase(EmulatorFixture fixture)
    {
        Fixture = fixture;
    }

    protected EmulatorFixture Fixture { get; }

    protected ExchangeOnlineEmulator Emulator => Fixture.Emulator;

    protected ScenarioInfo Tenant => Emulator.Current;

    private PowerShellSession? _session;

    protected PowerShellSession Session => _session ?? throw new InvalidOperationException("Call Start first.");

    /// <summary>A fresh session on a reset tenant, with the scenario's client-secret profile 'Emu' saved.</summary>
    protected PowerShellSession Start(Scenario scenario = Scenario.Ready, bool withProfile = true, string profileOptions = "", string? hostName = null)
    {
        _session?.Dispose();
        _session = Fixture.NewSession(scenario, connectExchange: false, hostName);
        if (withProfile)
        {
            var created = _session.Run(EmulatorFixture.NewProfileScript().TrimEnd() + " " + profileOptions);
            Assert.True(created.AllErrors.Count() == 0, created.ErrorText);
        }

        Emulator.Statistics.Reset();
        return _session;
    }

    protected ScriptResult Run(string script, bool render = false, IDictionary<string, object?>? parameters = null) =>
        Session.Run(script, render, parameters);

    /// <summary>Runs a script whose parameters are the tenant's facts ($TenantId, $ClientId, $Secret, $Authority, $Mailbox).</summary>
    protected ScriptResult RunWithTenant(string body, bool render = false)
    {
        var script = "param($TenantId, $ClientId, $Secret, $Authority, $Mailbox)" + Environment.NewLine + body;
        return Run(script, render, new Dictionary<string, object?>
        {
            ["TenantId"] = Tenant.TenantId.ToString(),
            ["ClientId"] = Tenant.ClientId.ToString(),
            ["Secret"] = Tenant.ClientSecret,
            ["Authority"] = Tenant.AuthorityHost.ToString(),
            ["Mailbox"] = Tenant.Mailbox,
        });
    }

    /// <summary>Restores an environment variable when the test ends (process-wide state).</summary>
    protected void SetEnvironment(string name, string? value)
    {
        var previous = Environment.GetEnvironmentVariable(name);
        Environment.SetEnvironmentVariable(name, value);
        _cleanup.Add(new Restore(() => Environment.SetEnvironmentVariable(name, previous)));
    }

    protected void OnDispose(IDisposable disposable) => _cleanup.Add(disposable);

    protected static PSObject Single(ScriptResult result)
    {
        Assert.True(!result.AllErrors.Any(), result.ErrorText);
        return Assert.Single(result.Output);
    }

    protected static T Property<T>(PSObject item, string name) => (T)LanguagePrimitives.ConvertTo(item.Properties[name].Value, typeof(T));

    protected static void AssertError(ScriptResult result, string errorId, ErrorCategory category)
    {
        var record = Assert.Single(result.AllErrors);
        Assert.Equal(errorId + CommandSuffix, record.FullyQualifiedErrorId);
        Assert.Equal(category, record.CategoryInfo.Category);
        Assert.False(string.IsNullOrWhiteSpace(record.ErrorDetails?.Message));
        Assert.False(string.IsNullOrWhiteSpace(record.ErrorDetails?.RecommendedAction));
    }

    /// <summary>Every file the module wrote under the test's profile home, as text.</summary>
    protected IEnumerable<(string Path, string Text)> FilesWritten() =>
        Directory.EnumerateFiles(Fixture.ProfileHome, "*", SearchOption.AllDirectories)
            .Select(file => (file, File.ReadAllText(file, Encoding.UTF8)));

    public void Dispose()
    {
        for (var i = _cleanup.Count - 1; i >= 0; i--)
        {
            _cleanup[i].Dispose();
        }

        _session?.Dispose();
    }

    private sealed class Restore : IDisposable
    {
        private readonly Action _action;

        public Restore(Action action) => _action = action;

        public void Dispose() => _action();
    }
}
