using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using OAuthSmtp.Emulator;
using OAuthSmtp.Emulator.Model;
using OAuthSmtp.Hosting;
using OAuthSmtp.PowerShell.Tests.Infrastructure;
using Xunit;

namespace OAuthSmtp.PowerShell.Tests.Setup;

/// <summary>
/// Shared plumbing of the Test-SmtpOAuthSetup tests: one emulator per class, a fresh session per test pointed at the
/// emulator's Graph endpoint (restored afterwards), and readers for the step results the doctor writes.
/// Each derived class creates the profile its tests need.
/// </summary>
public abstract class SetupTestBase : IClassFixture<EmulatorFixture>, IDisposable
{
    /// <summary>Every run of the doctor reports all of its steps, whatever fails.</summary>
    protected const int StepCount = 13;

    private const string GraphEndpointVariable = "OAUTHSMTP_GRAPH_ENDPOINT";
    private readonly string? _previousGraphEndpoint = Environment.GetEnvironmentVariable(GraphEndpointVariable);
    private PowerShellSession? _session;

    protected SetupTestBase(EmulatorFixture fixture)
    {
        Fixture = fixture;
    }

    protected EmulatorFixture Fixture { get; }

    protected ExchangeOnlineEmulator Emulator => Fixture.Emulator;

    protected TenantModel Model => Emulator.Tenant;

    protected ScenarioInfo Tenant => Emulator.Current;

    protected PowerShellSession Session => _session ?? throw new InvalidOperationException("Start first.");

    public void Dispose()
    {
        _session?.Dispose();
        ResetEmulatorSettings();
        Environment.SetEnvironmentVariable(GraphEndpointVariable, _previousGraphEndpoint);
    }

    /// <summary>A fresh session on a reset tenant, with the doctor's Graph calls going to the emulator; no profile yet.</summary>
    protected PowerShellSession OpenSession(Scenario scenario = Scenario.Ready, bool connectExchange = true, Action<PowerShellSessionOptions>? configure = null)
    {
        _session?.Dispose();
        _session = Fixture.NewSession(scenario, connectExchange, configure: configure);
        Environment.SetEnvironmentVariable(GraphEndpointVariable, Emulator.GraphEndpoint.ToString());
        return _session;
    }

    /// <summary>Undoes, when a test ends, emulator settings the derived class turned on for that test.</summary>
    protected virtual void ResetEmulatorSettings()
    {
    }

    protected ScriptResult Run(string script, bool render = false) => Session.Run(script, render);

    /// <summary>Runs the doctor on the profile 'Emu' and returns its step results; the run itself must not error.</summary>
    /// <param name="arguments">More parameters for Test-SmtpOAuthSetup.</param>
    /// <param name="extraResults">Results beyond one per step (SendAs reports once per -From address).</param>
    protected IReadOnlyList<PSObject> Check(string arguments = "", int extraResults = 0)
    {
        var result = Run("Test-SmtpOAuthSetup -Profile Emu " + arguments);
        Assert.True(!result.AllErrors.Any(), result.ErrorText);
        Assert.Equal(StepCount + extraResults, result.Output.Count);
        return result.Output;
    }

    /// <summary>One line per failed step with its detail and fix, to explain an unexpected failure.</summary>
    protected static string DescribeFailures(IEnumerable<PSObject> failed) =>
        string.Join(Environment.NewLine, failed.Select(r => $"{Step(r)}: {Text(r, "Detail")} | {Text(r, "Fix")}"));

    protected static PSObject ByStep(IEnumerable<PSObject> results, string step) => results.Single(r => Step(r) == step);

    protected static string Step(PSObject result) => Text(result, "Step");

    protected static string Status(PSObject result) => Text(result, "Status");

    protected static string Text(PSObject result, string property) => result.Properties[property]?.Value?.ToString() ?? string.Empty;
}
