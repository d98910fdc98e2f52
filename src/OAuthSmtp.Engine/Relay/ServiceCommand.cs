using System.Collections.Generic;
using System.Linq;

namespace OAuthSmtp.Engine.Relay;

/// <summary>One program run with its arguments (systemctl, sc.exe, icacls, the relay), shown under -WhatIf as it would run.</summary>
public sealed class ServiceCommand
{
    public ServiceCommand(string fileName, params string[] arguments)
    {
        FileName = fileName;
        Arguments = arguments;
    }

    public string FileName { get; }

    public IReadOnlyList<string> Arguments { get; }

    /// <summary>The command line as Windows passes it to the program (each argument quoted by CommandLineToArgvW's rules).</summary>
    public string WindowsArguments => string.Join(" ", Arguments.Select(WindowsCommandLine.Quote));

    public override string ToString() => string.Join(" ", new[] { FileName }.Concat(Arguments).Select(DisplayQuote));

    private static string DisplayQuote(string value) =>
        value.Length > 0 && value.IndexOfAny(new[] { ' ', '"', '\'', '\t' }) < 0 ? value : "'" + value.Replace("'", "''") + "'";
}
