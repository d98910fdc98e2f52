using System;
using System.Linq;
using System.Threading;
using OAuthSmtp.Engine.Errors;
using OAuthSmtp.Engine.Profiles;
using OAuthSmtp.Engine.Setup.Entra;

namespace OAuthSmtp.Engine.Setup.Provisioning;

/// <summary>
/// Initialize-SmtpOAuthSetup from a tenant with nothing to a saved profile: check the sessions (one error naming all
/// that is missing, before any change), then each step in order, each reading first and changing only what is
/// missing (so a second run changes nothing), each change behind ShouldProcess. -WhatIf lists every Graph call and
/// Exchange command and changes nothing. A failure midway names what was done and what was not; a re-run continues.
/// Propagation wait and the test message follow in <see cref="ProvisioningVerification"/>.
/// </summary>
public sealed class SmtpOAuthProvisioner
{
    private readonly ProvisioningServices _services;
    private readonly ProvisioningHost _host;

    public SmtpOAuthProvisioner(ProvisioningServices services, ProvisioningHost host)
    {
        _services = services ?? throw new ArgumentNullException(nameof(services));
        _host = host ?? throw new ArgumentNullException(nameof(host));
    }

    /// <summary>Runs every step; returns the run (its results, ids, credential and profile).</summary>
    public ProvisioningRun Run(ProvisioningRequest request, CancellationToken cancellationToken = default)
    {
        Validate(request ?? throw new ArgumentNullException(nameof(request)));
        var run = new ProvisioningRun(request, _services, _host, cancellationToken);

        // 1. Before any change: sessions, scopes, roles, commands, a place for the secret.
        GraphAdminSession? session = null;
        var graphWhyNot = _services.GraphUnavailableReason;
        if (_services.Graph is not null)
        {
            try
            {
                session = _services.Graph.DescribeSession();
            }
            catch (OAuthSmtpException notConnected) when (notConnected.ErrorId == ErrorIds.GraphNotConnected)
            {
                graphWhyNot = notConnected.Message;
            }
        }

        ProvisioningRequirements.Require(
            request,
            session,
            graphWhyNot,
            _services.Exchange is null ? null : _services.ExchangeHasCommand ?? (_ => true),
            _services.ExchangeUnavailableReason,
            _services.CanProtectSecrets || request.AllowUnprotectedSecret,
            _host.Warning);
        _host.Verbose($"Acting as {session}.");

        run.TenantId = request.TenantId ?? session!.TenantId ?? throw Invalid("The Graph session does not say which tenant it is signed in to.", "Give -TenantId <tenant GUID or domain>.");
        if (session!.TenantId is { } signedIn && request.TenantId is { } asked && Guid.TryParse(asked, out _) && !string.Equals(signedIn, asked, StringComparison.OrdinalIgnoreCase))
        {
            throw Invalid($"-TenantId is {asked}, but {session.Source} is signed in to {signedIn}. Nothing was changed.", "Connect-MgGraph -TenantId " + asked + ", or leave -TenantId out.");
        }

        // 2. Read-only lookups every later step needs: the mailbox, Exchange Online's permission ids.
        var mailbox = ReadMailbox(run);
        run.MailboxAddress = mailbox.PrimarySmtpAddress;
        run.ExchangeResource = ExchangeOnlineResource.Read(run.Graph);
        var existing = ExistingProfile(request.ProfileName);

        // 3. The steps.
        Step(run, EntraAppSteps.Application);
        Step(run, EntraAppSteps.Permission);
        Step(run, EntraAppSteps.EnterpriseApplication);
        Step(run, EntraAppSteps.AdminConsent);
        Step(run, r => CredentialStep.Run(r, existing));
        Step(run, ExchangeAccessSteps.ServicePrincipal);
        Step(run, ExchangeAccessSteps.MailboxAccess);
        Step(run, ExchangeAccessSteps.SmtpAuth);
        Step(run, r => ExchangeAccessSteps.SendAs(r, mailbox));
        Step(run, r => ProfileStep.Run(r, existing));

        Summarize(run);
        return run;
    }

    /// <summary>The settings card for a finished run.</summary>
    public static SmtpOAuthSettingsCard Card(ProvisioningRun run, bool includeSecret)
    {
        var request = (run ?? throw new ArgumentNullException(nameof(run))).Request;
        var profile = run.Profile ?? ProfileStep.Desired(run);
        var endpoints = CloudEndpoints.For(request.Cloud);
        var authority = (profile?.AuthorityHost ?? endpoints.AuthorityHost).GetLeftPart(UriPartial.Authority);
        return new SmtpOAuthSettingsCard
        {
            ProfileName = request.ProfileName,
            TenantId = run.TenantId,
            ClientId = run.AppId ?? string.Empty,
            EnterpriseAppObjectId = run.ServicePrincipalId ?? string.Empty,
            CredentialKind = request.Delegated ? "Delegated" : request.IsManagedIdentity ? "ManagedIdentity" : request.CredentialType == ProvisioningCredentialType.Certificate ? "Certificate" : "ClientSecret",
            CertificateThumbprint = run.CertificateThumbprint,
            CertificatePath = run.CertificatePath,
            SecretId = run.SecretId,
            CredentialEndDate = run.CredentialEndDate,
            ClientSecret = includeSecret ? run.SecretValue?.Copy() : null,
            SmtpServer = profile?.SmtpServer ?? request.SmtpServer ?? endpoints.SmtpServer,
            Port = profile?.Port ?? request.Port ?? CloudEndpoints.SmtpPort,
            UserName = run.MailboxAddress,
            TokenEndpoint = $"{authority}/{run.TenantId}/oauth2/v2.0/token",
            Scope = request.Delegated ? endpoints.DelegatedScope + " offline_access" : endpoints.AppOnlyScope,
            Route = request.Delegated ? "Delegated" : request.Route.ToString(),
            Changes = run.Results.Count(r => r.Status == ProvisioningStepStatus.Changed),
            Steps = run.Results.ToList(),
        };
    }

    private static void Step(ProvisioningRun run, Action<ProvisioningRun> step)
    {
        if (run.DeclinedStep is not null)
        {
            return;
        }

        step(run);
    }

    private void Summarize(ProvisioningRun run)
    {
        if (run.DeclinedStep is not null)
        {
            var notRun = ProvisioningStepNames.InOrder.SkipWhile(s => s != run.DeclinedStep).Skip(1).Where(s => run.Results.All(r => r.Step != s)).ToList();
            _host.Warning($"You declined {run.DeclinedStep}, so it and {(notRun.Count == 0 ? "nothing else" : string.Join(", ", notRun))} were not done. Run the command again to continue from there.");
            return;
        }

        if (run.WhatIf)
        {
            return;
        }

        var changed = run.Results.Count(r => r.Status == ProvisioningStepStatus.Changed);
        _host.Information(changed == 0
            ? "Nothing to change: every step was already set up; nothing was changed."
            : $"Set up: {changed} change(s) made; every other step was already right.");
    }

    private static Exchange.ExchangeMailboxRecord ReadMailbox(ProvisioningRun run)
    {
        var mailbox = run.ReadExchange("Mailbox", "Get-EXOMailbox", () => run.Exchange.GetMailbox(run.Request.Mailbox));
        return mailbox ?? throw Invalid(
            $"Exchange Online finds no mailbox '{run.Request.Mailbox}'. Nothing was changed.",
            "Give -Mailbox the sending mailbox's address (a shared mailbox needs no licence), e.g. Get-EXOMailbox -RecipientTypeDetails SharedMailbox.");
    }

    private SmtpOAuthProfile? ExistingProfile(string name)
    {
        try
        {
            return _services.Profiles.TryGetProfile(name);
        }
        catch (OAuthSmtpException unreadable)
        {
            _host.Warning($"The existing profile '{name}' cannot be read ({unreadable.Message}); it will be replaced.");
            return null;
        }
    }

    private static void Validate(ProvisioningRequest request)
    {
        if (string.IsNullOrWhiteSpace(request.ProfileName) || string.IsNullOrWhiteSpace(request.Mailbox))
        {
            throw Invalid("A profile name and the sending mailbox are needed.", "Give -Mailbox <address> (and -ProfileName, which defaults to the mailbox).");
        }

        if (request.IsManagedIdentity && string.IsNullOrWhiteSpace(request.ManagedIdentityId))
        {
            throw Invalid("-CredentialType ManagedIdentity needs the identity: -ManagedIdentityId <client id or object id>.", "Turn the identity on (Azure portal: the resource's Identity page) and give its Client ID as -ManagedIdentityId.");
        }

        if (request.Delegated && (request.IsManagedIdentity || request.Route == SmtpAccessRoute.Rbac))
        {
            throw Invalid("-Delegated registers an app that signs each mailbox in; it goes with neither a managed identity nor RBAC for Applications (both are app-only).", "Leave out -CredentialType ManagedIdentity and -Route Rbac, or -Delegated.");
        }

        if (request.CredentialLifetime <= TimeSpan.Zero || request.CredentialLifetime > TimeSpan.FromDays(731))
        {
            throw Invalid("-CredentialLifetime must be between 1 day and 2 years (the longest Entra ID recommends for secrets).", "Give e.g. -CredentialLifetime (New-TimeSpan -Days 365).");
        }
    }

    private static OAuthSmtpException Invalid(string message, string fix) =>
        new(ErrorIds.ProvisioningInvalidRequest, ErrorKind.InvalidArgument, message, fix);
}
