using System;
using System.Management.Automation;

namespace OAuthSmtp.Emulator.PowerShell.Exchange;

/// <summary>The error records the admin cmdlets emit, with Exchange Online's texts (EXCHANGE-FACTS 6.2).</summary>
internal static class ExchangeErrors
{
    /// <summary>The domain controller named in "couldn't be found on" messages; shaped like the real ones.</summary>
    public const string DomainController = "BN8PR01A001DC01.NAMPR01A001.PROD.OUTLOOK.COM";

    /// <summary>Observed text of the REST-based module (Get-EXO* cmdlets) when no connection exists.</summary>
    public const string NotConnectedText = "You must call the Connect-ExchangeOnline cmdlet before calling any other cmdlets.";

    public static ErrorRecord NotConnected() =>
        new(new InvalidOperationException(NotConnectedText), "NotConnected", ErrorCategory.InvalidOperation, null)
        {
            ErrorDetails = new ErrorDetails(NotConnectedText)
            {
                RecommendedAction = "Run Connect-ExchangeOnline first (for example Connect-ExchangeOnline -UserPrincipalName admin@contoso.onmicrosoft.com).",
            },
        };

    public static string NotFoundText(string identity) =>
        $"The operation couldn't be performed because object '{identity}' couldn't be found on '{DomainController}'.";

    public static ErrorRecord NotFound(string identity) =>
        new(new ManagementObjectNotFoundException(NotFoundText(identity)), "ManagementObjectNotFound", ErrorCategory.ObjectNotFound, identity);

    public static ErrorRecord Ambiguous(string identity) =>
        new(
            new ManagementObjectAmbiguousException($"The operation couldn't be performed because '{identity}' matches multiple entries."),
            "ManagementObjectAmbiguous",
            ErrorCategory.InvalidArgument,
            identity);

    public static ErrorRecord InvalidArgument(string errorId, string message, object? target) =>
        new(new ArgumentException(message), errorId, ErrorCategory.InvalidArgument, target);

    public static ErrorRecord AlreadyExists(string errorId, string message, object? target) =>
        new(new InvalidOperationException(message), errorId, ErrorCategory.ResourceExists, target);
}
