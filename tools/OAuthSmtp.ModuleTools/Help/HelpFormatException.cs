using System;

namespace OAuthSmtp.ModuleTools.Help;

/// <summary>A help source file that does not follow the platyPS layout; the message names the file and what is wrong.</summary>
public sealed class HelpFormatException : Exception
{
    public HelpFormatException(string file, string problem)
        : base($"{file}: {problem}")
    {
        File = file;
    }

    public string File { get; }
}
