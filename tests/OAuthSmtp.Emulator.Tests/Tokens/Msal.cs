using System;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Identity.Client;

namespace OAuthSmtp.Emulator.Tests.Tokens;

/// <summary>MSAL.NET pointed at the emulator exactly as the product points it at Entra: authority = host + tenant, no instance discovery.</summary>
internal static class Msal
{
    public const string ExchangeDefault = "https://outlook.office365.com/.default";
    public const string SmtpSend = "https://outlook.office.com/SMTP.Send";

    public static IConfidentialClientApplication WithSecret(ExchangeOnlineEmulator emulator, string clientId, string secret, string? tenant = null) =>
        ConfidentialClientApplicationBuilder.Create(clientId)
            .WithAuthority(Authority(emulator, tenant), false)
            .WithInstanceDiscovery(false)
            .WithClientSecret(secret)
            .WithRedirectUri("http://localhost")
            .Build();

    public static IConfidentialClientApplication WithCertificate(ExchangeOnlineEmulator emulator, string clientId, X509Certificate2 certificate) =>
        ConfidentialClientApplicationBuilder.Create(clientId)
            .WithAuthority(Authority(emulator, null), false)
            .WithInstanceDiscovery(false)
            .WithCertificate(certificate)
            .Build();

    public static IPublicClientApplication Public(ExchangeOnlineEmulator emulator, string clientId) =>
        PublicClientApplicationBuilder.Create(clientId)
            .WithAuthority(Authority(emulator, null), false)
            .WithInstanceDiscovery(false)
            .Build();

    public static string Authority(ExchangeOnlineEmulator emulator, string? tenant) =>
        new Uri(emulator.AuthorityHost, tenant ?? emulator.Current.TenantId.ToString()).ToString();
}
