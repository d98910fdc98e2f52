using System;
using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;

namespace OAuthSmtp.Emulator.PowerShell.Graph;

/// <summary>
/// The Microsoft Graph sign-in of each PowerShell session (runspace), as the SDK keeps one per process/user: the context
/// Get-MgContext shows and the access token Invoke-MgGraphRequest sends. Kept outside session variables so a script
/// can neither read the token nor fake a connection.
/// </summary>
internal static class GraphConnections
{
    private static readonly ConditionalWeakTable<Runspace, GraphConnection> Connections = new();

    public static GraphConnection? Current(Runspace? runspace) =>
        runspace is not null && Connections.TryGetValue(runspace, out var connection) ? connection : null;

    public static void Set(Runspace? runspace, GraphConnection connection)
    {
        if (runspace is null) return;
        Connections.AddOrUpdate(runspace, connection);
    }

    public static bool Remove(Runspace? runspace) => runspace is not null && Connections.Remove(runspace);
}

/// <summary>One Graph sign-in: the context and the bearer token (never written to any stream).</summary>
internal sealed record GraphConnection(AuthContext Context, string AccessToken, DateTimeOffset ExpiresOn, ExchangeOnlineEmulator Emulator);
