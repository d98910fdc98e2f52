namespace OAuthSmtp.Engine.Relay;

/// <summary>One step of installing, starting or stopping the relay service: a file to write or a command to run.</summary>
public sealed class ServiceStep
{
    private ServiceStep(string? path, string? content, ServiceCommand? command)
    {
        Path = path;
        Content = content;
        Command = command;
    }

    /// <summary>The file to write (a systemd unit), or null for a command.</summary>
    public string? Path { get; }

    public string? Content { get; }

    public ServiceCommand? Command { get; }

    public static ServiceStep WriteFile(string path, string content) => new(path, content, null);

    public static ServiceStep Run(ServiceCommand command) => new(null, null, command);

    /// <summary>What -WhatIf shows: the command line, or the file with its full text.</summary>
    public override string ToString() =>
        Command is not null ? Command.ToString() : $"write {Path}:{System.Environment.NewLine}{Content}";
}
