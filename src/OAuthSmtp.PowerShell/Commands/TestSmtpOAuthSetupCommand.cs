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
using OAuthSmtp.Engine.Trust;
using OAuthSmtp.PowerShell.Completion;
using OAuthSmtp.PowerShell.Hosting;
using OAuthSmtp.PowerShell.Profiles;
using OAuthSmtp.PowerShell.Setup;
using OAuthSmtp.PowerShell.Tokens;

namespace OAuthSmtp.PowerShell.Commands;

/// <summary>
/// Test-SmtpOAuthSetup: checks every step of an OAuth SMTP setup in order and outputs one result per step, with the
/// cause and the exact command that fixes what is wrong. -Fix runs the fixes through the admin's own sessions (Exchange
/// Online; Entra ID through Connect-MgGraph or -GraphAccessToken), each behind ShouldProcess, and checks again; -Wait
/// re-tests until Exchange has applied them.
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "SmtpOAuthSetup", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, HelpUri = HelpLinks.Base + "Test-SmtpOAuthSetup.md")]
[OutputType(typeof(SetupCheckResult), typeof(bool))]
public sealed class TestSmtpOAuthSetupCommand : OAuthSmtpCmdlet
{
    private const int ProgressId = 0x5e7;
    private const string Activity = "Test-SmtpOAuthSetup";

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

    /// <summary>Run the fixes (Exchange; Entra ID where your Graph session may), then check again.</summary>
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
    [Parameter]
    public Uri? GraphEndpoint { get; set; }

    /// <summary>A Microsoft Graph token to act with instead of the Connect-MgGraph session (runbooks): the Entra fixes of -Fix.</summary>
    [Parameter]
    [ValidateNotNull]
    public object? GraphAccessToken { get; set; }

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
        Uri? graphEndpoint;
        try
        {
            resolved = ProfileResolver.Resolve(this, Profile);
            graphEndpoint = HostTrustPolicy.ChooseGraphEndpoint(resolved.Profile, GraphEndpoint, Environment.GetEnvironmentVariable(GraphEndpointVariable));
        }
        catch (OAuthSmtpException exception)
        {
            WriteEngineError(exception, Profile);
            return;
        }

        var tokenRequest = ForThisSession(new TokenRequest(resolved.Profile) { Secret = TokenText.Plain(resolved.Secret) });
        var services = SetupHttp.ServicesFor(new ProfileSetupTokenSource(TokenProvider.Shared, tokenRequest));
        services.Waiter = Streams;
        if (!SkipExchange)
        {
            services.Exchange = RunspaceExchangeCommands.Connect(this, WriteVerbose, out var whyNot);
            services.ExchangeUnavailableReason = whyNot;
            if (whyNot is not null)
            {
                WriteVerbose("Exchange checks: " + whyNot + ".");
            }
        }

        try
        {
            SetupGraphAdmin.Wire(this, services, resolved, GraphAccessToken, GraphEndpoint, ForThisSession);
        }
        catch (OAuthSmtpException exception)
        {
            WriteEngineError(exception, Profile);
            return;
        }

        var request = new SetupRequest(resolved.Profile)
        {
            From = From,
            TestRecipient = TestRecipient,
            SkipExchange = SkipExchange,
            UseRbac = UseRbac,
            GraphEndpoint = graphEndpoint,
        };
        var options = new SetupWorkflowOptions { Fix = Fix, UseRbac = UseRbac, Wait = Wait, Timeout = TimeSpan.FromSeconds(Timeout) };
        var workflow = new SetupWorkflow(services, new SetupHost
        {
            Progress = (status, percent, operation, secondsRemaining) => Streams.Progress(new ProgressRecord(ProgressId, Activity, status)
            {
                PercentComplete = percent,
                CurrentOperation = operation,
                SecondsRemaining = secondsRemaining,
            }),
            ShouldProcess = Consent,
            Verbose = WriteVerbose,
            Information = Say,
            Warning = WriteWarning,
            Error = (error, target) => WriteEngineError(error, target),
        });

        RunEngineCall(() => Emit(workflow.Run(request, options, CancellationToken)), Profile, stopOnError: true, ProgressId, Activity);
    }

    #endregion

    /// <summary>ShouldProcess for one fix; -WhatIf is told apart from a "No" so that what depends on the fix is shown too.</summary>
    private SetupFixConsent Consent(SetupFixAction action) =>
        AskConsent($"Performing the operation \"{action.Action}: {action.CommandText}\" on target \"{action.Target}\".");

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
}
