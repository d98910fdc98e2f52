using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;

namespace OAuthSmtp.Engine.Setup.Entra;

/// <summary>
/// <see cref="IGraphAdmin"/> over the admin's own Microsoft Graph PowerShell session: the PowerShell layer runs
/// Invoke-MgGraphRequest (with a relative URI, so the token goes only where the admin's own session sends it) and
/// Get-MgContext, and hands back plain values. Kept free of PowerShell types so the cmdlet assembly never has to
/// implement an engine interface (its types load before the engine's load context is registered), as
/// <see cref="Exchange.CommandExchangeAdmin"/> does for Exchange.
/// </summary>
public sealed class CommandGraphAdmin : IGraphAdmin
{
    private readonly Func<GraphRequest, GraphResponse> _send;
    private readonly Func<IReadOnlyDictionary<string, object?>?> _context;
    private GraphAdminSession? _session;

    /// <param name="send">Runs Invoke-MgGraphRequest for one request; returns Graph's status and body, including refusals.</param>
    /// <param name="context">Get-MgContext's properties (Account, TenantId, Scopes, AuthType, ClientId), or null when not connected.</param>
    public CommandGraphAdmin(Func<GraphRequest, GraphResponse> send, Func<IReadOnlyDictionary<string, object?>?> context)
    {
        _send = send ?? throw new ArgumentNullException(nameof(send));
        _context = context ?? throw new ArgumentNullException(nameof(context));
    }

    public const string SourceName = "your Connect-MgGraph session";

    public GraphAdminSession DescribeSession()
    {
        if (_session is not null)
        {
            return _session;
        }

        var context = _context() ?? throw GraphNotConnected.Because("Get-MgContext shows no Microsoft Graph connection");
        var authType = Text(context, "AuthType");
        var appOnly = string.Equals(authType, "AppOnly", StringComparison.OrdinalIgnoreCase)
            || string.Equals(authType, "ManagedIdentity", StringComparison.OrdinalIgnoreCase)
            || (Text(context, "Account") is null && Text(context, "ClientId") is not null && authType is not null && !string.Equals(authType, "Delegated", StringComparison.OrdinalIgnoreCase));
        var account = Text(context, "Account") ?? (appOnly ? Text(context, "ClientId") : null);

        // App-only sign-ins act through app roles; directory roles do not apply to them.
        var roles = appOnly ? Array.Empty<string>() : DirectoryRoleReader.ReadOwnRoles(_send);
        _session = new GraphAdminSession(SourceName, account, Text(context, "TenantId"), appOnly, List(context, "Scopes"), roles);
        return _session;
    }

    public GraphResponse Send(GraphRequest request, CancellationToken cancellationToken = default)
    {
        if (request is null)
        {
            throw new ArgumentNullException(nameof(request));
        }

        cancellationToken.ThrowIfCancellationRequested();
        return _send(request);
    }

    private static string? Text(IReadOnlyDictionary<string, object?> item, string name) =>
        item.TryGetValue(name, out var value) && value is not null && !(value is string s && s.Length == 0)
            ? Convert.ToString(value, CultureInfo.InvariantCulture)
            : null;

    private static IEnumerable<string> List(IReadOnlyDictionary<string, object?> item, string name) =>
        item.TryGetValue(name, out var value) ? value switch
        {
            null => Array.Empty<string>(),
            string text => text.Split(new[] { ' ', ',' }, StringSplitOptions.RemoveEmptyEntries),
            IEnumerable values => values.Cast<object?>().Select(v => Convert.ToString(v, CultureInfo.InvariantCulture) ?? string.Empty),
            var other => new[] { Convert.ToString(other, CultureInfo.InvariantCulture) ?? string.Empty },
        } : Array.Empty<string>();
}
