using System;

namespace OAuthSmtp.Engine.Errors;

/// <summary>
/// Every failure the engine reports. <see cref="Exception.Message"/> names the cause in an admin's words,
/// <see cref="Fix"/> the command or step that fixes it; <see cref="ErrorId"/> is the stable id that becomes
/// the first part of PowerShell's FullyQualifiedErrorId. Messages never carry a secret or a token.
/// </summary>
public class OAuthSmtpException : Exception
{
    public OAuthSmtpException(
        string errorId,
        ErrorKind kind,
        string message,
        string? fix = null,
        object? targetObject = null,
        Exception? innerException = null)
        : base(message, innerException)
    {
        ErrorId = errorId;
        Kind = kind;
        Fix = fix;
        TargetObject = targetObject;
    }

    /// <summary>Stable PascalCase id from <see cref="ErrorIds"/>.</summary>
    public string ErrorId { get; }

    public ErrorKind Kind { get; }

    /// <summary>What to do about it: the exact command where there is one.</summary>
    public string? Fix { get; }

    /// <summary>The input that failed (a profile name, a message, a mailbox), reported as the error's target.</summary>
    public object? TargetObject { get; }
}
