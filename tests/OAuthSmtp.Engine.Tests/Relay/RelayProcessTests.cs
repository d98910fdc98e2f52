using System;
using System.IO;
using OAuthSmtp.Engine.Errors;
using OAuthSmtp.Engine.Relay;
using Xunit;

namespace OAuthSmtp.Engine.Tests.Relay;

/// <summary>Start and stop without a service manager, with a stand-in relay (a shell script that writes status.json as the relay does).</summary>
public sealed class RelayProcessTests : IDisposable
{
    /// <summary>Writes a Running status with its own process id, and Stopped on SIGTERM.</summary>
    internal const string StandInRelay = """
        #!/bin/sh
        status="$(dirname "$3")/status.json"
        write() { printf '{"schemaVersion":1,"state":"%s","processId":%s,"updatedOn":"%s","listeners":["127.0.0.1:2525"]}' "$1" $$ "$(date -u +%Y-%m-%dT%H:%M:%S+00:00)" > "$status.tmp" && mv "$status.tmp" "$status"; }
        trap 'write Stopped; exit 0' TERM
        echo "stand-in relay $*"
        write Running
        while true; do sleep 0.1; done
        """;

    private readonly string _home = Path.Combine(Path.GetTempPath(), "oauthsmtp-relay-process-tests", Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        try
        {
            new RelayProcess(new RelayConfigurationStore(_home)) { Timeout = TimeSpan.FromSeconds(5) }.Stop(force: true);
        }
        catch (OAuthSmtpException)
        {
        }

        if (Directory.Exists(_home))
        {
            Directory.Delete(_home, recursive: true);
        }
    }

    private (RelayConfigurationStore Store, RelayConfiguration Configuration) Installed()
    {
        var store = new RelayConfigurationStore(_home);
        var configuration = store.Create(RelayConfiguration.CreateDefault(_home, 2525), overwrite: false);
        return (store, configuration);
    }

    private RelayProgram Script(string text)
    {
        var path = Path.Combine(_home, "relay.sh");
        File.WriteAllText(path, text.Replace("\r\n", "\n"));
        return RelayProgram.At("/bin/sh", path);
    }

    [Fact]
    public void Start_waits_for_Running_and_Stop_ends_the_process()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var (store, configuration) = Installed();
        var relay = new RelayProcess(store) { Timeout = TimeSpan.FromSeconds(20) };

        var status = relay.Start(Script(StandInRelay), configuration);
        Assert.Equal(RelayState.Running, status.State);
        Assert.Equal(status.ProcessId, relay.RunningProcessId());
        Assert.True(RelayStatusFile.IsProcessAlive(status.ProcessId));
        Assert.Equal(status.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture), File.ReadAllText(relay.PidPath));
        Assert.Contains("stand-in relay run --config " + store.ConfigurationPath, File.ReadAllText(Path.Combine(_home, "logs", RelayProcess.ConsoleLogName)));

        Assert.Equal(status.ProcessId, relay.Start(Script(StandInRelay), configuration).ProcessId);

        Assert.True(relay.Stop(force: false));
        Assert.False(RelayStatusFile.IsProcessAlive(status.ProcessId));
        Assert.Equal(RelayState.Stopped, RelayStatusFile.Read(store.Resolve(configuration.StatusPath))!.State);
        Assert.False(File.Exists(relay.PidPath));
        Assert.False(relay.Stop(force: false));
    }

    [Fact]
    public void A_relay_that_ends_at_once_is_reported_with_its_output()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var (store, configuration) = Installed();
        var relay = new RelayProcess(store) { Timeout = TimeSpan.FromSeconds(20) };

        var error = Assert.Throws<OAuthSmtpException>(() => relay.Start(Script("echo 'The STARTTLS certificate cannot be loaded' >&2; exit 3"), configuration));
        Assert.Equal(ErrorIds.RelayStartFailed, error.ErrorId);
        Assert.Contains("exit code 3", error.Message);
        Assert.Contains("The STARTTLS certificate cannot be loaded", error.Message);
        Assert.Contains(RelayProcess.ConsoleLogName, error.Fix);
        Assert.Null(relay.RunningProcessId());
    }

    [Fact]
    public void A_relay_that_never_reports_Running_is_stopped_and_reported()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var (store, configuration) = Installed();
        var relay = new RelayProcess(store) { Timeout = TimeSpan.FromSeconds(2) };

        var error = Assert.Throws<OAuthSmtpException>(() => relay.Start(Script("while true; do sleep 0.1; done"), configuration));
        Assert.Equal(ErrorIds.RelayStartFailed, error.ErrorId);
        Assert.Contains("did not report Running within 2 seconds", error.Message);
        Assert.Null(relay.RunningProcessId());
    }
}
