using System;
using System.Management.Automation;
using OAuthSmtp.Engine.Errors;
using OAuthSmtp.Engine.Profiles;
using OAuthSmtp.Engine.Setup;
using OAuthSmtp.Engine.Setup.Entra;
using OAuthSmtp.Engine.Setup.Probes;
using OAuthSmtp.Engine.Setup.Provisioning;
using OAuthSmtp.Engine.Tokens;
using OAuthSmtp.Engine.Trust;
using OAuthSmtp.PowerShell.Completion;
using OAuthSmtp.PowerShell.Hosting;
using OAuthSmtp.PowerShell.Profiles;
using OAuthSmtp.PowerShell.Setup;
using OAuthSmtp.PowerShell.Tokens;

namespace OAuthSmtp.PowerShell.Commands;

/// <summary>
/// Initialize-SmtpOAuthSetup: from a tenant with nothing set up to a delivered test message in one command, through
/// the admin's own Graph and Exchange Online sessions; a second run changes nothing. Outputs a settings card.
/// The work is the engine's SmtpOAuthProvisioner and ProvisioningVerification; this cmdlet binds, asks and writes.
/// </summary>
[Cmdlet(VerbsData.Initialize, "SmtpOAuthSetup", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, HelpUri = HelpLinks.Base + "Initialize-SmtpOAuthSetup.md")]
[OutputType(typeof(SmtpOAuthSettingsCard))]
public sealed class InitializeSmtpOAuthSetupCommand : OAuthSmtpCmdlet
{
    private const int ProgressId = 0x17;
    private const string Activity = "Initialize-SmtpOAuthSetup";

    #region Parameters

    /// <summary>The sending mailbox (the SMTP user name).</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(MailboxAddressCompleter))]
    public string Mailbox { get; set; } = string.Empty;

    /// <summary>The connection profile to save; default: the mailbox address.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ProfileNameCompleter))]
    public string? ProfileName { get; set; }

    /// <summary>The app registration's display name (found by it, or created with it).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string DisplayName { get; set; } = "OAuthSmtp";

    /// <summary>Use this existing app registration instead of finding one by name.</summary>
    [Parameter]
    public Guid ClientId { get; set; }

    [Parameter]
    public ProvisioningCredentialType CredentialType { get; set; } = ProvisioningCredentialType.Secret;

    /// <summary>Classic (SMTP.SendAsApp + FullAccess) or Rbac (RBAC for Applications).</summary>
    [Parameter]
    public SmtpAccessRoute Route { get; set; } = SmtpAccessRoute.Classic;

    /// <summary>Register a delegated app (SMTP.Send + offline_access, web redirect URIs) for products that sign each mailbox in.</summary>
    [Parameter]
    public SwitchParameter Delegated { get; set; }

    /// <summary>Web redirect URIs of a delegated app (the product's guide gives them).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[] RedirectUri { get; set; } = Array.Empty<string>();

    /// <summary>How long a new secret or certificate is valid (default 365 days, at most 2 years).</summary>
    [Parameter]
    public TimeSpan CredentialLifetime { get; set; } = TimeSpan.FromDays(365);

    /// <summary>-CredentialType ManagedIdentity: the identity's client id or object id.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ManagedIdentityId { get; set; }

    /// <summary>Other addresses the product sends as; the mailbox gets Send As on each.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(MailboxAddressCompleter))]
    public string[] From { get; set; } = Array.Empty<string>();

    /// <summary>Send a test message here once everything is set up.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? TestRecipient { get; set; }

    /// <summary>Test again until Entra ID and Exchange have applied the changes, or -Timeout passes.</summary>
    [Parameter]
    public SwitchParameter Wait { get; set; }

    /// <summary>Seconds -Wait waits at most (default 3600).</summary>
    [Parameter]
    [ValidateRange(1, 86400)]
    public int Timeout { get; set; } = 3600;

    /// <summary>A Microsoft Graph token to act with instead of the Connect-MgGraph session (runbooks).</summary>
    [Parameter]
    public object? GraphAccessToken { get; set; }

    /// <summary>Microsoft Graph's address outside the public clouds (tests, proxies); a Graph token goes to no other host.</summary>
    [Parameter]
    public Uri? GraphEndpoint { get; set; }

    /// <summary>The tenant; default: the Graph session's.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? TenantId { get; set; }

    [Parameter]
    public CloudName Cloud { get; set; } = CloudName.Global;

    /// <summary>Put the new client secret's value on the card (as a SecureString).</summary>
    [Parameter]
    public SwitchParameter IncludeSecret { get; set; }

    /// <summary>Where DPAPI is not available: keep the secret or .pfx password in a file only you can read.</summary>
    [Parameter]
    public SwitchParameter AllowUnprotectedSecret { get; set; }

    /// <summary>The profile's SMTP server, when not the cloud's (with -AllowNonMicrosoftHost for a host outside Microsoft).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? SmtpServer { get; set; }

    [Parameter]
    [ValidateRange(1, 65535)]
    public int Port { get; set; } = 587;

    /// <summary>The profile's sign-in host, when not the cloud's.</summary>
    [Parameter]
    public Uri? AuthorityHost { get; set; }

    [Parameter]
    public SwitchParameter AllowNonMicrosoftHost { get; set; }

    #endregion

    protected override void ProcessRecord()
    {
        var request = new ProvisioningRequest
        {
            Mailbox = Mailbox,
            ProfileName = ProfileName ?? Mailbox,
            DisplayName = DisplayName,
            ClientId = Bound(nameof(ClientId)) ? ClientId : null,
            CredentialType = CredentialType,
            Route = Route,
            Delegated = Delegated,
            RedirectUris = RedirectUri,
            CredentialLifetime = CredentialLifetime,
            ManagedIdentityId = ManagedIdentityId,
            From = From,
            Cloud = Cloud,
            TenantId = TenantId,
            AllowUnprotectedSecret = AllowUnprotectedSecret,
            SmtpServer = SmtpServer,
            Port = Bound(nameof(Port)) ? Port : null,
            AuthorityHost = AuthorityHost,
            AllowNonMicrosoftHost = AllowNonMicrosoftHost,
        };

        var host = new ProvisioningHost
        {
            Progress = Progress,
            ShouldProcess = Consent,
            Verbose = WriteVerbose,
            Information = Say,
            Warning = WriteWarning,
            Error = (error, target) => WriteEngineError(error, target),
        };

        RunEngineCall(() =>
        {
            var services = new ProvisioningServices(ProfileResolver.OpenStore());
            ConnectGraph(services);
            services.Exchange = RunspaceExchangeCommands.Connect(this, WriteVerbose, out var exchangeWhyNot);
            services.ExchangeUnavailableReason = exchangeWhyNot;
            services.ExchangeHasCommand = this.HasCommand;

            var run = new SmtpOAuthProvisioner(services, host).Run(request, CancellationToken);
            if (run.WhatIf || run.DeclinedStep is not null)
            {
                return;
            }

            var card = SmtpOAuthProvisioner.Card(run, IncludeSecret);
            if (TestRecipient is not null || Wait)
            {
                card.TestMessage = Verify(request, services, host);
            }
            else
            {
                Say(ProvisioningNextSteps.Untested(request, card.UserName));
            }

            WriteObject(card);
        }, request.ProfileName, stopOnError: true, ProgressId, Activity);
    }

    private void ConnectGraph(ProvisioningServices services)
    {
        services.Graph = SetupGraphAdmin.Connect(this, GraphAccessToken, Cloud, GraphEndpoint, out var whyNot);
        services.GraphUnavailableReason = whyNot;
    }

    /// <summary>The test message (and -Wait) through the same checks as Test-SmtpOAuthSetup, against the saved profile.</summary>
    private string? Verify(ProvisioningRequest request, ProvisioningServices provisioning, ProvisioningHost host)
    {
        var resolved = ProfileResolver.Resolve(this, request.ProfileName);
        if (resolved.Profile.IsDelegated)
        {
            Say(ProvisioningNextSteps.BeforeDelegatedSignIn(resolved.Profile.Mailbox));
        }

        var graphEndpoint = HostTrustPolicy.ChooseGraphEndpoint(resolved.Profile, GraphEndpoint, Environment.GetEnvironmentVariable(TestSmtpOAuthSetupCommand.GraphEndpointVariable));
        var tokenRequest = ForThisSession(new TokenRequest(resolved.Profile) { Secret = TokenText.Plain(resolved.Secret) });
        var services = SetupHttp.ServicesFor(new ProfileSetupTokenSource(TokenProvider.Shared, tokenRequest));
        services.Waiter = Streams;
        services.Exchange = provisioning.Exchange;
        var workflow = new SetupWorkflow(services, new SetupHost
        {
            Progress = Progress,
            Verbose = WriteVerbose,
        });
        var check = new SetupRequest(resolved.Profile)
        {
            From = request.From,
            TestRecipient = TestRecipient,
            UseRbac = request.Route == SmtpAccessRoute.Rbac,
            GraphEndpoint = graphEndpoint,
        };
        var report = new ProvisioningVerification(() => workflow.Run(check, new SetupWorkflowOptions(), CancellationToken))
            .Run(request.ProfileName, Wait, TimeSpan.FromSeconds(Timeout), host, CancellationToken);
        var sent = System.Linq.Enumerable.LastOrDefault(report.Results, r => r.Step == SetupStep.TestMessage && r.Status == SetupCheckStatus.Pass);
        if (report.Succeeded)
        {
            Say(sent is null ? "The setup works: token, Exchange and SMTP AUTH pass." : "Test message delivered: " + sent.Detail);
        }

        return sent?.Detail;
    }

    /// <summary>ShouldProcess for one change; -WhatIf is told apart from a "No" so the later steps are listed too.</summary>
    private SetupFixConsent Consent(ProvisioningChange change) =>
        AskConsent($"Performing the operation \"{change.Step}: {change.Action}\" on target \"{change.Target}\" with: {string.Join("; ", change.Calls)}.");

    private void Progress(string status, int percent, string? operation, int secondsRemaining) =>
        Streams.Progress(new ProgressRecord(ProgressId, Activity, status)
        {
            PercentComplete = Math.Max(0, Math.Min(100, percent)),
            CurrentOperation = operation,
            SecondsRemaining = secondsRemaining,
        });

    private bool Bound(string parameter) => MyInvocation.BoundParameters.ContainsKey(parameter);
}
