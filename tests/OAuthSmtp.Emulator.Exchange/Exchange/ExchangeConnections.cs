using System.Collections.Generic;
using System.Linq;
using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;
using OAuthSmtp.Emulator.PowerShell.Exchange.Output;

namespace OAuthSmtp.Emulator.PowerShell.Exchange;

/// <summary>
/// The Exchange Online connections of each PowerShell session (runspace), as the real module keeps them per
/// PowerShell instance. Kept outside session variables so scripts cannot fake a connection by setting one.
/// </summary>
internal static class ExchangeConnections
{
    private static readonly ConditionalWeakTable<Runspace, List<ConnectionInformation>> Connections = new();

    private static List<ConnectionInformation> For(Runspace? runspace) =>
        runspace is null ? new List<ConnectionInformation>() : Connections.GetValue(runspace, _ => new List<ConnectionInformation>());

    public static IReadOnlyList<ConnectionInformation> Current(Runspace? runspace)
    {
        var list = For(runspace);
        lock (list)
        {
            return list.ToList();
        }
    }

    public static bool IsConnected(Runspace? runspace) => Current(runspace).Count > 0;

    public static ConnectionInformation Add(Runspace? runspace, System.Func<int, ConnectionInformation> create)
    {
        var list = For(runspace);
        lock (list)
        {
            var connection = create(list.Count == 0 ? 1 : list.Max(c => c.Id) + 1);
            list.Add(connection);
            return connection;
        }
    }

    public static void Remove(Runspace? runspace, ConnectionInformation connection)
    {
        var list = For(runspace);
        lock (list)
        {
            connection.State = "Broken";
            connection.TokenStatus = "Expired";
            list.Remove(connection);
        }
    }
}
