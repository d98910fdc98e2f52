using System;

namespace OAuthSmtp.Engine.Setup;

/// <summary>What Test-SmtpOAuthSetup was asked to do beyond checking: -Fix (with -UseRbac), -Wait with its -Timeout.</summary>
public sealed class SetupWorkflowOptions
{
    /// <summary>Run the fixes (Exchange, and Entra where a Graph session may), then check again.</summary>
    public bool Fix { get; set; }

    /// <summary>Let -Fix make the RBAC for Applications changes too (the request's UseRbac).</summary>
    public bool UseRbac { get; set; }

    /// <summary>Re-test until Exchange has applied recent changes, or <see cref="Timeout"/> passes.</summary>
    public bool Wait { get; set; }

    public TimeSpan Timeout { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// How many times -Fix re-checks and looks for new fixes: a fix can reveal the next one (a new service principal
    /// lets its permissions be checked). Each fix is still asked about once only.
    /// </summary>
    public int MaxFixRounds { get; set; } = 4;
}
