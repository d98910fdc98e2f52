using System;
using System.Linq;
using System.Threading;
using OAuthSmtp.Engine.Errors;

namespace OAuthSmtp.Engine.Setup.Provisioning;

/// <summary>
/// After the steps: test the new setup the way Test-SmtpOAuthSetup does (token, Exchange, SMTP AUTH, the test message)
/// and, with -Wait, test again until Entra ID and Exchange have applied the changes or the timeout passes. A new app
/// or secret is refused by the token service for a while after creation, and grants take minutes to an hour in
/// Exchange (EXCHANGE-FACTS section 8), so every failure counts as "not yet" while waiting.
/// </summary>
public sealed class ProvisioningVerification
{
    private readonly Func<SetupReport> _test;
    private readonly Func<DateTimeOffset> _utcNow;

    /// <param name="test">One run of the setup checks against the saved profile (with the test message).</param>
    public ProvisioningVerification(Func<SetupReport> test, Func<DateTimeOffset>? utcNow = null)
    {
        _test = test ?? throw new ArgumentNullException(nameof(test));
        _utcNow = utcNow ?? (() => DateTimeOffset.UtcNow);
    }

    /// <summary>How waiting is done; tests replace it so they need not sleep.</summary>
    public Action<TimeSpan, CancellationToken> Sleep { get; set; } = (span, token) =>
    {
        if (token.WaitHandle.WaitOne(span))
        {
            token.ThrowIfCancellationRequested();
        }
    };

    /// <returns>The last report; when it still fails, <paramref name="host"/> was given one ProvisioningNotVerified error.</returns>
    public SetupReport Run(string profileName, bool wait, TimeSpan timeout, ProvisioningHost host, CancellationToken cancellationToken = default)
    {
        if (host is null)
        {
            throw new ArgumentNullException(nameof(host));
        }

        var started = _utcNow();
        var interval = SetupPropagationWait.IntervalFor(timeout);
        var attempt = 0;
        while (true)
        {
            attempt++;
            host.Progress($"Testing the new setup (attempt {attempt})", 0, "Token, Exchange, SMTP AUTH, test message", -1);
            var report = _test();
            if (report.Succeeded)
            {
                host.Verbose($"The setup works (attempt {attempt}).");
                return report;
            }

            var elapsed = _utcNow() - started;
            if (!wait || elapsed >= timeout || NeedsAPerson(report))
            {
                host.Error(NotVerified(profileName, report, wait, timeout), profileName);
                return report;
            }

            var next = elapsed + interval;
            while (elapsed < next && elapsed < timeout)
            {
                host.Progress(
                    $"Waiting for Entra ID and Exchange to apply the changes (still failing: {Failing(report)})",
                    (int)Math.Min(99, elapsed.TotalSeconds * 100 / timeout.TotalSeconds),
                    $"Waited {Math.Floor(elapsed.TotalSeconds):0} s of at most {Math.Floor(timeout.TotalSeconds):0} s",
                    (int)Math.Max(0, (timeout - elapsed).TotalSeconds));
                var slice = TimeSpan.FromTicks(Math.Min((next - elapsed).Ticks, SetupPropagationWait.ProgressEvery.Ticks));
                Sleep(slice, cancellationToken);
                cancellationToken.ThrowIfCancellationRequested();
                var now = _utcNow() - started;
                elapsed = now > elapsed ? now : elapsed + slice;
            }
        }
    }

    /// <summary>A sign-in nobody here can answer (a delegated app in a runbook) does not come right by waiting.</summary>
    private static bool NeedsAPerson(SetupReport report) =>
        report.FirstFailure?.ReasonId == ErrorIds.TokenInteractionRequired;

    private static string Failing(SetupReport report) =>
        string.Join(", ", report.Results.Where(r => r.Status == SetupCheckStatus.Fail).Select(r => r.Target is null ? r.Step.ToString() : $"{r.Step} ({r.Target})").Distinct());

    private static OAuthSmtpException NotVerified(string profileName, SetupReport report, bool waited, TimeSpan timeout)
    {
        var first = report.FirstFailure;
        var quoted = PowerShellText.Quote(profileName);
        return new OAuthSmtpException(
            ErrorIds.ProvisioningNotVerified,
            ErrorKind.OperationTimeout,
            (waited ? $"Everything is set up, but after {Math.Floor(timeout.TotalSeconds):0} s the test still fails" : "Everything is set up, but the test fails")
                + $" at {first?.Step}: {first?.Detail} New apps, secrets and grants take minutes (Exchange: up to an hour) to apply.",
            waited
                ? $"Test again later: Test-SmtpOAuthSetup -Profile {quoted} -Wait -Timeout 3600 (add -TestRecipient to send the test message); {first?.Fix}"
                : $"Run the command again with -Wait (it changes nothing that is already set up), or Test-SmtpOAuthSetup -Profile {quoted} -Wait -Timeout 3600.",
            profileName);
    }
}
