using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Threading.Tasks;

namespace OAuthSmtp.Emulator.Tests.Tokens;

/// <summary>Raw HTTP against the token service (default certificate validation: the emulator CA is trusted in the test home).</summary>
internal static class TokenHttp
{
    private static readonly HttpClient Client = new(new HttpClientHandler { AllowAutoRedirect = false });

    public static HttpClient Http => Client;

    public static async Task<(int Status, JsonElement Body)> PostAsync(ExchangeOnlineEmulator emulator, string path, IDictionary<string, string> form, AuthenticationHeaderValue? authorization = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(emulator.AuthorityHost, path)) { Content = new FormUrlEncodedContent(form) };
        request.Headers.Authorization = authorization;
        using var response = await Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, JsonDocument.Parse(text).RootElement.Clone());
    }

    public static Task<(int Status, JsonElement Body)> TokenAsync(ExchangeOnlineEmulator emulator, IDictionary<string, string> form, string? tenant = null) =>
        PostAsync(emulator, $"{tenant ?? emulator.Current.TenantId.ToString()}/oauth2/v2.0/token", form);

    public static Dictionary<string, string> ClientCredentials(ExchangeOnlineEmulator emulator, string? secret = null, string scope = "https://outlook.office365.com/.default") => new()
    {
        ["client_id"] = emulator.Current.ClientId.ToString()!,
        ["client_secret"] = secret ?? emulator.Current.ClientSecret!,
        ["scope"] = scope,
        ["grant_type"] = "client_credentials",
    };

    /// <summary>A payload claim of a JWT (no validation: the tests validate through the emulator's validator separately).</summary>
    public static JsonElement Claims(string jwt) =>
        JsonDocument.Parse(System.Buffers.Text.Base64Url.DecodeFromChars(jwt.Split('.')[1])).RootElement.Clone();

    public static X509Certificate2 NewSelfSignedCertificate(string subject = "CN=OAuthSmtp test app")
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(30));
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pfx), null);
    }
}
