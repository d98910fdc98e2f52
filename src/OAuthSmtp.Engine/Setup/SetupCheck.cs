using System;
using System.Collections.Generic;

namespace OAuthSmtp.Engine.Setup;

/// <summary>
/// One check of the doctor. <see cref="DependsOn"/> names the steps it needs: when one of them failed, the doctor
/// calls <see cref="RunBlocked"/> instead of <see cref="Run"/>, which reports Skipped with the reason (and may still
/// say what will be needed, so -Fix and -WhatIf see every command at once).
/// </summary>
public abstract class SetupCheck
{
    public abstract SetupStep Step { get; }

    public virtual IReadOnlyList<SetupStep> DependsOn => Array.Empty<SetupStep>();

    /// <summary>Needs the Exchange Online session (skipped with -SkipExchange or without a session).</summary>
    public virtual bool NeedsExchange => false;

    /// <summary>Shown in the progress bar while the check runs.</summary>
    public abstract string Activity { get; }

    public abstract SetupCheckResult Run(SetupContext context);

    public virtual SetupCheckResult RunBlocked(SetupContext context, SetupStep failedStep) =>
        Skipped(SkippedBecause(failedStep));

    /// <summary>
    /// Whether a failed result keeps the steps that depend on this one from running. Most failures do; a failure that
    /// leaves the facts later steps read intact (an unlicensed mailbox still exists) lets them run, so one -Fix covers them.
    /// </summary>
    public virtual bool BlocksDependents(SetupCheckResult result) => true;

    /// <summary>
    /// The step's results: one, unless the step judges several things on its own (SendAs: one result per -From
    /// address, so each can fail, be fixed and pass on its own).
    /// </summary>
    public virtual IReadOnlyList<SetupCheckResult> RunEach(SetupContext context) => new[] { Run(context) };

    /// <summary>The step's results when a step it depends on failed: one per target, each saying why.</summary>
    public virtual IReadOnlyList<SetupCheckResult> RunEachBlocked(SetupContext context, SetupStep failedStep) => PerTarget(context, RunBlocked(context, failedStep));

    /// <summary>What the step reports on one by one (SendAs: the -From addresses); empty for a step with a single result.</summary>
    public virtual IReadOnlyList<string> Targets(SetupContext context) => Array.Empty<string>();

    /// <summary>A verdict that holds for every target alike (skipped, not connected), once per target.</summary>
    public IReadOnlyList<SetupCheckResult> PerTarget(SetupContext context, SetupCheckResult result)
    {
        var targets = Targets(context);
        if (targets.Count == 0)
        {
            return new[] { result };
        }

        var each = new SetupCheckResult[targets.Count];
        for (var index = 0; index < targets.Count; index++)
        {
            each[index] = result.For(targets[index]);
        }

        return each;
    }

    protected SetupCheckResult Pass(string detail) => new(Step, SetupCheckStatus.Pass, detail);

    protected SetupCheckResult Skipped(string detail, string? fix = null, string? reasonId = null, IReadOnlyList<SetupFixAction>? actions = null, string? cause = null, string? documentation = null) =>
        new(Step, SetupCheckStatus.Skipped, detail, cause, fix, documentation, reasonId, actions);

    protected SetupCheckResult Fail(string detail, string cause, string? fix, string documentation, string reasonId, IReadOnlyList<SetupFixAction>? actions = null, bool pending = false) =>
        new(Step, SetupCheckStatus.Fail, detail, cause, fix, documentation, reasonId, actions, pending);

    protected SetupCheckResult Warning(string detail, string cause, string? fix, string? documentation, string? reasonId = null) =>
        new(Step, SetupCheckStatus.Warning, detail, cause, fix, documentation, reasonId);

    protected static string SkippedBecause(SetupStep failedStep) => $"Not checked: it depends on the {failedStep} step, which failed. Fix that first.";
}
