using System;
using OAuthSmtp.Engine.Errors;

namespace OAuthSmtp.Engine.Sending;

/// <summary>A connection that could not be made or was lost before the message data was complete: safe to retry.</summary>
public sealed class SmtpConnectionException : OAuthSmtpException
{
    public SmtpConnectionException(string message, string fix, object? targetObject, Exception innerException)
        : base(ErrorIds.SmtpConnectionFailed, ErrorKind.ConnectionError, message, fix, targetObject, innerException)
    {
    }
}
