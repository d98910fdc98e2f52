using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Threading;
using OAuthSmtp.Engine.Errors;

namespace OAuthSmtp.Engine.Relay;

/// <summary>
/// The relay without a service manager (containers, machines without systemd, tests): started as a detached background
/// process (its own session on Linux and macOS, so Ctrl+C in the shell that started it does not stop it), its console
/// output appended to relay-console.log in the log folder, its id kept in relay.pid in the home. Started means the
/// relay wrote a Running status with its process id; stopped means the process has ended (SIGTERM first, so the relay
/// finishes what it is doing; messages it acknowledged are in the spool either way).
/// </summary>
public sealed class RelayProcess
{
    public const string PidFileName = "relay.pid";

    public const string ConsoleLogName = "relay-console.log";

    private readonly RelayConfigurationStore _store;

    public RelayProcess(RelayConfigurationStore store)
    {
        _store = store ?? throw new ArgumentNullException(nameof(store));
    }

    public string PidPath => Path.Combine(_store.Home, PidFileName);

    /// <summary>How long Start waits for a Running status, and Stop for the process to end.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The id of the relay process this home started that is still alive, or null.</summary>
    public int? RunningProcessId()
    {
        try
        {
            var text = File.ReadAllText(PidPath).Trim();
            return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && RelayStatusFile.IsProcessAlive(pid) ? pid : null;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Starts the relay unless it runs already; returns its status once it reports Running.</summary>
    /// <exception cref="OAuthSmtpException">RelayStartFailed (with the end of its console log), RelayProgramNotFound.</exception>
    public RelayStatus Start(RelayProgram program, RelayConfiguration configuration, CancellationToken cancellationToken = default)
    {
        var statusPath = _store.Resolve(configuration.StatusPath);
        var running = RunningProcessId();
        if (running is not null)
        {
            return RelayStatusFile.Read(statusPath) ?? new RelayStatus { State = RelayState.Starting, ProcessId = running.Value };
        }

        var logFolder = _store.Resolve(configuration.LogPath);
        RelayConfigurationStore.CreatePrivateFolder(logFolder);
        var consoleLog = Path.Combine(logFolder, ConsoleLogName);
        var startedAt = DateTimeOffset.UtcNow;
        var command = program.RunCommand(_store.ConfigurationPath);

        Process process;
        try
        {
            process = Process.Start(Detached(command, consoleLog))!;
        }
        catch (Exception exception) when (exception is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            throw StartFailed($"'{command}' could not be started: {exception.Message}", consoleLog, exception);
        }

        using (process)
        {
            WritePid(process.Id);
            var relayPid = process.Id;
            var deadline = DateTime.UtcNow + Timeout;
            while (DateTime.UtcNow < deadline)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var status = TryReadStatus(statusPath);
                if (status is not null && status.UpdatedOn >= startedAt.AddSeconds(-1) && (status.ProcessId == relayPid || relayPid != process.Id))
                {
                    if (status.State == RelayState.Running)
                    {
                        return status;
                    }

                    if (status.State == RelayState.Faulted)
                    {
                        break;
                    }
                }

                if (relayPid == process.Id && process.WaitForExit(200))
                {
                    // setsid forks when it cannot make the process a session leader in place: the relay is its child,
                    // which reports its own id in the status file.
                    if (process.ExitCode != 0)
                    {
                        DeletePid();
                        throw StartFailed($"The relay ended at once (exit code {process.ExitCode}).", consoleLog, null);
                    }

                    relayPid = -1;
                }
                else if (relayPid != process.Id)
                {
                    Thread.Sleep(200);
                    var forked = TryReadStatus(statusPath);
                    if (forked is not null && forked.UpdatedOn >= startedAt.AddSeconds(-1) && RelayStatusFile.IsProcessAlive(forked.ProcessId))
                    {
                        relayPid = forked.ProcessId;
                        WritePid(relayPid);
                    }
                }
            }

            var last = TryReadStatus(statusPath);
            if (relayPid > 0)
            {
                StopProcess(relayPid, force: true, CancellationToken.None);
            }

            DeletePid();
            var why = last?.State == RelayState.Faulted
                ? "The relay reported Faulted: " + (last.LastErrors.LastOrDefault()?.Message ?? "no error given")
                : $"The relay did not report Running within {Timeout.TotalSeconds:0} seconds and was stopped.";
            throw StartFailed(why, consoleLog, null);
        }
    }

    /// <summary>Stops the relay this home started; false when none was running.</summary>
    /// <exception cref="OAuthSmtpException">RelayStopFailed.</exception>
    public bool Stop(bool force, CancellationToken cancellationToken = default)
    {
        var pid = RunningProcessId();
        if (pid is null)
        {
            DeletePid();
            return false;
        }

        StopProcess(pid.Value, force, cancellationToken);
        DeletePid();
        return true;
    }

    private void StopProcess(int pid, bool force, CancellationToken cancellationToken = default)
    {
        Signal(pid, force);
        var deadline = DateTime.UtcNow + Timeout;
        while (DateTime.UtcNow < deadline)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!RelayStatusFile.IsProcessAlive(pid))
            {
                return;
            }

            Thread.Sleep(100);
        }

        throw new OAuthSmtpException(
            ErrorIds.RelayStopFailed,
            ErrorKind.OperationTimeout,
            $"The relay (process {pid}) did not end within {Timeout.TotalSeconds:0} seconds of being asked to stop.",
            "Stop it at once with Stop-SmtpOAuthRelay -Force; messages it acknowledged are in its spool and are sent when it starts again.",
            pid);
    }

    /// <summary>SIGTERM (or SIGKILL with <paramref name="force"/>) on Linux and macOS; on Windows a console process can only be ended.</summary>
    private static void Signal(int pid, bool force)
    {
        if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
        {
            try
            {
                using var process = Process.GetProcessById(pid);
                process.Kill();
            }
            catch (Exception exception) when (exception is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
            {
            }

            return;
        }

        const int SigTerm = 15;
        const int SigKill = 9;
        _ = kill(pid, force ? SigKill : SigTerm);
    }

    private static ProcessStartInfo Detached(ServiceCommand command, string consoleLog)
    {
        if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
        {
            return new ProcessStartInfo(command.FileName, command.WindowsArguments)
            {
                UseShellExecute = false,
                CreateNoWindow = true,
                WorkingDirectory = Path.GetDirectoryName(consoleLog)!,
            };
        }

        // exec keeps the process id the relay's; setsid (where it exists) gives it its own session, away from the
        // shell's Ctrl+C; the console goes to a file, never to the pipes of the PowerShell that started it.
        const string Script = "log=\"$1\"; shift; if command -v setsid >/dev/null 2>&1; then exec setsid \"$@\" >>\"$log\" 2>&1 </dev/null; else exec \"$@\" >>\"$log\" 2>&1 </dev/null; fi";
        var arguments = new[] { "-c", Script, "oauthsmtp-relay", consoleLog, command.FileName }.Concat(command.Arguments);
        return new ProcessStartInfo("/bin/sh", string.Join(" ", arguments.Select(WindowsCommandLine.Quote)))
        {
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(consoleLog)!,
        };
    }

    private void WritePid(int pid)
    {
        try
        {
            Profiles.AtomicFile.Write(PidPath, System.Text.Encoding.ASCII.GetBytes(pid.ToString(CultureInfo.InvariantCulture)));
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            StopProcess(pid, force: true);
            throw StartFailed($"Cannot write '{PidPath}': {exception.Message}", null, exception);
        }
    }

    private void DeletePid()
    {
        try
        {
            File.Delete(PidPath);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
        }
    }

    private static RelayStatus? TryReadStatus(string path)
    {
        try
        {
            return RelayStatusFile.Read(path);
        }
        catch (OAuthSmtpException)
        {
            return null;
        }
    }

    private static OAuthSmtpException StartFailed(string why, string? consoleLog, Exception? inner)
    {
        var tail = consoleLog is null ? string.Empty : Tail(consoleLog);
        return new OAuthSmtpException(
            ErrorIds.RelayStartFailed,
            ErrorKind.InvalidOperation,
            why + (tail.Length == 0 ? string.Empty : " Its last output: " + tail),
            consoleLog is null
                ? "Check the relay home's permissions and run Start-SmtpOAuthRelay again."
                : $"Read the relay's output in '{consoleLog}' and its logs; correct the configuration (Get-SmtpOAuthRelay, Install-SmtpOAuthRelay -Force) and start it again.",
            consoleLog,
            inner);
    }

    private static string Tail(string path)
    {
        try
        {
            var lines = File.ReadAllLines(path);
            return string.Join(" | ", lines.Skip(Math.Max(0, lines.Length - 5)).Select(l => l.Trim()).Where(l => l.Length > 0));
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return string.Empty;
        }
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);
}
