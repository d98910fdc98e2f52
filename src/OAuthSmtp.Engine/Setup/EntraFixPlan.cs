using System;
using System.Collections.Generic;

namespace OAuthSmtp.Engine.Setup;

/// <summary>
/// What -Fix can do in Entra ID for one failed step: the Graph changes it will make (with the admin's session), or,
/// when it cannot, the lines that say why and how to let it (the sign-in, or exactly the scope or role missing).
/// </summary>
public sealed class EntraFixPlan
{
    public static readonly EntraFixPlan None = new(Array.Empty<SetupFixAction>(), Array.Empty<string>());

    public EntraFixPlan(IReadOnlyList<SetupFixAction> actions, IReadOnlyList<string> fixLines, bool graphMailSendOnly = false, bool pending = false)
    {
        Actions = actions ?? Array.Empty<SetupFixAction>();
        FixLines = fixLines ?? Array.Empty<string>();
        GraphMailSendOnly = graphMailSendOnly;
        Pending = pending;
    }

    /// <summary>The Entra changes -Fix makes, in order (a later one needs the earlier).</summary>
    public IReadOnlyList<SetupFixAction> Actions { get; }

    /// <summary>Lines that go first in the step's Fix: what -Fix will run, or why it cannot and what would let it.</summary>
    public IReadOnlyList<string> FixLines { get; }

    /// <summary>The app has Microsoft Graph's Mail.Send (Graph's sendMail) and not Exchange Online's SMTP.SendAsApp.</summary>
    public bool GraphMailSendOnly { get; }

    /// <summary>Entra ID already has what the step needs; its token service has not caught up yet (replication).</summary>
    public bool Pending { get; }

    public static EntraFixPlan Say(params string[] lines) => new(Array.Empty<SetupFixAction>(), lines);
}
