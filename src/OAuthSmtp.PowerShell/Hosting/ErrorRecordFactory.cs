using System;
using System.Management.Automation;
using OAuthSmtp.Engine.Errors;

namespace OAuthSmtp.PowerShell.Hosting;

/// <summary>Turns engine errors into ErrorRecords: stable id, category by meaning, the fix as RecommendedAction.</summary>
internal static class ErrorRecordFactory
{
    public static ErrorRecord Create(OAuthSmtpException exception, object? targetObject = null)
    {
        var record = new ErrorRecord(exception, exception.ErrorId, ToCategory(exception.Kind), targetObject ?? exception.TargetObject)
        {
            ErrorDetails = new ErrorDetails(exception.Message),
        };
        if (!string.IsNullOrEmpty(exception.Fix))
        {
            record.ErrorDetails.RecommendedAction = exception.Fix;
        }

        return record;
    }

    /// <summary>For failures no engine code anticipated: the message only, never a stack trace.</summary>
    public static ErrorRecord CreateUnexpected(Exception exception, string activity, object? targetObject)
    {
        var wrapped = new OAuthSmtpException(
            ErrorIds.UnexpectedError,
            ErrorKind.NotSpecified,
            $"{activity} failed: {exception.Message}",
            "Run the command again with -Verbose; if it keeps failing, report it with the message above.",
            targetObject,
            exception);
        return Create(wrapped);
    }

    public static ErrorCategory ToCategory(ErrorKind kind) => kind switch
    {
        ErrorKind.InvalidArgument => ErrorCategory.InvalidArgument,
        ErrorKind.InvalidData => ErrorCategory.InvalidData,
        ErrorKind.InvalidOperation => ErrorCategory.InvalidOperation,
        ErrorKind.ObjectNotFound => ErrorCategory.ObjectNotFound,
        ErrorKind.ResourceExists => ErrorCategory.ResourceExists,
        ErrorKind.ResourceUnavailable => ErrorCategory.ResourceUnavailable,
        ErrorKind.AuthenticationError => ErrorCategory.AuthenticationError,
        ErrorKind.PermissionDenied => ErrorCategory.PermissionDenied,
        ErrorKind.SecurityError => ErrorCategory.SecurityError,
        ErrorKind.ConnectionError => ErrorCategory.ConnectionError,
        ErrorKind.ProtocolError => ErrorCategory.ProtocolError,
        ErrorKind.OperationTimeout => ErrorCategory.OperationTimeout,
        ErrorKind.OperationStopped => ErrorCategory.OperationStopped,
        ErrorKind.LimitsExceeded => ErrorCategory.LimitsExceeded,
        ErrorKind.QuotaExceeded => ErrorCategory.QuotaExceeded,
        ErrorKind.ReadError => ErrorCategory.ReadError,
        ErrorKind.WriteError => ErrorCategory.WriteError,
        ErrorKind.NotImplemented => ErrorCategory.NotImplemented,
        _ => ErrorCategory.NotSpecified,
    };
}
