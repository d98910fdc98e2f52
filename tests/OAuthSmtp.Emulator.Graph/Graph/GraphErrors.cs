using System;
using System.Management.Automation;
using System.Security.Authentication;

namespace OAuthSmtp.Emulator.PowerShell.Graph;

/// <summary>The error records Microsoft.Graph.Authentication raises, with its ids and texts (msgraph-sdk-powershell ErrorConstants).</summary>
internal static class GraphErrors
{
    /// <summary>Any Graph cmdlet before Connect-MgGraph: "Authentication needed. Please call Connect-MgGraph."</summary>
    public static ErrorRecord NotConnected() => new(
        new AuthenticationException("Authentication needed. Please call Connect-MgGraph."),
        "NotConnected",
        ErrorCategory.AuthenticationError,
        null);

    public static ErrorRecord SignInFailed(string message) => new(
        new AuthenticationException(message),
        "Microsoft.Graph.PowerShell.Authentication.Cmdlets.ConnectMgGraph",
        ErrorCategory.AuthenticationError,
        null);

    /// <summary>A URI whose host is neither Microsoft Graph nor this emulator's Graph.</summary>
    public static ErrorRecord InvalidHost(Uri uri) => new(
        new ArgumentException($"Invalid Host {uri.Host}. Please use a valid Graph endpoint or a relative URI, such as 'v1.0/me'."),
        "InvokeGraphRequestInvalidHost",
        ErrorCategory.InvalidArgument,
        uri);
}
