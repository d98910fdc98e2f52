using System;
using System.Management.Automation;
using System.Threading;
using OAuthSmtp.Engine.Errors;
using OAuthSmtp.Engine.Setup;
using OAuthSmtp.Engine.Tokens;
using OAuthSmtp.PowerShell.Tokens;

namespace OAuthSmtp.PowerShell.Hosting;

/// <summary>
/// Base of every OAuthSmtp cmdlet: Ctrl+C reaches engine code through <see cref="CancellationToken"/>,
/// engine errors become ErrorRecords in one place, and engine reports reach the streams through one bridge
/// (<see cref="Streams"/>), written on the pipeline thread.
/// </summary>
public abstract class OAuthSmtpCmdlet : PSCmdlet
{
    private readonly CancellationTokenSource _stopping = new();
    private EngineStreams? _streams;

    protected CancellationToken CancellationToken => _stopping.Token;

    /// <summary>The bridge from engine callbacks (any thread) to this cmdlet's streams; first used on the pipeline thread.</summary>
    internal EngineStreams Streams => _streams ??= new EngineStreams(this);

    protected override void StopProcessing() => _stopping.Cancel();

    /// <summary>
    /// Makes a token request ready for this session: whether a person can sign in here (and why not, in the verbose
    /// stream), whether a browser can open, and its verbose lines and device-code instructions through <see cref="Streams"/>.
    /// Every cmdlet that gets tokens calls this, so a sign-in looks and behaves the same in each.
    /// </summary>
    internal TokenRequest ForThisSession(TokenRequest request)
    {
        var whyNot = SessionInteractivity.WhyNotInteractive(Host);
        request.AllowUserInteraction = whyNot is null;
        request.BrowserAvailable = SessionInteractivity.BrowserAvailable();
        request.Verbose = Streams.Verbose;
        request.DeviceCodeMessage = Streams.DeviceCode;
        if (whyNot is not null && request.Profile.IsDelegated)
        {
            Streams.Verbose($"No person can sign in from this session: {whyNot}. Only a saved sign-in can be used.");
        }

        return request;
    }

    /// <summary>
    /// Runs a cmdlet's engine call: an engine error becomes an error record on <paramref name="target"/> (stopping the
    /// call when <paramref name="stopOnError"/>, else the pipeline goes on), Ctrl+C stops the pipeline rather than
    /// surfacing as an exception, and the progress bar <paramref name="progressId"/> is closed however the call ends.
    /// </summary>
    protected void RunEngineCall(Action call, object? target, bool stopOnError, int progressId, string activity)
    {
        try
        {
            call();
        }
        catch (OAuthSmtpException exception)
        {
            if (stopOnError)
            {
                ThrowEngineError(exception, target);
            }

            WriteEngineError(exception, target);
        }
        catch (OperationCanceledException) when (CancellationToken.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
        finally
        {
            WriteProgress(new ProgressRecord(progressId, activity, "Done") { RecordType = ProgressRecordType.Completed });
        }
    }

    /// <summary>
    /// ShouldProcess for one change the engine proposes, in the words ShouldProcess(target, action) would write;
    /// -WhatIf is told apart from a "No" so that the changes that depend on this one are still listed.
    /// </summary>
    protected SetupFixConsent AskConsent(string operation)
    {
        if (ShouldProcess(operation, "Are you sure you want to perform this action?" + Environment.NewLine + operation, "Confirm", out var reason))
        {
            return SetupFixConsent.Approved;
        }

        return reason == ShouldProcessReason.WhatIf ? SetupFixConsent.WhatIf : SetupFixConsent.Declined;
    }

    /// <summary>A line the admin sees, as Write-Host would show it (information record tagged PSHOST).</summary>
    protected void Say(string message) =>
        WriteInformation(new InformationRecord(new HostInformationMessage { Message = message }, MyInvocation.MyCommand.Name) { Tags = { "PSHOST" } });

    /// <summary>A non-terminating error for one item; the pipeline goes on.</summary>
    protected void WriteEngineError(OAuthSmtpException exception, object? targetObject = null) =>
        WriteError(ErrorRecordFactory.Create(exception, targetObject));

    /// <summary>The call as a whole cannot go on.</summary>
    protected void ThrowEngineError(OAuthSmtpException exception, object? targetObject = null) =>
        ThrowTerminatingError(ErrorRecordFactory.Create(exception, targetObject));

    /// <summary>A failure nothing anticipated: a clear message instead of a .NET stack trace.</summary>
    protected void ThrowUnexpected(Exception exception, string activity, object? targetObject = null) =>
        ThrowTerminatingError(ErrorRecordFactory.CreateUnexpected(exception, activity, targetObject));
}
