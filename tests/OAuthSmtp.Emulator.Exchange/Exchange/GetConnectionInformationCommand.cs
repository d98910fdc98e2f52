using System;
using System.Linq;
using System.Management.Automation;
using OAuthSmtp.Emulator.PowerShell.Exchange.Output;

namespace OAuthSmtp.Emulator.PowerShell.Exchange;

/// <summary>Get-ConnectionInformation: this session's connections; nothing (and no error) when not connected.</summary>
[Cmdlet(VerbsCommon.Get, "ConnectionInformation", DefaultParameterSetName = "Default")]
[OutputType(typeof(ConnectionInformation))]
public sealed class GetConnectionInformationCommand : ExchangeCmdlet
{
    [Parameter(ParameterSetName = "ConnectionId", Mandatory = true)]
    public string[]? ConnectionId { get; set; }

    [Parameter(ParameterSetName = "ModulePrefix", Mandatory = true)]
    public string[]? ModulePrefix { get; set; }

    protected override bool RequiresConnection => false;

    protected override void EndProcessing()
    {
        foreach (var connection in ExchangeConnections.Current(CurrentRunspace))
        {
            if (ConnectionId is not null && !ConnectionId.Any(id => string.Equals(id, connection.ConnectionId.ToString(), StringComparison.OrdinalIgnoreCase))) continue;
            if (ModulePrefix is not null && !ModulePrefix.Any(p => string.Equals(p, connection.ModulePrefix, StringComparison.OrdinalIgnoreCase))) continue;
            WriteObject(connection);
        }
    }
}
