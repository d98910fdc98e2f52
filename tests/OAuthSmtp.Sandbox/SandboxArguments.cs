using System;
using System.IO;

namespace OAuthSmtp.Sandbox;

/// <summary>The sandbox's command line: PowerShell-style switches, so it reads like pwsh's.</summary>
public sealed class SandboxArguments
{
    public const string Usage = """
        Usage: dotnet run --project tests/OAuthSmtp.Sandbox -- [-Command '<PowerShell>' | -File <script.ps1>] [-Verbose]

          (no arguments)  plays the admin's story against an emulated tenant set up wrong
          -Command        runs PowerShell in a session with OAuthSmtp, the Exchange admin cmdlets and the Emu* control cmdlets
          -File           runs a script file in that session
          -Verbose        shows verbose messages
        The session has a profile named 'Sandbox' for the emulated tenant, and $EmuTenant (Get-EmuTenant).
        """;

    public string? Command { get; private set; }

    public string? File { get; private set; }

    public bool Verbose { get; private set; }

    public bool ShowHelp { get; private set; }

    public static SandboxArguments Parse(string[] args)
    {
        var parsed = new SandboxArguments();
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i].ToLowerInvariant())
            {
                case "-command":
                case "-c":
                    parsed.Command = Next(args, ref i, "-Command needs the PowerShell to run.");
                    break;
                case "-file":
                case "-f":
                    var path = Next(args, ref i, "-File needs a script path.");
                    if (!System.IO.File.Exists(path))
                    {
                        throw new ArgumentException($"-File: the script '{path}' does not exist.");
                    }

                    parsed.File = Path.GetFullPath(path);
                    break;
                case "-verbose":
                    parsed.Verbose = true;
                    break;
                case "-help":
                case "-?":
                case "--help":
                case "-h":
                    parsed.ShowHelp = true;
                    break;
                default:
                    throw new ArgumentException($"Unknown argument '{args[i]}'.");
            }
        }

        if (parsed.Command is not null && parsed.File is not null)
        {
            throw new ArgumentException("Give -Command or -File, not both.");
        }

        return parsed;
    }

    private static string Next(string[] args, ref int i, string error)
    {
        if (i + 1 >= args.Length)
        {
            throw new ArgumentException(error);
        }

        return args[++i];
    }
}
