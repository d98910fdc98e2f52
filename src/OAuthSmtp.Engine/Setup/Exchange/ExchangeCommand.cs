using System.Collections.Generic;
using System.Linq;

namespace OAuthSmtp.Engine.Setup.Exchange;

/// <summary>One Exchange admin command to run in the admin's session: the cmdlet name and its named parameters.</summary>
public sealed class ExchangeCommand
{
    public ExchangeCommand(string name, params (string Name, object? Value)[] parameters)
    {
        Name = name;
        Parameters = parameters.Select(p => new KeyValuePair<string, object?>(p.Name, p.Value)).ToList();
    }

    /// <summary>Get-ServicePrincipal, Add-MailboxPermission, …</summary>
    public string Name { get; }

    /// <summary>Named parameters in order; a bool is a [bool] argument (-Confirm:$false is always added to changes by the runner).</summary>
    public IReadOnlyList<KeyValuePair<string, object?>> Parameters { get; }

    /// <summary>Whether the command changes something (so the runner passes -Confirm:$false: the admin already agreed).</summary>
    public bool Changes => !Name.StartsWith("Get-", System.StringComparison.Ordinal) && !Name.StartsWith("Test-", System.StringComparison.Ordinal);

    public override string ToString() => Name + string.Concat(Parameters.Select(p => $" -{p.Key} {p.Value}"));
}
