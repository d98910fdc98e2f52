using System;

namespace OAuthSmtp.Engine.Relay;

/// <summary>Runs a service manager command (systemctl, sc.exe, icacls); tests give one that records instead.</summary>
public interface ICommandRunner
{
    /// <summary>The exit code and what the command wrote (standard output and error together).</summary>
    CommandOutcome Run(ServiceCommand command, TimeSpan timeout);
}

/// <summary>What a command returned.</summary>
public sealed class CommandOutcome
{
    public CommandOutcome(int exitCode, string output)
    {
        ExitCode = exitCode;
        Output = output;
    }

    public int ExitCode { get; }

    public string Output { get; }
}
