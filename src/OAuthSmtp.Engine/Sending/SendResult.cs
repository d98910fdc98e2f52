using System;
using System.Collections.Generic;
using OAuthSmtp.Engine.Errors;

namespace OAuthSmtp.Engine.Sending;

/// <summary>
/// The outcome of one message: what -PassThru returns, and the TargetObject of the error record when it failed.
/// A failed result carries its message, so <c>Send-SmtpOAuthMessage -Message $result</c> sends it again.
/// </summary>
public sealed class SendResult
{
    internal SendResult(PreparedMessage message, SendStatus status, string? serverReply, int attempts, long elapsedMs, OAuthSmtpException? error, string? savedMessagePath)
    {
        Message = message;
        Status = status;
        MessageId = message.MessageId;
        From = message.From;
        To = message.To;
        Recipients = message.RecipientAddresses;
        Subject = message.Subject;
        ServerReply = serverReply;
        Attempts = attempts;
        ElapsedMs = elapsedMs;
        Error = error;
        SavedMessagePath = savedMessagePath;
        CompletedAt = DateTimeOffset.Now;
    }

    public SendStatus Status { get; }

    /// <summary>The Message-ID header (without angle brackets).</summary>
    public string MessageId { get; }

    public string From { get; }

    /// <summary>The To header's addresses.</summary>
    public IReadOnlyList<string> To { get; }

    /// <summary>Every envelope recipient (To, Cc, Bcc).</summary>
    public IReadOnlyList<string> Recipients { get; }

    public string Subject { get; }

    /// <summary>The server's last reply for this message ("250 2.0.0 OK ..." or the refusal), or null if none came.</summary>
    public string? ServerReply { get; }

    /// <summary>How many times the message was offered to the server (retries after 4xx or a dropped connection).</summary>
    public int Attempts { get; }

    public long ElapsedMs { get; }

    public DateTimeOffset CompletedAt { get; }

    /// <summary>
    /// The .eml file the message is read from (-MessagePath), or null. The message is streamed from it, so a resend
    /// (-Message with this result, or -MessagePath with this path) needs the file where it was.
    /// </summary>
    public string? SourcePath => Message.SourcePath;

    /// <summary>Where the unsent message was saved (-FailedMessagePath), or null.</summary>
    public string? SavedMessagePath { get; internal set; }

    /// <summary>The error id when not sent (SendAsDenied, DeliveryUnknown...), null when sent.</summary>
    public string? ErrorId => Error?.ErrorId;

    /// <summary>Cause and fix when not sent.</summary>
    public string? ErrorMessage => Error?.Message;

    internal OAuthSmtpException? Error { get; set; }

    internal PreparedMessage Message { get; }

    /// <summary>The failure with its cause and fix, for the error record.</summary>
    public OAuthSmtpException? GetError() => Error;

    public override string ToString() => $"{Status}: {Subject} ({MessageId})";
}
