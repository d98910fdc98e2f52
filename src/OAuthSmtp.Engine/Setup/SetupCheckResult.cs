using System;
using System.Collections.Generic;
using System.Linq;

namespace OAuthSmtp.Engine.Setup;

/// <summary>
/// What one check found: the step, its status, the facts with their ids (Detail), why it matters in an admin's words
/// (Cause), the exact command that fixes it (Fix) and the Microsoft page that explains it (Documentation).
/// <see cref="FixActions"/> is the machine-readable form -Fix runs.
/// </summary>
public sealed class SetupCheckResult
{
    public SetupCheckResult(
        SetupStep step,
        SetupCheckStatus status,
        string detail,
        string? cause = null,
        string? fix = null,
        string? documentation = null,
        string? reasonId = null,
        IReadOnlyList<SetupFixAction>? fixActions = null,
        bool isPending = false,
        string? target = null)
    {
        Step = step;
        Status = status;
        Detail = detail ?? string.Empty;
        Cause = cause;
        Fix = fix ?? (fixActions is { Count: > 0 } ? string.Join(Environment.NewLine, fixActions.Select(a => a.CommandText)) : null);
        Documentation = documentation;
        ReasonId = reasonId;
        FixActions = fixActions ?? Array.Empty<SetupFixAction>();
        IsPending = isPending;
        Target = target;
    }

    public SetupStep Step { get; }

    public SetupCheckStatus Status { get; }

    /// <summary>What was found, with the ids involved.</summary>
    public string Detail { get; }

    /// <summary>Why it matters, in an admin's words (null when the step passed).</summary>
    public string? Cause { get; }

    /// <summary>The exact command(s) that fix it, one per line, with the real ids filled in.</summary>
    public string? Fix { get; }

    /// <summary>A Microsoft Learn page about the step.</summary>
    public string? Documentation { get; }

    /// <summary>A stable id naming the failure (ErrorIds.Setup*), for scripts; null when the step passed.</summary>
    public string? ReasonId { get; }

    /// <summary>The Exchange-side changes -Fix can make for this step (empty when the fix is elsewhere, e.g. in Entra ID).</summary>
    public IReadOnlyList<SetupFixAction> FixActions { get; }

    /// <summary>The step looks right, but Exchange has not applied it yet (propagation); -Wait waits for these.</summary>
    public bool IsPending { get; }

    /// <summary>
    /// What this result is about when a step reports once per address (SendAs: the -From address it checked); null
    /// for steps with a single result.
    /// </summary>
    public string? Target { get; }

    /// <summary>The same result about <paramref name="target"/>.</summary>
    public SetupCheckResult For(string target) =>
        new(Step, Status, Detail, Cause, Fix, Documentation, ReasonId, FixActions, IsPending, target);

    public override string ToString() => Target is null ? $"{Step}: {Status} - {Detail}" : $"{Step} ({Target}): {Status} - {Detail}";
}
