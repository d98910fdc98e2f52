using System.Net.Http;

namespace OAuthSmtp.Emulator.PowerShell.Graph;

/// <summary>
/// What Invoke-MgGraphRequest throws for a non-success answer (Microsoft.Graph.PowerShell.Authentication.Helpers.
/// HttpResponseException): "Response status code does not indicate success: Forbidden (Forbidden)." with the response.
/// </summary>
public sealed class HttpResponseException : HttpRequestException
{
    public HttpResponseException(string message, HttpResponseMessage response)
        : base(message, null, response.StatusCode)
    {
        Response = response;
    }

    public HttpResponseMessage Response { get; }
}
