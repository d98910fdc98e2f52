using System;
using System.Text;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;

namespace OAuthSmtp.Emulator.Hostile;

/// <summary>Answers a token request the hostile way <see cref="EmulatorFaults.TokenServiceHostility"/> asks for.</summary>
internal static class HostileTokenResponder
{
    /// <summary>True when the request was answered here (or held and abandoned); false: answer normally.</summary>
    public static async Task<bool> TryRespondAsync(EmulatorFaults faults, HttpContext context)
    {
        var mode = faults.TokenServiceHostility;
        if (mode == HostileTokenMode.None)
        {
            return false;
        }

        var aborted = context.RequestAborted;
        context.Response.ContentType = "application/json; charset=utf-8";
        switch (mode)
        {
            case HostileTokenMode.Slow:
                try
                {
                    await Task.Delay(faults.TokenServiceDelayMs, aborted).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return true;
                }

                context.Response.StatusCode = 503;
                await context.Response.WriteAsync("{\"error\":\"temporarily_unavailable\",\"error_description\":\"AADSTS50196: slow.\"}", aborted).ConfigureAwait(false);
                return true;
            case HostileTokenMode.HugeBody:
                await WriteHugeBodyAsync(faults.TokenServiceBodyBytes, context).ConfigureAwait(false);
                return true;
            case HostileTokenMode.InvalidJson:
                await context.Response.WriteAsync("<html><body>Service temporarily redirected {\"access_token\": </body></html>", aborted).ConfigureAwait(false);
                return true;
            case HostileTokenMode.NotAJwt:
                await context.Response.WriteAsync("{\"token_type\":\"Bearer\",\"expires_in\":3599,\"ext_expires_in\":3599,\"access_token\":\"EwBAAl3BAAUFFpUAo7J3Ve0bjLBWZWCclRC3EoAA-opaque\"}", aborted).ConfigureAwait(false);
                return true;
            case HostileTokenMode.MissingAccessToken:
                await context.Response.WriteAsync("{\"token_type\":\"Bearer\",\"expires_in\":3599}", aborted).ConfigureAwait(false);
                return true;
            default:
                return false;
        }
    }

    private static async Task WriteHugeBodyAsync(long size, HttpContext context)
    {
        // No Content-Length: the client cannot know the size in advance and must bound its own reading.
        var opening = Encoding.ASCII.GetBytes("{\"token_type\":\"Bearer\",\"expires_in\":3599,\"access_token\":\"");
        var filler = Encoding.ASCII.GetBytes(new string('A', 64 * 1024));
        try
        {
            await context.Response.Body.WriteAsync(opening, context.RequestAborted).ConfigureAwait(false);
            for (long written = opening.Length; written < size && !context.RequestAborted.IsCancellationRequested; written += filler.Length)
            {
                await context.Response.Body.WriteAsync(filler, context.RequestAborted).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or System.IO.IOException or InvalidOperationException)
        {
            // The client stopped reading: that is what a well-behaved client does.
        }
    }
}
