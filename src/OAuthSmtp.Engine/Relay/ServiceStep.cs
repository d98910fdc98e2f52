namespace OAuthSmtp.Engine.Relay;

/// <summary>One step of installing, starting, stopping or removing the relay service: a file to write or delete, or a command to run.</summary>
public sealed class ServiceStep
{
    private ServiceStep(string? path, string? content, ServiceCommand? command)
    {
        Path = path;
        Content = content;
        Command = command;
    }

    /// <summary>The file to write or delete (a systemd unit), or null for a command.</summary>
    public string? Path { get; }

    /// <summary>The file's text; null when the file is to be deleted.</summary>
    public string? Content { get; }

    public ServiceCommand? Command { get; }

    public static ServiceStep WriteFile(string path, string content) => new(path, content, null);

    public static ServiceStep Run(ServiceCommand command) => new(null, null, command);

    public static ServiceStep DeleteFile(string path) => new(path, null, null);

    public bool DeletesFile => Command is null && Content is null;

    /// <summary>What -WhatIf shows: the command line, the file with its full text, or the file to delete.</summary>
    public override string ToString() =>
        Command is not null ? Command.ToString() : DeletesFile ? $"delete {Path}" : $"write {Path}:{System.Environment.NewLine}{Content}";
}
