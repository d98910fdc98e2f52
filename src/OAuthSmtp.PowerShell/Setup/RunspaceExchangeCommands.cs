using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using OAuthSmtp.Engine.Setup.Exchange;
using OAuthSmtp.PowerShell.Hosting;

namespace OAuthSmtp.PowerShell.Setup;

/// <summary>
/// Runs Exchange admin commands in the admin's own session: the ExchangeOnlineManagement cmdlets in production, any
/// module with the same names and output property names in tests. Each runs through a nested pipeline on the cmdlet's
/// thread with -ErrorAction Stop; a change also gets -Confirm:$false (the admin agreed through Test-SmtpOAuthSetup's
/// own ShouldProcess). This class deliberately implements no engine interface: the cmdlet assembly's types load before
/// the engine's load context exists, so the engine's <see cref="CommandExchangeAdmin"/> wraps these methods instead.
/// </summary>
internal sealed class RunspaceExchangeCommands
{
    private readonly PSCmdlet _cmdlet;
    private readonly Action<string>? _verbose;

    private RunspaceExchangeCommands(PSCmdlet cmdlet, Action<string>? verbose)
    {
        _cmdlet = cmdlet;
        _verbose = verbose;
    }

    /// <summary>The session's Exchange admin, or null with the reason when no Exchange Online session is connected.</summary>
    public static CommandExchangeAdmin? Connect(PSCmdlet cmdlet, Action<string>? verbose, out string? whyNot)
    {
        if (!cmdlet.HasCommand("Get-ServicePrincipal"))
        {
            whyNot = "the Exchange Online cmdlets are not loaded in this session (ExchangeOnlineManagement is not imported, or Connect-ExchangeOnline has not run)";
            return null;
        }

        if (cmdlet.HasCommand("Get-ConnectionInformation"))
        {
            try
            {
                var connections = cmdlet.InvokeCommand.InvokeScript("Get-ConnectionInformation -ErrorAction Stop");
                if (!connections.Any(c => c is not null && string.Equals(Convert.ToString(c.Properties["State"]?.Value, System.Globalization.CultureInfo.InvariantCulture), "Connected", StringComparison.OrdinalIgnoreCase)))
                {
                    whyNot = "Exchange Online is not connected (Get-ConnectionInformation lists no connection)";
                    return null;
                }
            }
            catch (RuntimeException ex)
            {
                whyNot = "Get-ConnectionInformation failed: " + ex.Message;
                return null;
            }
        }

        whyNot = null;
        var runner = new RunspaceExchangeCommands(cmdlet, verbose);
        return new CommandExchangeAdmin(runner.Run, cmdlet.HasCommand);
    }

    private IReadOnlyList<IReadOnlyDictionary<string, object?>> Run(ExchangeCommand command)
    {
        // Splatting keeps every value a value: no quoting, no injection through ids or filters.
        var parameters = new Hashtable(StringComparer.OrdinalIgnoreCase);
        foreach (var parameter in command.Parameters)
        {
            parameters[parameter.Key] = parameter.Value;
        }

        parameters["ErrorAction"] = ActionPreference.Stop;
        if (command.Changes)
        {
            parameters["Confirm"] = false;
        }

        _verbose?.Invoke("Exchange: " + command);
        try
        {
            var output = _cmdlet.InvokeCommand.InvokeScript("param($Command, $Parameters) & $Command @Parameters", command.Name, parameters);
            return output.Where(o => o is not null).Select(Properties).ToList();
        }
        catch (RuntimeException ex)
        {
            var record = ex.ErrorRecord;
            var notFound = record?.CategoryInfo.Category == ErrorCategory.ObjectNotFound
                || (record?.FullyQualifiedErrorId?.IndexOf("NotFound", StringComparison.OrdinalIgnoreCase) ?? -1) >= 0
                || ex.Message.IndexOf("couldn't be found", StringComparison.OrdinalIgnoreCase) >= 0;
            throw new ExchangeAdminException(command.Name, record?.Exception?.Message ?? ex.Message, ex, notFound);
        }
    }

    private static IReadOnlyDictionary<string, object?> Properties(PSObject item)
    {
        var bag = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
        foreach (var property in item.Properties)
        {
            object? value;
            try
            {
                value = property.Value;
            }
            catch (GetValueException)
            {
                continue;
            }

            bag[property.Name] = Unwrap(value);
        }

        return bag;
    }

    private static object? Unwrap(object? value) => value switch
    {
        PSObject wrapped => Unwrap(wrapped.BaseObject),
        string text => text,
        IEnumerable items => items.Cast<object?>().Select(Unwrap).ToArray(),
        _ => value,
    };
}
