using System;
using System.Collections.Generic;
using System.Linq;
using OAuthSmtp.Engine.Errors;
using OAuthSmtp.Engine.Setup;
using Xunit;

namespace OAuthSmtp.Engine.Tests.Setup;

/// <summary>
/// The -Fix rounds and -Wait (issue 16: decided in the engine, not in the cmdlet): each fix is asked about once, a
/// declined fix takes what depends on it along (issue 15 fix 6), -WhatIf shows every command, and -Wait reports
/// progress while it waits.
/// </summary>
public sealed class SetupWorkflowTests
{
    private sealed class RecordingHost
    {
        public List<string> Asked { get; } = new();
        public List<string> Information { get; } = new();
        public List<string> Warnings { get; } = new();
        public List<OAuthSmtpException> Errors { get; } = new();
        public List<(string Status, int Percent, int SecondsRemaining)> Progress { get; } = new();

        public SetupHost Host(Func<SetupFixAction, SetupFixConsent> answer) => new()
        {
            ShouldProcess = action =>
            {
                Asked.Add(action.CommandText);
                return answer(action);
            },
            Information = Information.Add,
            Warning = Warnings.Add,
            Error = (error, _) => Errors.Add(error),
            Progress = (status, percent, _, seconds) => Progress.Add((status, percent, seconds)),
        };
    }

    private static SetupReport Fix(FakeTenant tenant, RecordingHost recorder, Func<SetupFixAction, SetupFixConsent> answer, SetupWorkflowOptions? options = null) =>
        new SetupWorkflow(tenant.Services(), recorder.Host(answer)).Run(new SetupRequest(tenant.Profile()), options ?? new SetupWorkflowOptions { Fix = true });

    [Fact]
    public void A_fresh_tenant_is_fixed_in_rounds_until_every_step_passes()
    {
        var tenant = FakeTenant.Fresh();
        var recorder = new RecordingHost();

        var report = Fix(tenant, recorder, _ => SetupFixConsent.Approved);

        Assert.True(report.Succeeded, string.Join(Environment.NewLine, report.Results));
        Assert.Equal(3, tenant.Commands.Count);
        Assert.Equal(3, recorder.Information.Count(i => i.StartsWith("Ran: ", StringComparison.Ordinal)));
        Assert.Empty(recorder.Errors);
    }

    [Fact]
    public void Declining_new_service_principal_skips_what_needs_it_and_asks_each_fix_once()
    {
        var tenant = FakeTenant.Fresh();
        var recorder = new RecordingHost();

        var report = Fix(tenant, recorder, action => action.Kind == SetupFixKind.NewServicePrincipal ? SetupFixConsent.Declined : SetupFixConsent.Approved);

        // Asked: New-ServicePrincipal (declined) and Set-CASMailbox; never FullAccess for the principal that does not exist.
        Assert.Equal(new[] { SetupFixKind.NewServicePrincipal, SetupFixKind.SetCasMailbox }.Length, recorder.Asked.Count);
        Assert.StartsWith("New-ServicePrincipal", recorder.Asked[0], StringComparison.Ordinal);
        Assert.StartsWith("Set-CASMailbox", recorder.Asked[1], StringComparison.Ordinal);
        Assert.Equal(recorder.Asked.Distinct().Count(), recorder.Asked.Count);
        Assert.Equal(new[] { $"Set-CASMailbox {FakeTenant.Mailbox} False" }, tenant.Commands);
        Assert.Contains(recorder.Information, i => i.StartsWith("Not run: Add-MailboxPermission", StringComparison.Ordinal) && i.Contains("New-ServicePrincipal", StringComparison.Ordinal));
        Assert.Equal(SetupStep.ServicePrincipal, report.FirstFailure!.Step);
    }

    [Fact]
    public void A_declined_fix_is_not_asked_again_in_a_later_round()
    {
        var tenant = FakeTenant.Fresh();
        var recorder = new RecordingHost();

        // Set-CASMailbox is declined; New-ServicePrincipal is run, which starts a second round (FullAccess can be judged).
        Fix(tenant, recorder, action => action.Kind == SetupFixKind.SetCasMailbox ? SetupFixConsent.Declined : SetupFixConsent.Approved);

        Assert.Single(recorder.Asked, a => a.StartsWith("Set-CASMailbox", StringComparison.Ordinal));
        Assert.Equal(recorder.Asked.Distinct().Count(), recorder.Asked.Count);
        Assert.DoesNotContain(tenant.Commands, c => c.StartsWith("Set-CASMailbox", StringComparison.Ordinal));
    }

    [Fact]
    public void What_if_shows_every_command_including_what_depends_on_the_first_and_changes_nothing()
    {
        var tenant = FakeTenant.Fresh();
        var recorder = new RecordingHost();

        Fix(tenant, recorder, _ => SetupFixConsent.WhatIf);

        Assert.Equal(3, recorder.Asked.Count);
        Assert.Contains(recorder.Asked, a => a.StartsWith("Add-MailboxPermission", StringComparison.Ordinal));
        Assert.Empty(tenant.Commands);
        Assert.DoesNotContain(recorder.Information, i => i.StartsWith("Nothing to fix", StringComparison.Ordinal));
    }

    [Fact]
    public void A_wrong_service_principal_whose_removal_is_declined_is_not_registered_again()
    {
        var tenant = FakeTenant.Ready();
        tenant.ServicePrincipals.Clear();
        tenant.ServicePrincipals.Add(new Engine.Setup.Exchange.ExchangeServicePrincipalRecord(FakeTenant.AppObjectId, FakeTenant.ClientId, FakeTenant.AppObjectId, "Mailer"));
        var recorder = new RecordingHost();

        Fix(tenant, recorder, action => action.Kind == SetupFixKind.RemoveServicePrincipal ? SetupFixConsent.Declined : SetupFixConsent.Approved);

        Assert.DoesNotContain(recorder.Asked, a => a.StartsWith("New-ServicePrincipal", StringComparison.Ordinal));
        Assert.Empty(tenant.Commands);
    }

    [Fact]
    public void Fix_on_a_ready_tenant_says_there_is_nothing_to_fix()
    {
        var recorder = new RecordingHost();

        Fix(FakeTenant.Ready(), recorder, _ => SetupFixConsent.Approved);

        Assert.Empty(recorder.Asked);
        Assert.Contains(recorder.Information, i => i.StartsWith("Nothing to fix: every step is already right", StringComparison.Ordinal));
    }

    [Fact]
    public void Fix_without_an_exchange_session_is_an_error_that_says_how_to_connect()
    {
        var tenant = FakeTenant.Fresh();
        var recorder = new RecordingHost();

        new SetupWorkflow(tenant.Services(exchangeConnected: false), recorder.Host(_ => SetupFixConsent.Approved))
            .Run(new SetupRequest(tenant.Profile()), new SetupWorkflowOptions { Fix = true });

        var error = Assert.Single(recorder.Errors);
        Assert.Equal(ErrorIds.SetupExchangeNotConnected, error.ErrorId);
        Assert.Contains("Connect-ExchangeOnline", error.Fix);
        Assert.Empty(recorder.Asked);
    }

    [Fact]
    public void Wait_reports_progress_every_second_with_what_is_pending_until_exchange_catches_up()
    {
        var tenant = FakeTenant.Ready();
        tenant.PropagationPending = true;
        var clock = tenant.Now;
        var services = tenant.Services();
        services.UtcNow = () => clock;
        var recorder = new RecordingHost();
        var slept = TimeSpan.Zero;
        var workflow = new SetupWorkflow(services, recorder.Host(_ => SetupFixConsent.Approved))
        {
            Sleep = (span, _) =>
            {
                slept += span;
                clock += span;
                tenant.PropagationPending = slept < TimeSpan.FromSeconds(45);
            },
        };

        var report = workflow.Run(new SetupRequest(tenant.Profile()), new SetupWorkflowOptions { Wait = true, Timeout = TimeSpan.FromMinutes(10) });

        Assert.True(report.Succeeded, string.Join(Environment.NewLine, report.Results));
        Assert.Empty(recorder.Errors);
        var waiting = recorder.Progress.Where(p => p.Status.StartsWith("Waiting for Exchange to apply the changes (SmtpHandshake pending", StringComparison.Ordinal)).ToList();
        Assert.True(waiting.Count >= 45, $"{waiting.Count} progress updates in 60 s of waiting");
        Assert.Equal(TimeSpan.FromSeconds(60), slept);
        Assert.All(waiting, p => Assert.InRange(p.SecondsRemaining, 1, 600));
    }

    [Fact]
    public void Wait_gives_up_at_its_timeout_with_an_error_naming_the_pending_step()
    {
        var tenant = FakeTenant.Ready();
        tenant.PropagationPending = true;
        var clock = tenant.Now;
        var services = tenant.Services();
        services.UtcNow = () => clock;
        var recorder = new RecordingHost();
        var workflow = new SetupWorkflow(services, recorder.Host(_ => SetupFixConsent.Approved)) { Sleep = (span, _) => clock += span };

        var report = workflow.Run(new SetupRequest(tenant.Profile()), new SetupWorkflowOptions { Wait = true, Timeout = TimeSpan.FromSeconds(90) });

        var error = Assert.Single(recorder.Errors);
        Assert.Equal(ErrorIds.SetupWaitTimedOut, error.ErrorId);
        Assert.Contains("SmtpHandshake", error.Message);
        Assert.True(Assert.Single(report.Pending).IsPending);
    }
}
