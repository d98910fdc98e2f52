using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using OAuthSmtp.Engine.Errors;

namespace OAuthSmtp.Engine.Setup;

/// <summary>
/// Test-SmtpOAuthSetup from start to end: check, then with -Fix apply the fixes in rounds (Exchange through the admin's
/// Exchange session, Entra ID through the admin's Graph session; each fix asked about once; what needs a declined or
/// failed fix is skipped; with -Wait a change still propagating is waited for before the next round), then with -Wait
/// re-test until Exchange has applied the changes. The cmdlet binds parameters, calls <see cref="Run"/> and writes what <see cref="SetupHost"/> receives.
/// Runs on the caller's thread (the Exchange session is a PowerShell pipeline driven from the cmdlet's thread).
/// </summary>
public sealed class SetupWorkflow
{
    private readonly SetupServices _services;
    private readonly SetupDoctor _doctor;
    private readonly SetupHost _host;

    public SetupWorkflow(SetupServices services, SetupHost host, SetupDoctor? doctor = null)
    {
        _services = services ?? throw new ArgumentNullException(nameof(services));
        _host = host ?? throw new ArgumentNullException(nameof(host));
        _doctor = doctor ?? new SetupDoctor(services);
    }

    /// <summary>How -Wait waits between re-tests; tests replace it so they need not sleep.</summary>
    public Action<TimeSpan, CancellationToken>? Sleep { get; set; }

    /// <returns>The last report: the one to output.</returns>
    public SetupReport Run(SetupRequest request, SetupWorkflowOptions options, CancellationToken cancellationToken = default)
    {
        if (request is null)
        {
            throw new ArgumentNullException(nameof(request));
        }

        if (options is null)
        {
            throw new ArgumentNullException(nameof(options));
        }

        var report = Check(request, "Checking", cancellationToken);
        var timedOut = false;
        if (options.Fix)
        {
            (report, request, timedOut) = Repair(request, options, report, cancellationToken);
        }

        if (options.Wait && !timedOut && report.Pending.Count > 0)
        {
            report = WaitForPropagation(request, options, report, cancellationToken).Report;
        }

        return report;
    }

    private SetupReport Check(SetupRequest request, string phase, CancellationToken cancellationToken) =>
        _doctor.Run(
            request,
            progress => _host.Progress($"{phase} '{request.Profile.Name}': {progress.Activity}", Math.Min(100, progress.PercentComplete), progress.Step.ToString(), -1),
            cancellationToken);

    private (SetupReport Report, SetupRequest Request, bool TimedOut) Repair(SetupRequest request, SetupWorkflowOptions options, SetupReport report, CancellationToken cancellationToken)
    {
        var exchange = request.SkipExchange ? null : _services.Exchange;
        if (exchange is null)
        {
            var why = report.Results.FirstOrDefault(x => x.ReasonId == ErrorIds.SetupExchangeNotConnected)?.Detail.TrimEnd('.') ?? "no session";
            _host.Error(
                new OAuthSmtpException(
                    ErrorIds.SetupExchangeNotConnected,
                    ErrorKind.ResourceUnavailable,
                    $"-Fix needs your Exchange Online session, and none is connected ({why}).",
                    "Import-Module ExchangeOnlineManagement; Connect-ExchangeOnline -UserPrincipalName <admin address>; then run Test-SmtpOAuthSetup -Fix again."),
                request.Profile.Name);
            if (!report.FixActions(options.UseRbac).Any(a => a.ChangesEntra))
            {
                return (report, request, false);
            }
        }

        var rotated = false;
        var current = request;
        var sessions = new SetupFixSessions(exchange, _services.GraphAdmin, graph =>
        {
            var rotation = _services.SecretRotation ?? throw new InvalidOperationException("No secret rotation was set up.");
            var result = rotation.Rotate(graph, current.Profile, _host.Verbose, cancellationToken);
            _host.Information($"New client secret (id {result.NewCredentialId}, valid until {result.NewEndsOn:yyyy-MM-dd}) stored in profile '{result.Profile}'. {result.Proof} {result.Next}");
            rotated = true;
        });
        var asked = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var notMade = new Dictionary<string, string>(StringComparer.Ordinal);
        var changed = 0;
        var declined = 0;
        var round = 0;
        var waitedInRound = -1;
        var timedOut = false;
        while (round < options.MaxFixRounds)
        {
            // Each fix is asked about once per run: a declined one is not asked again after the re-test.
            var actions = report.FixActions(options.UseRbac).Where(a => !asked.Contains(a.CommandText)).Where(a => exchange is not null || a.ChangesEntra).ToList();
            if (actions.Count == 0)
            {
                // A change that is still propagating (a new enterprise application) may hide the next fix: with -Wait, wait for it, then look again.
                if (options.Wait && changed > 0 && report.Pending.Count > 0 && waitedInRound != round)
                {
                    waitedInRound = round;
                    (report, timedOut) = WaitForPropagation(current, options, report, cancellationToken);
                    if (timedOut)
                    {
                        break;
                    }

                    continue;
                }

                break;
            }

            round++;
            asked.UnionWith(actions.Select(a => a.CommandText));
            var outcomes = SetupFixRunner.Apply(actions, sessions, _host.ShouldProcess, notMade);
            foreach (var outcome in outcomes)
            {
                if (outcome.Applied)
                {
                    changed++;
                    _host.Verbose("Fixed: " + outcome.Action.CommandText);
                    _host.Information("Ran: " + outcome.Action.CommandText);
                }
                else if (outcome.Error is not null)
                {
                    _host.Error(outcome.Error, outcome.Action.Target);
                }
                else if (outcome.BlockedBy is not null)
                {
                    _host.Information($"Not run: {outcome.Action.CommandText} (it needs '{outcome.BlockedBy}', which was not run).");
                }
                else
                {
                    declined++;
                }
            }

            if (!outcomes.Any(o => o.Applied))
            {
                break;
            }

            if (rotated && _services.SecretRotation is { } rotation)
            {
                // The next check signs in with the profile's new secret.
                rotated = false;
                var (profile, tokens) = rotation.Reload(current.Profile.Name);
                _services.Tokens = tokens;
                current = current.WithProfile(profile);
            }

            report = Check(current, "Checking again after the fixes for", cancellationToken);
        }

        var remaining = report.FixActions(options.UseRbac);
        if (changed == 0 && declined == 0 && remaining.Count == 0)
        {
            _host.Information(report.Succeeded
                ? "Nothing to fix: every step is already right; nothing was changed."
                : "Nothing -Fix may change; nothing was changed. The failed steps need a change it cannot make here: see their Fix.");
        }

        var rbacOnly = report.FixActions(includeRbac: true).Where(a => a.IsRbacRoute).ToList();
        if (!options.UseRbac && rbacOnly.Count > 0)
        {
            _host.Warning($"The RBAC for Applications route needs {rbacOnly.Count} change(s) that -Fix makes only with -UseRbac: {string.Join("; ", rbacOnly.Select(a => a.CommandText))}");
        }

        var elsewhere = report.Results
            .Where(r => r.Status == SetupCheckStatus.Fail && r.FixActions.Count == 0 && !r.IsPending)
            .Select(r => r.Target is null ? r.Step.ToString() : $"{r.Step} ({r.Target})")
            .Distinct()
            .ToList();
        if (elsewhere.Count > 0)
        {
            _host.Warning($"-Fix could not change these steps (Entra ID needs a Microsoft Graph session with the rights their Fix names; the organisation-wide SMTP AUTH switch is never changed). Still failing, with the fix in their result: {string.Join(", ", elsewhere)}.");
        }

        return (report, current, timedOut);
    }

    private (SetupReport Report, bool TimedOut) WaitForPropagation(SetupRequest request, SetupWorkflowOptions options, SetupReport report, CancellationToken cancellationToken)
    {
        var timeout = options.Timeout;
        var wait = new SetupPropagationWait(() => Check(request, "Waiting for Exchange to apply the changes to", cancellationToken), _services.UtcNow);
        if (Sleep is not null)
        {
            wait.Sleep = Sleep;
        }

        var (final, timedOut) = wait.Run(
            report,
            timeout,
            (elapsed, current, nextCheck) => _host.Progress(
                $"Waiting for Exchange to apply the changes ({Pending(current)} pending; next check in {Math.Ceiling(nextCheck.TotalSeconds):0} s)",
                (int)Math.Min(99, elapsed.TotalSeconds * 100 / timeout.TotalSeconds),
                $"Waited {Math.Floor(elapsed.TotalSeconds):0} s of at most {Math.Floor(timeout.TotalSeconds):0} s",
                (int)Math.Max(0, (timeout - elapsed).TotalSeconds)),
            cancellationToken);
        if (timedOut)
        {
            // An error, not a warning: a runbook must be able to tell "not yet" from "done".
            _host.Error(
                new OAuthSmtpException(
                    ErrorIds.SetupWaitTimedOut,
                    ErrorKind.OperationTimeout,
                    $"After {Math.Floor(timeout.TotalSeconds):0} s Exchange still has not applied the changes: {Pending(final)} still pending.",
                    $"Propagation can take up to an hour (a new licence or mailbox up to 24 h). Run Test-SmtpOAuthSetup -Profile {PowerShellText.Quote(request.Profile.Name)} -Wait -Timeout 3600 again later."),
                request.Profile.Name);
        }
        else
        {
            _host.Verbose("Exchange has applied the changes.");
        }

        return (final, timedOut);
    }

    private static string Pending(SetupReport report) =>
        string.Join(", ", report.Pending.Select(p => p.Target is null ? p.Step.ToString() : $"{p.Step} ({p.Target})").Distinct());
}
