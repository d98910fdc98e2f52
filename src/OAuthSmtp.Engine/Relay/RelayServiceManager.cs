using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text;
using OAuthSmtp.Engine.Errors;

namespace OAuthSmtp.Engine.Relay;

/// <summary>
/// The relay as a service: which service manager this machine has, the systemd unit and the sc.exe commands that
/// register the relay, and the commands that start and stop it. Every step is made here as data (a file and its text,
/// a command and its arguments), so -WhatIf shows exactly what would run and the engine tests check it on any system.
/// </summary>
public sealed class RelayServiceManager
{
    public const string SystemdUnitName = "oauthsmtp-relay.service";

    public const string SystemdUnitPath = "/etc/systemd/system/" + SystemdUnitName;

    public const string WindowsServiceName = "OAuthSmtpRelay";

    public const string DisplayName = "OAuthSmtp relay for devices";

    public const string Description = "Accepts mail from devices and programs that cannot use OAuth and submits it to Exchange Online with OAuth2 (XOAUTH2).";

    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(60);

    private readonly ICommandRunner _runner;

    public RelayServiceManager(ICommandRunner? runner = null)
    {
        _runner = runner ?? ProcessCommandRunner.Instance;
    }

    /// <summary>
    /// The service manager of this machine: Windows services on Windows; systemd where systemctl is on the PATH and
    /// systemd is running (/run/systemd/system, as sd_booted checks); none otherwise (containers, WSL without systemd).
    /// </summary>
    public static RelayServiceKind Detect()
    {
        if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
        {
            return RelayServiceKind.WindowsService;
        }

        var hasSystemctl = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator)
            .Any(folder => folder.Length > 0 && File.Exists(Path.Combine(folder, "systemctl")));
        return hasSystemctl && Directory.Exists("/run/systemd/system") ? RelayServiceKind.Systemd : RelayServiceKind.None;
    }

    /// <summary>The service manager to use for <paramref name="wanted"/>, or the error that says there is none.</summary>
    /// <exception cref="OAuthSmtpException">RelayServiceManagerUnavailable.</exception>
    public static RelayServiceKind RequireAvailable(RelayServiceKind detected)
    {
        if (detected == RelayServiceKind.None)
        {
            throw new OAuthSmtpException(
                ErrorIds.RelayServiceManagerUnavailable,
                ErrorKind.ResourceUnavailable,
                "This machine has no service manager the relay can register with: systemctl is not on the PATH or systemd is not running (a container, or WSL without systemd).",
                "Install without a service: Install-SmtpOAuthRelay -NoService; Start-SmtpOAuthRelay then runs the relay as a background process (in a container, run 'OAuthSmtp.Relay run --config <relay.json>' as its command).",
                detected);
        }

        return detected;
    }

    /// <summary>The systemd unit: notify-type (the relay reports ready), restarted on failure, hardened, its folders writable.</summary>
    public static string SystemdUnit(RelayProgram program, RelayConfigurationStore store, RelayConfiguration configuration)
    {
        var command = program.RunCommand(store.ConfigurationPath);
        var writable = new[]
        {
            store.Home,
            store.Resolve(configuration.SpoolPath),
            store.Resolve(configuration.LogPath),
            Path.GetDirectoryName(store.Resolve(configuration.StatusPath))!,
            store.Resolve(configuration.ProfileStorePath),
        }.Distinct(StringComparer.Ordinal);
        var needsLowPort = configuration.Listeners.Any(l => l.Port < 1024);

        var unit = new StringBuilder();
        unit.Append("# Written by Install-SmtpOAuthRelay (OAuthSmtp). Reinstall with -Force rather than editing.\n");
        unit.Append("[Unit]\n");
        unit.Append("Description=").Append(DisplayName).Append('\n');
        unit.Append("Documentation=https://github.com/oauthsmtp/OAuthSmtp#relay-for-devices\n");
        unit.Append("Wants=network-online.target\n");
        unit.Append("After=network-online.target\n\n");
        unit.Append("[Service]\n");
        unit.Append("Type=notify\n");
        unit.Append("ExecStart=").Append(string.Join(" ", new[] { command.FileName }.Concat(command.Arguments).Select(SystemdQuote))).Append('\n');
        unit.Append("Restart=on-failure\n");
        unit.Append("RestartSec=5\n");
        unit.Append("TimeoutStopSec=45\n");
        unit.Append("UMask=0077\n");
        unit.Append("NoNewPrivileges=true\n");
        unit.Append("PrivateTmp=true\n");
        unit.Append("ProtectSystem=strict\n");
        unit.Append("ReadWritePaths=").Append(string.Join(" ", writable.Select(SystemdQuote))).Append('\n');
        if (needsLowPort)
        {
            unit.Append("AmbientCapabilities=CAP_NET_BIND_SERVICE\n");
        }

        unit.Append('\n');
        unit.Append("[Install]\n");
        unit.Append("WantedBy=multi-user.target\n");
        return unit.ToString();
    }

    /// <summary>What registers the relay with <paramref name="kind"/> (the home folder's permissions included on Windows).</summary>
    /// <param name="registered">The service exists already (Install -Force): sc.exe config instead of create.</param>
    public static IReadOnlyList<ServiceStep> InstallSteps(RelayServiceKind kind, RelayProgram program, RelayConfigurationStore store, RelayConfiguration configuration, bool registered = false)
    {
        switch (kind)
        {
            case RelayServiceKind.Systemd:
                return new[]
                {
                    ServiceStep.WriteFile(SystemdUnitPath, SystemdUnit(program, store, configuration)),
                    ServiceStep.Run(new ServiceCommand("systemctl", "daemon-reload")),
                    ServiceStep.Run(new ServiceCommand("systemctl", "enable", SystemdUnitName)),
                };
            case RelayServiceKind.WindowsService:
                var binPath = program.RunCommand(store.ConfigurationPath);
                var commandLine = WindowsCommandLine.Quote(binPath.FileName) + " " + binPath.WindowsArguments;
                return new[]
                {
                    ServiceStep.Run(HomeAccessControl(store.Home)),
                    ServiceStep.Run(new ServiceCommand("sc.exe", registered ? "config" : "create", WindowsServiceName, "binPath=", commandLine, "start=", "delayed-auto", "DisplayName=", DisplayName)),
                    ServiceStep.Run(new ServiceCommand("sc.exe", "description", WindowsServiceName, Description)),
                    ServiceStep.Run(new ServiceCommand("sc.exe", "failure", WindowsServiceName, "reset=", "86400", "actions=", "restart/5000/restart/5000/restart/60000")),
                };
            default:
                return RuntimeInformation.IsOSPlatform(OSPlatform.Windows)
                    ? new[] { ServiceStep.Run(HomeAccessControl(store.Home)) }
                    : Array.Empty<ServiceStep>();
        }
    }

    /// <summary>
    /// What removes the service registration (the configuration stays): the unit disabled and stopped, its file deleted
    /// and systemd reloaded; or the Windows service deleted.
    /// </summary>
    public static IReadOnlyList<ServiceStep> UninstallSteps(RelayServiceKind kind) => kind switch
    {
        RelayServiceKind.Systemd => new[]
        {
            ServiceStep.Run(new ServiceCommand("systemctl", "disable", "--now", SystemdUnitName)),
            ServiceStep.DeleteFile(SystemdUnitPath),
            ServiceStep.Run(new ServiceCommand("systemctl", "daemon-reload")),
        },
        RelayServiceKind.WindowsService => new[]
        {
            ServiceStep.Run(new ServiceCommand("sc.exe", "delete", WindowsServiceName)),
        },
        _ => Array.Empty<ServiceStep>(),
    };

    /// <summary>Whether the relay service is registered: the unit file exists, or sc.exe query knows the service.</summary>
    public bool IsRegistered(RelayServiceKind kind) => kind switch
    {
        RelayServiceKind.Systemd => File.Exists(SystemdUnitPath),
        RelayServiceKind.WindowsService => _runner.Run(new ServiceCommand("sc.exe", "query", WindowsServiceName), CommandTimeout).ExitCode == 0,
        _ => false,
    };

    public static ServiceCommand StartCommand(RelayServiceKind kind) => kind == RelayServiceKind.Systemd
        ? new ServiceCommand("systemctl", "start", SystemdUnitName)
        : new ServiceCommand("sc.exe", "start", WindowsServiceName);

    public static ServiceCommand StopCommand(RelayServiceKind kind) => kind == RelayServiceKind.Systemd
        ? new ServiceCommand("systemctl", "stop", SystemdUnitName)
        : new ServiceCommand("sc.exe", "stop", WindowsServiceName);

    /// <summary>
    /// %ProgramData% is readable by every user; the relay home holds device verifiers and the relay's profiles, so only
    /// SYSTEM and Administrators keep access (by SID, so it works in every language).
    /// </summary>
    public static ServiceCommand HomeAccessControl(string home) =>
        new("icacls", home, "/inheritance:r", "/grant:r", "*S-1-5-18:(OI)(CI)F", "*S-1-5-32-544:(OI)(CI)F");

    /// <summary>Writes or deletes the files and runs the commands in order; the first failure stops with its output.</summary>
    /// <exception cref="OAuthSmtpException">RelayServiceCommandFailed, RelayConfigurationWriteFailed.</exception>
    public void Apply(IEnumerable<ServiceStep> steps)
    {
        foreach (var step in steps)
        {
            if (step.DeletesFile)
            {
                DeleteFile(step.Path!);
                continue;
            }

            if (step.Command is null)
            {
                WriteFile(step.Path!, step.Content!);
                continue;
            }

            Run(step.Command);
        }
    }

    /// <summary>Runs one command; a non-zero exit is an error naming the command and its output.</summary>
    public void Run(ServiceCommand command)
    {
        CommandOutcome outcome;
        try
        {
            outcome = _runner.Run(command, CommandTimeout);
        }
        catch (Exception exception) when (exception is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            throw Failed(command, exception.Message, exception);
        }

        if (outcome.ExitCode != 0)
        {
            throw Failed(command, string.Format(CultureInfo.InvariantCulture, "exit code {0}: {1}", outcome.ExitCode, outcome.Output), null);
        }
    }

    private static void WriteFile(string path, string content)
    {
        try
        {
            File.WriteAllText(path, content.Replace("\r\n", "\n"), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new OAuthSmtpException(
                ErrorIds.RelayConfigurationWriteFailed,
                ErrorKind.WriteError,
                $"Cannot write '{path}': {exception.Message}",
                "Run Install-SmtpOAuthRelay as root (sudo pwsh), or install without a service: -NoService.",
                path,
                exception);
        }
    }

    private static void DeleteFile(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new OAuthSmtpException(
                ErrorIds.RelayRemoveFailed,
                ErrorKind.WriteError,
                $"Cannot delete '{path}': {exception.Message}",
                "Run Uninstall-SmtpOAuthRelay as root (sudo pwsh).",
                path,
                exception);
        }
    }

    private static OAuthSmtpException Failed(ServiceCommand command, string detail, Exception? inner) => new(
        ErrorIds.RelayServiceCommandFailed,
        ErrorKind.InvalidOperation,
        $"'{command}' failed: {detail}",
        "Run the command as an administrator (root on Linux) and read its message; Install-SmtpOAuthRelay -WhatIf shows every command it runs.",
        command.ToString(),
        inner);

    /// <summary>systemd's quoting: double quotes around a value with spaces, backslash before quotes and backslashes.</summary>
    private static string SystemdQuote(string value) =>
        value.Length > 0 && value.IndexOfAny(new[] { ' ', '\t', '"', '\'', '\\', ';', '$', '%' }) < 0
            ? value
            : "\"" + value.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("$", "$$").Replace("%", "%%") + "\"";
}
