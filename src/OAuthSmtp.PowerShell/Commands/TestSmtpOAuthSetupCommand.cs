using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using OAuthSmtp.Engine.Errors;
using OAuthSmtp.Engine.Setup;
using OAuthSmtp.Engine.Setup.Exchange;
using OAuthSmtp.Engine.Setup.Probes;
using OAuthSmtp.Engine.Tokens;
using OAuthSmtp.PowerShell.Completion;
using OAuthSmtp.PowerShell.Hosting;
using OAuthSmtp.PowerShell.Profiles;
using OAuthSmtp.PowerShell.Setup;
using OAuthSmtp.PowerShell.Tokens;

namespace OAuthSmtp.PowerShell.Commands;

/// <summary>
/// Test-SmtpOAuthSetup: checks every step of an OAuth SMTP setup in order and outputs one result per step, with the
/// cause and the exact command that fixes what is wrong. -Fix runs the Exchange-side fixes through the admin's own
/// Exchange Online session (each behind ShouldProcess) and checks again; -Wait re-tests until Exchange has applied them.
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "SmtpOAuthSetup", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(SetupCheckResult), typeof(bool))]
public sealed class TestSmtpOAuthSetupCommand : OAuthSmtpCmdlet
{
    private const int ProgressId = 0x5e7;
    private const string Activity = "Test-SmtpOAuthSetup";
    private const int MaxFixRounds = 3;

    /// <summary>Overrides Microsoft Graph's address (…/v1.0/) for clouds or test tenants outside the profile's cloud.</summary>
    public const string GraphEndpointVariable = "OAUTHSMTP_GRAPH_ENDPOINT";

    #region Parameters

    /// <summary>The profile to check.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Name")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ProfileNameCompleter))]
    public string Profile { get; set; } = string.Empty;

    /// <summary>Other sender addresses the application will use as From; each needs Send As.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(MailboxAddressCompleter))]
    public string[] From { get; set; } = Array.Empty<string>();

    /// <summary>Send a test message to this address after the handshake.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? TestRecipient { get; set; }

    /// <summary>Leave the Exchange Online checks out on purpose.</summary>
    [Parameter]
    public SwitchParameter SkipExchange { get; set; }

    /// <summary>Run the Exchange-side fixes, then check again.</summary>
    [Parameter]
    public SwitchParameter Fix { get; set; }

    /// <summary>Use RBAC for Applications (no SMTP.SendAsApp; a management role assignment scoped to the mailbox); with -Fix, create the scope and assignment.</summary>
    [Parameter]
    public SwitchParameter UseRbac { get; set; }

    /// <summary>Re-test until Exchange has applied recent changes, or -Timeout passes.</summary>
    [Parameter]
    public SwitchParameter Wait { get; set; }

    /// <summary>Seconds -Wait waits at most (default 3600: Exchange may take up to an hour).</summary>
    [Parameter]
    [ValidateRange(1, 86400)]
    public int Timeout { get; set; } = 3600;

    /// <summary>Output only $true (no step failed) or $false.</summary>
    [Parameter]
    public SwitchParameter Quiet { get; set; }

    /// <summary>Microsoft Graph's address for tenants outside the public clouds (tests, proxies); also $env:OAUTHSMTP_GRAPH_ENDPOINT.</summary>
    [Parameter(DontShow = true)]
    public Uri? GraphEndpoint { get; set; }

    #endregion

    #region Method overrides

    protected override void BeginProcessing()
    {
        if (Fix && SkipExchange)
        {
            ThrowEngineError(new OAuthSmtpException(
                ErrorIds.SetupFixFailed,
                ErrorKind.InvalidArgument,
                "-Fix changes Exchange Online through your session, and -SkipExchange leaves Exchange out.",
                "Give one of them: -Fix to repair the Exchange side, or -SkipExchange to check only Entra ID and the SMTP handshake."));
        }

        if (Wait && !MyInvocation.BoundParameters.ContainsKey(nameof(Timeout)))
        {
            WriteVerbose($"-Wait waits at most {Timeout} s; give -Timeout to change that.");
        }
    }

    protected override void ProcessRecord()
    {
        ResolvedProfile resolved;
        try
        {
            resolved = ProfileResolver.Resolve(this, Profile);
        }
        catch (OAuthSmtpException exception)
        {
            WriteEngineError(exception, Profile);
            return;
        }

        var tokenRequest = ForThisSession(new TokenRequest(resolved.Profile) { Secret = TokenText.Plain(resolved.Secret) });
        var services = SetupHttp.ServicesFor(new ProfileSetupTokenSource(TokenProvider.Shared, tokenRequest));
        services.Waiter = Streams;
        CommandExchangeAdmin? exchange = null;
        if (!SkipExchange)
        {
            exchange = RunspaceExchangeCommands.Connect(this, WriteVerbose, out var whyNot);
            services.Exchange = exchange;
            services.ExchangeUnavailableReason = whyNot;
            if (whyNot is not null)
            {
                WriteVerbose("Exchange checks: " + whyNot + ".");
            }
        }

        var request = new SetupRequest(resolved.Profile)
        {
            From = From,
            TestRecipient = TestRecipient,
            SkipExchange = SkipExchange,
            UseRbac = UseRbac,
            GraphEndpoint = GraphEndpoint ?? GraphEndpointFromEnvironment(),
        };
        var doctor = new SetupDoctor(services);

        try
        {
            var report = Check(doctor, request, "Checking");
            if (Fix)
            {
                report = Repair(doctor, request, report, exchange);
            }

            if (Wait && report.Pending.Count > 0)
            {
                report = WaitForPropagation(doctor, request, report);
            }

            Emit(report);
        }
        catch (OAuthSmtpException exception)
        {
            ThrowEngineError(exception, Profile);
        }
        catch (OperationCanceledException) when (CancellationToken.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
        finally
        {
            WriteProgress(new ProgressRecord(ProgressId, Activity, "Done") { RecordType = ProgressRecordType.Completed });
        }
    }

    #endregion

    private SetupReport Check(SetupDoctor doctor, SetupRequest request, string phase) =>
        doctor.Run(
            request,
            progress => Streams.Progress(new ProgressRecord(ProgressId, Activity, $"{phase} '{request.Profile.Name}': {progress.Activity}")
            {
                PercentComplete = Math.Min(100, progress.PercentComplete),
                CurrentOperation = progress.Step.ToString(),
            }),
            CancellationToken);

    /// <summary>Applies the Exchange-side fixes and re-tests; a fix can reveal the next one (a new service principal lets its permissions be checked), so a few rounds.</summary>
    private SetupReport Repair(SetupDoctor doctor, SetupRequest request, SetupReport report, CommandExchangeAdmin? exchange)
    {
        if (exchange is null)
        {
            WriteEngineError(new OAuthSmtpException(
                ErrorIds.SetupExchangeNotConnected,
                ErrorKind.ResourceUnavailable,
                $"-Fix needs your Exchange Online session, and none is connected ({services(report)}).",
                "Import-Module ExchangeOnlineManagement; Connect-ExchangeOnline -UserPrincipalName <admin address>; then run Test-SmtpOAuthSetup -Fix again."),
                Profile);
            return report;
        }

        var changed = 0;
        for (var round = 1; round <= MaxFixRounds; round++)
        {
            var actions = report.FixActions(UseRbac);
            if (actions.Count == 0)
            {
                break;
            }

            var outcomes = SetupFixRunner.Apply(actions, exchange, action => ShouldProcess(action.Target, $"{action.Action}: {action.CommandText}"));
            foreach (var outcome in outcomes)
            {
                if (outcome.Applied)
                {
                    changed++;
                    WriteVerbose("Fixed: " + outcome.Action.CommandText);
                    Say("Ran: " + outcome.Action.CommandText);
                }
                else if (outcome.Error is not null)
                {
                    WriteEngineError(outcome.Error, outcome.Action.Target);
                }
            }

            if (!outcomes.Any(o => o.Applied))
            {
                break;
            }

            report = Check(doctor, request, "Checking again after the fixes for");
        }

        if (changed == 0 && report.FixActions(UseRbac).Count == 0)
        {
            Say(report.Succeeded
                ? "Nothing to fix: every step is already right; nothing was changed."
                : "Nothing to fix in Exchange; nothing was changed. The failed steps need a change elsewhere: see their Fix.");
        }

        var rbacOnly = report.FixActions(includeRbac: true).Where(a => a.IsRbacRoute).ToList();
        if (!UseRbac && rbacOnly.Count > 0)
        {
            WriteWarning($"The RBAC for Applications route needs {rbacOnly.Count} change(s) that -Fix makes only with -UseRbac: {string.Join("; ", rbacOnly.Select(a => a.CommandText))}");
        }

        var elsewhere = report.Results.Where(r => r.Status == SetupCheckStatus.Fail && r.FixActions.Count == 0 && !r.IsPending).Select(r => r.Step.ToString()).ToList();
        if (elsewhere.Count > 0)
        {
            WriteWarning($"-Fix changes only Exchange Online (and never Entra ID or the organisation-wide SMTP AUTH switch). Still failing, with the fix in their result: {string.Join(", ", elsewhere)}.");
        }

        return report;

        static string services(SetupReport r) =>
            r.Results.FirstOrDefault(x => x.ReasonId == ErrorIds.SetupExchangeNotConnected)?.Detail.TrimEnd('.') ?? "no session";
    }

    private SetupReport WaitForPropagation(SetupDoctor doctor, SetupRequest request, SetupReport report)
    {
        var timeout = TimeSpan.FromSeconds(Timeout);
        var wait = new SetupPropagationWait(() => Check(doctor, request, "Waiting for Exchange to apply the changes to"));
        var (final, timedOut) = wait.Run(
            report,
            timeout,
            (elapsed, current) => WriteProgress(new ProgressRecord(ProgressId, Activity, $"Waiting for Exchange to apply the changes ({string.Join(", ", current.Pending.Select(p => p.Step))} pending)")
            {
                PercentComplete = (int)Math.Min(99, elapsed.TotalSeconds * 100 / timeout.TotalSeconds),
                SecondsRemaining = (int)Math.Max(0, (timeout - elapsed).TotalSeconds),
            }),
            CancellationToken);
        if (timedOut)
        {
            // An error, not a warning: a runbook must be able to tell "not yet" from "done".
            WriteEngineError(
                new OAuthSmtpException(
                    ErrorIds.SetupWaitTimedOut,
                    ErrorKind.OperationTimeout,
                    $"After {Timeout} s Exchange still has not applied the changes: {string.Join(", ", final.Pending.Select(p => p.Step))} still pending.",
                    $"Propagation can take up to an hour. Run Test-SmtpOAuthSetup -Profile {request.Profile.Name} -Wait -Timeout 3600 again later."),
                request.Profile.Name);
        }
        else
        {
            WriteVerbose("Exchange has applied the changes.");
        }

        return final;
    }

    private void Emit(SetupReport report)
    {
        if (Quiet)
        {
            WriteObject(report.Succeeded);
            return;
        }

        foreach (var result in report.Results)
        {
            WriteObject(result);
        }
    }

    /// <summary>A line the admin sees, as Write-Host would show it (information record tagged PSHOST).</summary>
    private void Say(string message) =>
        WriteInformation(new InformationRecord(new HostInformationMessage { Message = message }, Activity) { Tags = { "PSHOST" } });

    private static Uri? GraphEndpointFromEnvironment()
    {
        var text = Environment.GetEnvironmentVariable(GraphEndpointVariable);
        return Uri.TryCreate(text, UriKind.Absolute, out var uri) ? uri : null;
    }
}
