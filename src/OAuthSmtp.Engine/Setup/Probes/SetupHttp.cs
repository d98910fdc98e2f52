using System;
using System.Net.Http;

namespace OAuthSmtp.Engine.Setup.Probes;

/// <summary>One HttpClient for OpenID discovery and Graph reads (reused, as HttpClient should be), with a short timeout.</summary>
public static class SetupHttp
{
    public static HttpClient Client { get; } = new(new HttpClientHandler { UseProxy = true }) { Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>The production services for a token source: discovery and Graph over HTTPS, SMTP through the sending engine.</summary>
    public static SetupServices ServicesFor(ISetupTokenSource tokens) =>
        new(tokens, new OpenIdTenantDiscovery(Client), new ExchangeSmtpProbe(), (token, graph) => new Entra.GraphEntraDirectory(Client, token, graph));
}
