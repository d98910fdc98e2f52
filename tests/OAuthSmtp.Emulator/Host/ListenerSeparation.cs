using System;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;

namespace OAuthSmtp.Emulator.Host;

/// <summary>
/// One Kestrel, two listeners: HTTPS carries the token service and Graph (as login.microsoftonline.com and
/// graph.microsoft.com do), plain HTTP carries only the managed-identity endpoints (as App Service's local endpoint and IMDS do).
/// A request on the wrong listener gets 404, so a client that skips TLS for the token service fails visibly.
/// </summary>
internal static class ListenerSeparation
{
    public const string ManagedIdentityPathPrefix = "/msi";

    /// <summary>The Azure VM (IMDS) and Arc path: /metadata/identity/oauth2/token, plain HTTP as on 169.254.169.254.</summary>
    public const string ImdsPathPrefix = "/metadata";

    public static Task Middleware(HttpContext context, Func<Task> next)
    {
        var managedIdentityPath = context.Request.Path.StartsWithSegments(ManagedIdentityPathPrefix, StringComparison.OrdinalIgnoreCase)
            || context.Request.Path.StartsWithSegments(ImdsPathPrefix, StringComparison.OrdinalIgnoreCase);
        if (managedIdentityPath == context.Request.IsHttps)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        }

        return next();
    }
}
