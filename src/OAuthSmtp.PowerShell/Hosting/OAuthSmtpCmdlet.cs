using System;
using System.Management.Automation;
using System.Threading;
using OAuthSmtp.Engine.Errors;
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
