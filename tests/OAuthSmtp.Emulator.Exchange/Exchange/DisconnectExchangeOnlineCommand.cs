using System;
using System.Linq;
using System.Management.Automation;

namespace OAuthSmtp.Emulator.PowerShell.Exchange;

/// <summary>Disconnect-ExchangeOnline: ends this session's connections; prompts unless -Confirm:$false, like the real one.</summary>
[Cmdlet(VerbsCommunications.Disconnect, "ExchangeOnline", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = "DefaultParameterSet")]
public sealed class DisconnectExchangeOnlineCommand : ExchangeCmdlet
{
    [Parameter(ParameterSetName = "ConnectionId", Mandatory = true)]
    public string[]? ConnectionId { get; set; }

    [Parameter(ParameterSetName = "ModulePrefix", Mandatory = true)]
    public string[]? ModulePrefix { get; set; }

    protected override bool RequiresConnection => false;

    protected override void EndProcessing()
    {
        var connections = ExchangeConnections.Current(CurrentRunspace)
            .Where(c => ConnectionId is null || ConnectionId.Any(id => string.Equals(id, c.ConnectionId.ToString(), StringComparison.OrdinalIgnoreCase)))
            .Where(c => ModulePrefix is null || ModulePrefix.Any(p => string.Equals(p, c.ModulePrefix, StringComparison.OrdinalIgnoreCase)))
            .ToList();
        if (connections.Count == 0) return;
        if (!ShouldProcess(
                string.Join(", ", connections.Select(c => c.Name)),
                "Disconnect from Exchange Online and remove the connection's temporary module")) return;
        foreach (var connection in connections)
        {
            ExchangeConnections.Remove(CurrentRunspace, connection);
        }
    }
}
