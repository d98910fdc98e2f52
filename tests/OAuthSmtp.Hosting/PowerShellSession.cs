using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace OAuthSmtp.Hosting;

/// <summary>
/// One runspace with the laid-out OAuthSmtp module (and any other modules) imported, behind a
/// <see cref="RecordingHost"/>. Scripts run in it as a user would type them.
/// </summary>
public sealed class PowerShellSession : IDisposable
{
    private readonly Runspace _runspace;

    public PowerShellSession(PowerShellSessionOptions options)
    {
        Host = new RecordingHost(options.Echo, options.Interactive, options.AnsiRendering, options.HostName, options.AnswerConfirmation);
        var state = InitialSessionState.CreateDefault2();
        foreach (var variable in options.Variables)
        {
            state.Variables.Add(new SessionStateVariableEntry(variable.Key, variable.Value, string.Empty));
        }

        _runspace = RunspaceFactory.CreateRunspace(Host, state);
        _runspace.Open();
        if (!options.AnsiRendering)
        {
            Run("$PSStyle.OutputRendering = 'PlainText'");
        }

        foreach (var module in options.Modules)
        {
            var import = Run($"Import-Module -Name '{module.Replace("'", "''")}' -ErrorAction Stop");
            if (import.HadTerminatingError || import.Errors.Count > 0)
            {
                throw new InvalidOperationException($"Import-Module {module} failed: {import.ErrorText}");
            }
        }
    }

    public RecordingHost Host { get; }

    public Runspace Runspace => _runspace;

    /// <summary>The laid-out module folder that the build produced (out/OAuthSmtp).</summary>
    public static string ModuleFolder => Path.Combine(RepositoryRoot, "out", "OAuthSmtp");

    public static string RepositoryRoot
    {
        get
        {
            var directory = new DirectoryInfo(AppContext.BaseDirectory);
            while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Directory.Build.props")))
            {
                directory = directory.Parent;
            }

            return directory?.FullName ?? throw new InvalidOperationException("Cannot find the repository root above " + AppContext.BaseDirectory);
        }
    }

    /// <summary>
    /// Runs a script. With <paramref name="render"/> it runs as in a console: every stream (output, errors, warnings,
    /// verbose, debug, information) is merged and rendered through Out-Default into the host, format views included.
    /// </summary>
    public ScriptResult Run(string script, bool render = false, IDictionary<string, object?>? parameters = null, IReadOnlyList<object?>? arguments = null)
    {
        using var shell = System.Management.Automation.PowerShell.Create();
        shell.Runspace = _runspace;
        shell.AddScript(script);
        if (parameters is not null)
        {
            shell.AddParameters(parameters as System.Collections.IDictionary ?? new Dictionary<string, object?>(parameters));
        }

        foreach (var argument in arguments ?? Array.Empty<object?>())
        {
            shell.AddArgument(argument);
        }

        if (render)
        {
            shell.Commands.Commands[0].MergeMyResults(PipelineResultTypes.All, PipelineResultTypes.Output);
            shell.AddCommand("Out-Default");
        }

        var before = Host.Transcript.Length;
        var output = new List<PSObject>();
        Exception? terminating = null;
        try
        {
            var results = shell.Invoke();
            output.AddRange(results.Where(o => o is not null));
        }
        catch (RuntimeException ex)
        {
            terminating = ex;
            if (render)
            {
                // As a console would: the error that ended the script is shown, not only returned.
                using var show = System.Management.Automation.PowerShell.Create();
                show.Runspace = _runspace;
                show.AddCommand("Out-Default").AddParameter("InputObject", ex.ErrorRecord);
                show.Invoke();
            }
        }

        return new ScriptResult(
            output,
            shell.Streams.Error.ToList(),
            shell.Streams.Warning.Select(w => w.Message).ToList(),
            shell.Streams.Verbose.Select(v => v.Message).ToList(),
            shell.Streams.Debug.Select(d => d.Message).ToList(),
            shell.Streams.Information.ToList(),
            shell.Streams.Progress.ToList(),
            terminating,
            Host.Transcript.Substring(before));
    }

    public void Dispose() => _runspace.Dispose();
}
