using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using OAuthSmtp.Engine.Setup.Entra;

namespace OAuthSmtp.PowerShell.Setup;

/// <summary>
/// Runs Microsoft Graph calls in the admin's own Connect-MgGraph session: Invoke-MgGraphRequest with a RELATIVE URI
/// (v1.0/…), so the session's own Graph host receives its own token and this module never holds it, and Get-MgContext
/// for who is signed in with which scopes. Microsoft.Graph.Authentication in production, any module with the same
/// command names and output shapes in tests. Each call runs through a nested pipeline on the cmdlet's thread with
/// -ErrorAction Stop. This class deliberately implements no engine interface (the cmdlet assembly's types load before
/// the engine's load context exists); the engine's <see cref="CommandGraphAdmin"/> wraps these methods instead.
/// </summary>
internal sealed class RunspaceGraphCommands
{
    private readonly PSCmdlet _cmdlet;
    private readonly Action<string>? _verbose;
    private readonly bool _jsonOutput;

    private RunspaceGraphCommands(PSCmdlet cmdlet, Action<string>? verbose, bool jsonOutput)
    {
        _cmdlet = cmdlet;
        _verbose = verbose;
        _jsonOutput = jsonOutput;
    }

    /// <summary>The session's Graph admin, or null with the reason when no Graph session is connected.</summary>
    public static CommandGraphAdmin? Connect(PSCmdlet cmdlet, Action<string>? verbose, out string? whyNot)
    {
        var invoke = cmdlet.InvokeCommand.GetCommand("Invoke-MgGraphRequest", CommandTypes.Cmdlet | CommandTypes.Function | CommandTypes.Alias);
        if (invoke is null || cmdlet.InvokeCommand.GetCommand("Get-MgContext", CommandTypes.Cmdlet | CommandTypes.Function | CommandTypes.Alias) is null)
        {
            whyNot = "the Microsoft Graph PowerShell cmdlets are not loaded in this session (Microsoft.Graph.Authentication is not imported, or Connect-MgGraph has not run)";
            return null;
        }

        var runner = new RunspaceGraphCommands(cmdlet, verbose, HasParameter(invoke, "OutputType"));
        var context = runner.Context();
        if (context is null)
        {
            whyNot = "Connect-MgGraph has not run in this session (Get-MgContext returns nothing)";
            return null;
        }

        whyNot = null;
        return new CommandGraphAdmin(runner.Send, runner.Context);
    }

    private IReadOnlyDictionary<string, object?>? Context()
    {
        try
        {
            var context = _cmdlet.InvokeCommand.InvokeScript("Get-MgContext -ErrorAction Stop").FirstOrDefault(c => c is not null);
            return context is null ? null : Properties(context);
        }
        catch (RuntimeException)
        {
            return null;
        }
    }

    private GraphResponse Send(GraphRequest request)
    {
        // Splatting keeps every value a value: no quoting, no injection through names or filters.
        var parameters = new Hashtable(StringComparer.OrdinalIgnoreCase)
        {
            ["Method"] = request.Method,
            ["Uri"] = request.RelativeUri,
            ["ErrorAction"] = ActionPreference.Stop,
        };
        if (request.Body is not null)
        {
            parameters["Body"] = request.Body;
            parameters["ContentType"] = "application/json";
        }

        if (_jsonOutput)
        {
            parameters["OutputType"] = "Json";
        }

        _verbose?.Invoke("Graph: " + request);
        try
        {
            var output = _cmdlet.InvokeCommand.InvokeScript("param($Parameters) Invoke-MgGraphRequest @Parameters", parameters);
            return GraphCommandOutput.Success(request, output.Where(o => o is not null).Select(o => Plain(o)).ToList());
        }
        catch (RuntimeException ex)
        {
            return Refusal(ex);
        }
    }

    /// <summary>Invoke-MgGraphRequest reports a refusal as an error; its exception may also carry the response.</summary>
    private static GraphResponse Refusal(RuntimeException ex) =>
        GraphCommandOutput.Refusal(
            StatusFromResponse(ex.ErrorRecord?.Exception ?? ex),
            new[] { ex.ErrorRecord?.ErrorDetails?.Message, ex.ErrorRecord?.Exception?.Message, ex.Message });

    private static int? StatusFromResponse(Exception exception)
    {
        var response = PSObject.AsPSObject(exception).Properties["Response"]?.Value;
        var status = response is null ? null : PSObject.AsPSObject(response).Properties["StatusCode"]?.Value;
        return status switch
        {
            null => null,
            int code => code,
            Enum code => Convert.ToInt32(code, CultureInfo.InvariantCulture),
            var other => int.TryParse(Convert.ToString(other, CultureInfo.InvariantCulture), out var code) ? code : null,
        };
    }

    /// <summary>Output objects as plain values: dictionaries, lists, strings, numbers (the engine serializes them).</summary>
    private static object? Plain(object? value) => value switch
    {
        null => null,
        PSObject wrapped => Plain(wrapped.BaseObject),
        string or bool or int or long or double or decimal => value,
        Guid id => id.ToString(),
        DateTime time => time.ToString("o", CultureInfo.InvariantCulture),
        DateTimeOffset time => time.ToString("o", CultureInfo.InvariantCulture),
        IDictionary map => map.Keys.Cast<object>().ToDictionary(k => Convert.ToString(k, CultureInfo.InvariantCulture) ?? string.Empty, k => Plain(map[k])),
        IEnumerable items => items.Cast<object?>().Select(Plain).ToList(),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture),
    };

    private static IReadOnlyDictionary<string, object?> Properties(PSObject item)
    {
        var bag = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
        foreach (var property in item.Properties)
        {
            try
            {
                bag[property.Name] = property.Value switch
                {
                    PSObject wrapped => wrapped.BaseObject,
                    var value => value,
                };
            }
            catch (GetValueException)
            {
            }
        }

        return bag;
    }

    private static bool HasParameter(CommandInfo command, string name)
    {
        try
        {
            return command.Parameters.ContainsKey(name);
        }
        catch (Exception ex) when (ex is RuntimeException || ex is InvalidOperationException)
        {
            return false;
        }
    }
}
