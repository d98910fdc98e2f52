using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using OAuthSmtp.Engine.Errors;

namespace OAuthSmtp.Engine.Relay;

/// <summary>
/// The relay program and how to run it for one configuration: "OAuthSmtp.Relay run --config &lt;relay.json&gt;". The
/// module lays the relay out in its relay/ folder; $env:OAUTHSMTP_RELAY_PROGRAM names another build (tests, a copy
/// outside the module). A framework-dependent OAuthSmtp.Relay.dll without its launcher runs through dotnet.
/// </summary>
public sealed class RelayProgram
{
    public const string ProgramVariable = "OAUTHSMTP_RELAY_PROGRAM";

    public const string AssemblyName = "OAuthSmtp.Relay";

    private RelayProgram(string fileName, IReadOnlyList<string> leadingArguments)
    {
        FileName = fileName;
        LeadingArguments = leadingArguments;
    }

    /// <summary>The executable: the relay's launcher, or dotnet.</summary>
    public string FileName { get; }

    /// <summary>Arguments before the relay's own (the .dll when run through dotnet).</summary>
    public IReadOnlyList<string> LeadingArguments { get; }

    /// <summary>The relay program for a module installed in <paramref name="moduleBase"/>.</summary>
    /// <exception cref="OAuthSmtpException">RelayProgramNotFound.</exception>
    public static RelayProgram Locate(string moduleBase)
    {
        var configured = Environment.GetEnvironmentVariable(ProgramVariable);
        var candidates = !string.IsNullOrWhiteSpace(configured)
            ? new[] { Path.GetFullPath(configured) }
            : new[]
            {
                Path.Combine(moduleBase, "relay", AssemblyName + (RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? ".exe" : string.Empty)),
                Path.Combine(moduleBase, "relay", AssemblyName + ".dll"),
            };

        foreach (var candidate in candidates.Where(File.Exists))
        {
            if (candidate.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
            {
                return new RelayProgram(DotnetHost(), new[] { candidate });
            }

            return new RelayProgram(candidate, Array.Empty<string>());
        }

        throw new OAuthSmtpException(
            ErrorIds.RelayProgramNotFound,
            ErrorKind.ObjectNotFound,
            $"The relay program is not where the module keeps it ({string.Join(", ", candidates)}).",
            $"Reinstall the OAuthSmtp module (it ships the relay in its relay folder), or set ${ProgramVariable} to the path of OAuthSmtp.Relay.",
            candidates[0]);
    }

    /// <summary>A program given directly (tests, and a relay outside the module).</summary>
    public static RelayProgram At(string fileName, params string[] leadingArguments) => new(fileName, leadingArguments);

    /// <summary>The command that runs the relay for the configuration at <paramref name="configurationPath"/>.</summary>
    public ServiceCommand RunCommand(string configurationPath) =>
        new(FileName, LeadingArguments.Concat(new[] { "run", "--config", configurationPath }).ToArray());

    private static string DotnetHost()
    {
        var root = Environment.GetEnvironmentVariable("DOTNET_ROOT");
        var name = RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? "dotnet.exe" : "dotnet";
        if (!string.IsNullOrEmpty(root) && File.Exists(Path.Combine(root, name)))
        {
            return Path.Combine(root, name);
        }

        foreach (var folder in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator))
        {
            if (folder.Length > 0 && File.Exists(Path.Combine(folder, name)))
            {
                return Path.Combine(folder, name);
            }
        }

        return name;
    }
}
