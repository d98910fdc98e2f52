using System;
using System.Collections.Generic;
using System.Linq;
using System.Security;
using System.Threading;
using OAuthSmtp.Engine.Errors;
using OAuthSmtp.Engine.Profiles;
using OAuthSmtp.Engine.Setup.Entra;
using OAuthSmtp.Engine.Setup.Exchange;

namespace OAuthSmtp.Engine.Setup.Provisioning;

/// <summary>
/// One run of Initialize-SmtpOAuthSetup: what the steps found and made so far (ids, the credential), their results,
/// and the one way a step changes anything (<see cref="Change"/>: ShouldProcess, then the change, then the result).
/// Under -WhatIf the ids of objects not created yet are placeholders, so each later step still lists its calls.
/// </summary>
public sealed class ProvisioningRun
{
    private readonly List<ProvisioningStepResult> _results = new();

    public ProvisioningRun(ProvisioningRequest request, ProvisioningServices services, ProvisioningHost host, CancellationToken cancellationToken)
    {
        Request = request;
        Services = services;
        Host = host;
        CancellationToken = cancellationToken;
    }

    public ProvisioningRequest Request { get; }

    public ProvisioningServices Services { get; }

    public ProvisioningHost Host { get; }

    public CancellationToken CancellationToken { get; }

    public IGraphAdmin Graph => Services.Graph!;

    public IExchangeAdmin Exchange => Services.Exchange!;

    public IReadOnlyList<ProvisioningStepResult> Results => _results;

    /// <summary>-WhatIf was answered for a change: nothing is changed from here on, later steps only list their calls.</summary>
    public bool WhatIf { get; private set; }

    /// <summary>The admin declined a change; the steps after it are not run.</summary>
    public string? DeclinedStep { get; private set; }

    public string TenantId { get; set; } = string.Empty;

    public ExchangeOnlineResource? ExchangeResource { get; set; }

    /// <summary>The app registration's object id (not the one Exchange wants).</summary>
    public string? ApplicationObjectId { get; set; }

    /// <summary>The client id (appId).</summary>
    public string? AppId { get; set; }

    /// <summary>The enterprise application's object id: the token's oid, New-ServicePrincipal's -ObjectId.</summary>
    public string? ServicePrincipalId { get; set; }

    public string? ServicePrincipalDisplayName { get; set; }

    /// <summary>The sending mailbox as Exchange knows it (its primary SMTP address).</summary>
    public string MailboxAddress { get; set; } = string.Empty;

    public string? SecretId { get; set; }

    public SecureString? SecretValue { get; set; }

    public string? CertificateThumbprint { get; set; }

    public string? CertificatePath { get; set; }

    /// <summary>The .pfx password, to keep in the profile's protected secret.</summary>
    public SecureString? CertificatePassword { get; set; }

    public DateTimeOffset? CredentialEndDate { get; set; }

    public SmtpOAuthProfile? Profile { get; set; }

    public const string NewAppIdPlaceholder = "<client id of the new app>";
    public const string NewServicePrincipalPlaceholder = "<object id of the new enterprise application>";
    public const string NewApplicationPlaceholder = "<object id of the new app registration>";

    public DateTimeOffset UtcNow => Services.UtcNow();

    /// <summary>A step found everything as wanted.</summary>
    public void Unchanged(string step, string detail) =>
        Add(new ProvisioningStepResult(step, ProvisioningStepStatus.Unchanged, detail));

    /// <summary>A step that does not apply to this request.</summary>
    public void Skipped(string step, string detail) =>
        Add(new ProvisioningStepResult(step, ProvisioningStepStatus.Skipped, detail));

    /// <summary>
    /// Asks about one change (ShouldProcess), then makes it. Returns true when it was made; false under -WhatIf
    /// (the caller then sets placeholders) or when declined (the run stops after this step).
    /// </summary>
    public bool Change(string step, string target, string action, IReadOnlyList<string> calls, Action apply, string? doneDetail = null)
    {
        CancellationToken.ThrowIfCancellationRequested();
        var change = new ProvisioningChange(step, target, action, calls);
        // Asked every time, also after a -WhatIf answer: under -WhatIf that is what prints each later step's calls.
        var consent = Host.ShouldProcess(change);
        if (consent == SetupFixConsent.WhatIf)
        {
            WhatIf = true;
            Add(new ProvisioningStepResult(step, ProvisioningStepStatus.WouldChange, action, calls));
            return false;
        }

        if (consent == SetupFixConsent.Declined)
        {
            DeclinedStep = step;
            Add(new ProvisioningStepResult(step, ProvisioningStepStatus.Declined, "Not done (declined): " + action, calls));
            return false;
        }

        Host.Verbose($"{step}: {action}");
        try
        {
            apply();
        }
        catch (OAuthSmtpException failed) when (failed.ErrorId != ErrorIds.OperationStopped)
        {
            Add(new ProvisioningStepResult(step, ProvisioningStepStatus.Failed, failed.Message, calls));
            throw Failed(step, failed);
        }

        Add(new ProvisioningStepResult(step, ProvisioningStepStatus.Changed, doneDetail ?? action, calls));
        Host.Information($"{step}: {doneDetail ?? action}");
        return true;
    }

    /// <summary>Reads something a step needs; a refusal ends the run with what was done and what was not.</summary>
    public GraphResponse Read(string step, GraphRequest request)
    {
        CancellationToken.ThrowIfCancellationRequested();
        try
        {
            return Graph.Send(request, CancellationToken).EnsureSuccess(request);
        }
        catch (OAuthSmtpException failed) when (failed.ErrorId != ErrorIds.OperationStopped)
        {
            Add(new ProvisioningStepResult(step, ProvisioningStepStatus.Failed, failed.Message, new[] { request.ToString() }));
            throw Failed(step, failed);
        }
    }

    /// <summary>Sends a change; a refusal becomes the step's failure (inside <see cref="Change"/>).</summary>
    public GraphResponse Write(GraphRequest request) => Graph.Send(request, CancellationToken).EnsureSuccess(request);

    /// <summary>Runs an Exchange read for a step; a failure ends the run with what was done and what was not.</summary>
    public T ReadExchange<T>(string step, string command, Func<T> read)
    {
        CancellationToken.ThrowIfCancellationRequested();
        try
        {
            return read();
        }
        catch (OAuthSmtpException failed) when (failed.ErrorId != ErrorIds.OperationStopped)
        {
            Add(new ProvisioningStepResult(step, ProvisioningStepStatus.Failed, failed.Message, new[] { command }));
            throw Failed(step, failed);
        }
    }

    /// <summary>The error for a step that failed midway: what was done, what was not, and that a re-run continues.</summary>
    public OAuthSmtpException Failed(string step, OAuthSmtpException cause)
    {
        var done = _results.Where(r => r.Status is ProvisioningStepStatus.Changed or ProvisioningStepStatus.Unchanged).Select(r => r.Step).Distinct().ToList();
        var notDone = ProvisioningStepNames.InOrder.Where(s => !done.Contains(s)).ToList();
        return new OAuthSmtpException(
            ErrorIds.ProvisioningStepFailed,
            cause.Kind,
            $"Step {step} failed: {cause.Message} Done: {(done.Count == 0 ? "nothing" : string.Join(", ", done))}. Not done: {string.Join(", ", notDone)}.",
            (cause.Fix is null ? string.Empty : cause.Fix.TrimEnd('.') + ". ") + "Then run the same Initialize-SmtpOAuthSetup command again: it keeps what was done and continues from the first step not done.",
            Request.ProfileName,
            cause);
    }

    private void Add(ProvisioningStepResult result)
    {
        _results.Add(result);
        var index = Array.IndexOf(ProvisioningStepNames.InOrder, result.Step);
        Host.Progress($"Initialize-SmtpOAuthSetup '{Request.ProfileName}': {result.Step}", index < 0 ? 0 : (index + 1) * 100 / ProvisioningStepNames.InOrder.Length, result.Status.ToString(), -1);
    }
}
