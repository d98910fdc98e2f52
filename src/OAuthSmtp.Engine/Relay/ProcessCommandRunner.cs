using System;
using System.Diagnostics;
using System.Text;

namespace OAuthSmtp.Engine.Relay;

/// <summary>Runs commands as child processes, output captured, bounded by a timeout (a hung systemctl does not hang the cmdlet).</summary>
public sealed class ProcessCommandRunner : ICommandRunner
{
    public static ProcessCommandRunner Instance { get; } = new();

    public CommandOutcome Run(ServiceCommand command, TimeSpan timeout)
    {
        if (command is null)
        {
            throw new ArgumentNullException(nameof(command));
        }

        // netstandard2.0 has no ArgumentList; .NET parses Arguments by the Windows rules on every system, so the
        // Windows quoting is right everywhere.
        var start = new ProcessStartInfo(command.FileName, command.WindowsArguments)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            CreateNoWindow = true,
        };
        var output = new StringBuilder();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit((int)timeout.TotalMilliseconds))
        {
            try
            {
                process.Kill();
            }
            catch (InvalidOperationException)
            {
            }

            return new CommandOutcome(-1, $"did not finish within {timeout.TotalSeconds:0} seconds. {output}");
        }

        process.WaitForExit();
        lock (output)
        {
            return new CommandOutcome(process.ExitCode, output.ToString().Trim());
        }
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            if (output.Length < 8192)
            {
                output.AppendLine(line);
            }
        }
    }
}
