using System;
using System.Management.Automation;
using System.Threading;
using OAuthSmtp.Engine.Errors;

namespace OAuthSmtp.PowerShell.Hosting;

/// <summary>
/// Base of every OAuthSmtp cmdlet: Ctrl+C reaches engine code through <see cref="CancellationToken"/>,
/// and engine errors become ErrorRecords in one place.
/// </summary>
public abstract class OAuthSmtpCmdlet : PSCmdlet
{
    private readonly CancellationTokenSource _stopping = new();

    protected CancellationToken CancellationToken => _stopping.Token;

    protected override void StopProcessing() => _stopping.Cancel();

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
