using System;
using OAuthSmtp.Engine.Setup.Entra;
using OAuthSmtp.Engine.Setup.Exchange;

namespace OAuthSmtp.Engine.Setup;

/// <summary>
/// Where -Fix makes its changes: the admin's Exchange Online session (Exchange fixes), the admin's Graph session
/// (Entra fixes), and the secret rotation over that Graph session. A missing one makes its fixes fail with the
/// sign-in that supplies it; the checks offer no Entra fix without a Graph session, so that is rare.
/// </summary>
public sealed class SetupFixSessions
{
    public SetupFixSessions(IExchangeAdmin? exchange, IGraphAdmin? graph = null, Action<IGraphAdmin>? rotateSecret = null)
    {
        Exchange = exchange;
        Graph = graph;
        RotateSecret = rotateSecret;
    }

    public IExchangeAdmin? Exchange { get; }

    public IGraphAdmin? Graph { get; }

    /// <summary>Rotates the profile's client secret through the given Graph session (the workflow's CredentialRotator call).</summary>
    public Action<IGraphAdmin>? RotateSecret { get; }
}
