using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using OAuthSmtp.Engine.Errors;
using OAuthSmtp.Engine.Relay;
using Xunit;

namespace OAuthSmtp.Engine.Tests.Relay;

public sealed class RelayServiceManagerTests
{
    private static readonly RelayConfigurationStore Store = new("/etc/oauthsmtp-relay");

    private sealed class RecordingRunner : ICommandRunner
    {
        public List<ServiceCommand> Commands { get; } = new();

        public int ExitCode { get; set; }

        public CommandOutcome Run(ServiceCommand command, TimeSpan timeout)
        {
            Commands.Add(command);
            return new CommandOutcome(ExitCode, ExitCode == 0 ? string.Empty : "Failed to enable unit: Access denied");
        }
    }

    [Fact]
    public void The_systemd_unit_runs_the_relay_for_this_configuration_hardened_and_notify_type()
    {
        var configuration = RelayConfiguration.CreateDefault(Store.Home);
        var unit = RelayServiceManager.SystemdUnit(RelayProgram.At("/opt/oauth smtp/relay/OAuthSmtp.Relay"), Store, configuration);

        Assert.Contains("Type=notify\n", unit);
        Assert.Contains("ExecStart=\"/opt/oauth smtp/relay/OAuthSmtp.Relay\" run --config /etc/oauthsmtp-relay/relay.json\n", unit);
        Assert.Contains("ReadWritePaths=/etc/oauthsmtp-relay /var/spool/oauthsmtp-relay /var/log/oauthsmtp-relay /var/lib/oauthsmtp-relay /etc/oauthsmtp-relay/profiles\n", unit);
        Assert.Contains("ProtectSystem=strict\n", unit);
        Assert.Contains("NoNewPrivileges=true\n", unit);
        Assert.Contains("UMask=0077\n", unit);
        Assert.Contains("Restart=on-failure\n", unit);
        Assert.Contains("WantedBy=multi-user.target\n", unit);
        Assert.Contains("AmbientCapabilities=CAP_NET_BIND_SERVICE\n", unit);
        Assert.DoesNotContain("\r", unit);

        configuration.Listeners.ForEach(l => l.Port = 2525);
        Assert.DoesNotContain("AmbientCapabilities", RelayServiceManager.SystemdUnit(RelayProgram.At("/usr/bin/dotnet", "/opt/relay/OAuthSmtp.Relay.dll"), Store, configuration));
    }

    /// <summary>
    /// The unit as systemd itself reads it: systemd-analyze verify (no running systemd needed) reports unknown keys,
    /// bad quoting and a program it cannot execute. The program path has a space, so the quoting is tested too.
    /// Skipped, saying why, where systemd-analyze is not installed (Windows, macOS, minimal containers).
    /// </summary>
    [SystemdAnalyzeFact]
    public void The_systemd_unit_passes_systemd_analyze_verify()
    {
        var analyze = SystemdAnalyzeFactAttribute.Program!;
        var folder = Path.Combine(Path.GetTempPath(), "oauthsmtp-unit-tests", Guid.NewGuid().ToString("N"));
        var program = Path.Combine(folder, "oauth smtp", "OAuthSmtp.Relay");
        Directory.CreateDirectory(Path.GetDirectoryName(program)!);
        try
        {
            File.WriteAllText(program, "#!/bin/sh\nexit 0\n");
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(program, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }

            var unit = Path.Combine(folder, RelayServiceManager.SystemdUnitName);
            File.WriteAllText(unit, RelayServiceManager.SystemdUnit(RelayProgram.At(program), Store, RelayConfiguration.CreateDefault(Store.Home)));

            var start = new ProcessStartInfo(analyze, new[] { "verify", unit }) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = folder };
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEndAsync();
            Assert.True(process.WaitForExit(120_000), "systemd-analyze verify did not finish within 2 minutes");
            var said = output.Result + errors.Result;

            Assert.True(process.ExitCode == 0, $"systemd-analyze verify exited {process.ExitCode}: {said}");
            Assert.DoesNotContain(RelayServiceManager.SystemdUnitName, said, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Systemd_install_writes_the_unit_then_reloads_and_enables_it()
    {
        var steps = RelayServiceManager.InstallSteps(RelayServiceKind.Systemd, RelayProgram.At("/opt/relay/OAuthSmtp.Relay"), Store, RelayConfiguration.CreateDefault(Store.Home));

        Assert.Equal("/etc/systemd/system/oauthsmtp-relay.service", steps[0].Path);
        Assert.Equal(new[] { "systemctl daemon-reload", "systemctl enable oauthsmtp-relay.service" }, steps.Skip(1).Select(s => s.ToString()));
        Assert.Equal("systemctl start oauthsmtp-relay.service", RelayServiceManager.StartCommand(RelayServiceKind.Systemd).ToString());
        Assert.Equal("systemctl stop oauthsmtp-relay.service", RelayServiceManager.StopCommand(RelayServiceKind.Systemd).ToString());
    }

    [Fact]
    public void The_Windows_service_command_line_survives_sc_exe_and_the_service_control_manager()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // the argument split below runs printf; .NET applies the same rules on Linux and macOS
        }

        var store = new RelayConfigurationStore("/tmp/Program Data/OAuthSmtp/Relay");
        var steps = RelayServiceManager.InstallSteps(RelayServiceKind.WindowsService, RelayProgram.At("C:\\Program Files\\PowerShell\\Modules\\OAuthSmtp\\relay\\OAuthSmtp.Relay.exe"), store, RelayConfiguration.CreateDefault(store.Home));

        Assert.Equal(new[] { "icacls", "sc.exe", "sc.exe", "sc.exe" }, steps.Select(s => s.Command!.FileName));
        Assert.Equal(new[] { "/inheritance:r", "/grant:r", "*S-1-5-18:(OI)(CI)F", "*S-1-5-32-544:(OI)(CI)F" }, steps[0].Command!.Arguments.Skip(1));
        var create = steps[1].Command!;
        Assert.Equal(new[] { "create", "OAuthSmtpRelay", "binPath=" }, create.Arguments.Take(3));
        Assert.Equal(new[] { "start=", "delayed-auto", "DisplayName=", "OAuthSmtp relay for devices" }, create.Arguments.Skip(4));

        // sc.exe receives binPath as one argument; the service manager then splits it into the relay's arguments.
        var binPath = ArgumentsAsAProgramSeesThem(create.WindowsArguments)[3];
        Assert.Equal(create.Arguments[3], binPath);
        Assert.Equal(
            new[] { "C:\\Program Files\\PowerShell\\Modules\\OAuthSmtp\\relay\\OAuthSmtp.Relay.exe", "run", "--config", Path.Combine(store.Home, "relay.json") },
            ArgumentsAsAProgramSeesThem(binPath));
        Assert.Equal("sc.exe failure OAuthSmtpRelay reset= 86400 actions= restart/5000/restart/5000/restart/60000", steps[3].ToString());
    }

    [Theory]
    [InlineData("plain")]
    [InlineData("with space")]
    [InlineData("C:\\path with space\\")]
    [InlineData("quote\"inside")]
    [InlineData("back\\\\\"slashes")]
    [InlineData("")]
    public void Quoting_round_trips_through_the_Windows_argument_rules(string argument)
    {
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(new[] { argument, "next" }, ArgumentsAsAProgramSeesThem(WindowsCommandLine.Quote(argument) + " next"));
        }
    }

    [Fact]
    public void Without_a_service_manager_the_error_names_NoService()
    {
        var error = Assert.Throws<OAuthSmtpException>(() => RelayServiceManager.RequireAvailable(RelayServiceKind.None));
        Assert.Equal(ErrorIds.RelayServiceManagerUnavailable, error.ErrorId);
        Assert.Contains("-NoService", error.Fix);
        Assert.Equal(RelayServiceKind.Systemd, RelayServiceManager.RequireAvailable(RelayServiceKind.Systemd));
    }

    [Fact]
    public void A_failing_command_stops_the_install_with_its_output()
    {
        var runner = new RecordingRunner { ExitCode = 1 };
        var steps = new[] { ServiceStep.Run(new ServiceCommand("systemctl", "enable", "x")), ServiceStep.Run(new ServiceCommand("systemctl", "start", "x")) };

        var error = Assert.Throws<OAuthSmtpException>(() => new RelayServiceManager(runner).Apply(steps));
        Assert.Equal(ErrorIds.RelayServiceCommandFailed, error.ErrorId);
        Assert.Contains("'systemctl enable x' failed: exit code 1: Failed to enable unit: Access denied", error.Message);
        Assert.Single(runner.Commands);
    }

    /// <summary>.NET splits ProcessStartInfo.Arguments by the Windows rules on every system: let a real child print what it got.</summary>
    private static string[] ArgumentsAsAProgramSeesThem(string commandLine)
    {
        var start = new ProcessStartInfo("/usr/bin/printf", "\"%s\\0\" " + commandLine) { RedirectStandardOutput = true, UseShellExecute = false };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return output.Split('\0')[..^1];
    }
}
