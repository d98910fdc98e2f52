using System;
using OAuthSmtp.Engine.Errors;

namespace OAuthSmtp.Engine.Setup.Exchange;

/// <summary>An Exchange admin command failed; the message is Exchange's own, the command is named.</summary>
public sealed class ExchangeAdminException : OAuthSmtpException
{
    public ExchangeAdminException(string command, string message, Exception? innerException = null, bool objectNotFound = false)
        : base(
            ErrorIds.ExchangeCommandFailed,
            ErrorKind.InvalidOperation,
            $"{command} failed: {message}",
            "Check that the Exchange Online session is connected (Get-ConnectionInformation) and that your admin account holds the roles the command needs (Organization Management, or Role Management for New-ServicePrincipal).",
            command,
            innerException)
    {
        Command = command;
        ObjectNotFound = objectNotFound;
    }

    /// <summary>Exchange said the object does not exist (ManagementObjectNotFoundException).</summary>
    public bool ObjectNotFound { get; }

    public string Command { get; }
}
