using System;
using OAuthSmtp.Engine.Errors;

namespace OAuthSmtp.Engine.Sending;

/// <summary>
/// A message or connection refused by the server: the translated error (cause and fix) plus the server's own reply,
/// so nobody has to parse message text to learn the code.
/// </summary>
public sealed class SmtpReplyException : OAuthSmtpException
{
    public SmtpReplyException(
        string errorId,
        ErrorKind kind,
        string message,
        string? fix,
        SmtpReply reply,
        object? targetObject = null,
        Exception? innerException = null,
        bool retryable = true)
        : base(errorId, kind, message, fix, targetObject, innerException)
    {
        Reply = reply;
        IsTransient = reply.IsTransient && retryable;
    }

    public SmtpReply Reply { get; }

    /// <summary>"535 5.7.3 Authentication unsuccessful [...]": what the server said, for logs and results.</summary>
    public string ServerReply => Reply.ToString();

    /// <summary>
    /// True for 4xx replies, which the sender retries with backoff, except the few 4xx replies where a retry cannot
    /// help (421 4.7.66: the client's TLS version, which does not change between attempts).
    /// </summary>
    public bool IsTransient { get; }
}
