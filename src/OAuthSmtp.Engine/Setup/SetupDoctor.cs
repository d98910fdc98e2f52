using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using OAuthSmtp.Engine.Errors;
using OAuthSmtp.Engine.Setup.Checks;

namespace OAuthSmtp.Engine.Setup;

/// <summary>
/// Runs the setup checks in order and reports one result per step. A check whose prerequisite failed is reported as
/// Skipped with the reason (never as a second failure); Exchange checks without a session say how to connect, and the
/// others still run.
/// Runs synchronously on the caller's thread on purpose: the Exchange session behind <see cref="Exchange.IExchangeAdmin"/>
/// is a PowerShell pipeline that may only be driven from the cmdlet's thread, and progress is written from there too.
/// </summary>
public sealed class SetupDoctor
{
    private readonly SetupServices _services;
    private readonly IReadOnlyList<SetupCheck> _checks;

    public SetupDoctor(SetupServices services, IReadOnlyList<SetupCheck>? checks = null)
    {
        _services = services ?? throw new ArgumentNullException(nameof(services));
        _checks = checks ?? DefaultChecks();
    }

    /// <summary>Every check, in the order an admin sets things up.</summary>
    public static IReadOnlyList<SetupCheck> DefaultChecks() => new SetupCheck[]
    {
        new ProfileCheck(),
        new TenantCheck(),
        new TokenCheck(),
        new CredentialLifetimeCheck(),
        new TokenPermissionsCheck(),
        new SecurityPoliciesCheck(),
        new ServicePrincipalCheck(),
        new MailboxCheck(),
        new MailboxPermissionCheck(),
        new SmtpAuthCheck(),
        new SendAsCheck(),
        new SmtpHandshakeCheck(),
        new TestMessageCheck(),
    };

    public SetupReport Run(SetupRequest request, Action<SetupProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        if (request is null)
        {
            throw new ArgumentNullException(nameof(request));
        }

        var context = new SetupContext(request, _services, cancellationToken);
        var failedRoot = new Dictionary<SetupStep, SetupStep>();
        var results = new List<SetupCheckResult>();
        for (var index = 0; index < _checks.Count; index++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var check = _checks[index];
            progress?.Invoke(new SetupProgress(check.Step, index, _checks.Count, check.Activity));

            IReadOnlyList<SetupCheckResult> stepResults;
            var blockedBy = check.DependsOn.Where(failedRoot.ContainsKey).Select(step => (SetupStep?)failedRoot[step]).FirstOrDefault();
            if (check.NeedsExchange && request.SkipExchange)
            {
                stepResults = check.PerTarget(context, new SetupCheckResult(check.Step, SetupCheckStatus.Skipped, "Left out on purpose (-SkipExchange)."));
            }
            else if (check.NeedsExchange && _services.Exchange is null)
            {
                stepResults = check.PerTarget(context, NotConnected(check.Step, context));
            }
            else if (blockedBy is { } root)
            {
                stepResults = check.RunEachBlocked(context, root);
            }
            else
            {
                stepResults = check.RunEach(context);
            }

            // A step with several results (one per -From address) failed when any of them failed.
            if (stepResults.Any(r => r.Status == SetupCheckStatus.Fail && check.BlocksDependents(r)))
            {
                failedRoot[check.Step] = check.Step;
            }
            else if (blockedBy is { } root && stepResults.All(r => r.Status == SetupCheckStatus.Skipped))
            {
                failedRoot[check.Step] = root;
            }

            foreach (var result in stepResults)
            {
                context.Record(result);
                results.Add(result);
            }
        }

        progress?.Invoke(new SetupProgress(_checks.Count == 0 ? SetupStep.Profile : _checks[_checks.Count - 1].Step, _checks.Count, _checks.Count, "Done"));
        return new SetupReport(results);
    }

    private SetupCheckResult NotConnected(SetupStep step, SetupContext context)
    {
        var domain = context.Profile.Mailbox.Contains("@") ? context.Profile.Mailbox.Substring(context.Profile.Mailbox.IndexOf('@') + 1) : "contoso.com";
        var why = string.IsNullOrEmpty(_services.ExchangeUnavailableReason) ? "no Exchange Online session is connected" : _services.ExchangeUnavailableReason;
        return new SetupCheckResult(
            step,
            SetupCheckStatus.Skipped,
            $"Not checked: {why}.",
            "This step is checked with the Exchange Online admin cmdlets of your own session. The other steps ran; the SMTP handshake shows whether Exchange accepts the app.",
            $"Import-Module ExchangeOnlineManagement; Connect-ExchangeOnline -UserPrincipalName <admin>@{domain}; then run Test-SmtpOAuthSetup again (or add -SkipExchange to leave these steps out).",
            SetupDocumentation.ConnectExchangeOnline,
            ErrorIds.SetupExchangeNotConnected);
    }
}
