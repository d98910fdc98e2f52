using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Net.Http;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using OAuthSmtp.Emulator;
using OAuthSmtp.Hosting;
using OAuthSmtp.PowerShell.Tests.Infrastructure;
using Xunit;

namespace OAuthSmtp.PowerShell.Tests.Sending;

/// <summary>Shared plumbing of the Send-SmtpOAuthMessage tests: one emulator per class, a fresh session and folder per test.</summary>
public abstract class SendTestBase : IClassFixture<EmulatorFixture>, IDisposable
{
    protected const string CommandSuffix = ",OAuthSmtp.PowerShell.Commands.SendSmtpOAuthMessageCommand";

    private static readonly HttpClient Http = new(new HttpClientHandler { ServerCertificateCustomValidationCallback = ValidateAgainstEmulatorRoot });
    private PowerShellSession? _session;

    protected SendTestBase(EmulatorFixture fixture)
    {
        Fixture = fixture;
        Folder = Directory.CreateTempSubdirectory("oauthsmtp-send-").FullName;
    }

    protected EmulatorFixture Fixture { get; }

    protected ExchangeOnlineEmulator Emulator => Fixture.Emulator;

    protected ScenarioInfo Tenant => Emulator.Current;

    protected string Folder { get; }

    protected PowerShellSession Session => _session ?? throw new InvalidOperationException("Call Start first.");

    /// <summary>A fresh session on a reset tenant with the client-secret profile 'Emu'.</summary>
    protected void Start(bool connectExchange = false)
    {
        _session?.Dispose();
        _session = Fixture.NewSession(Scenario.Ready, connectExchange);
        var created = _session.Run(EmulatorFixture.NewProfileScript());
        Assert.True(!created.AllErrors.Any(), created.ErrorText);
        Emulator.Faults.SmtpSettings.MessagesPerRateWindow = 100_000;
        Emulator.Statistics.Reset();
    }

    protected ScriptResult Run(string script, IDictionary<string, object?>? parameters = null, bool render = false) =>
        Session.Run(script, render, parameters);

    /// <summary>A token from the emulator's token service by client credentials, as a caller of -AccessToken holds one.</summary>
    protected string MintToken()
    {
        var endpoint = new Uri(Tenant.AuthorityHost, $"{Tenant.TenantId}/oauth2/v2.0/token");
        using var body = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["client_id"] = Tenant.ClientId!.Value.ToString(),
            ["client_secret"] = Tenant.ClientSecret!,
            ["scope"] = "https://outlook.office365.com/.default",
            ["grant_type"] = "client_credentials",
        });
        using var response = Http.PostAsync(endpoint, body).GetAwaiter().GetResult();
        response.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(response.Content.ReadAsStringAsync().GetAwaiter().GetResult());
        return json.RootElement.GetProperty("access_token").GetString()!;
    }

    protected static void AssertErrorId(ErrorRecord record, string errorId, ErrorCategory category)
    {
        Assert.Equal(errorId + CommandSuffix, record.FullyQualifiedErrorId);
        Assert.Equal(category, record.CategoryInfo.Category);
        Assert.False(string.IsNullOrWhiteSpace(record.ErrorDetails?.Message));
        Assert.False(string.IsNullOrWhiteSpace(record.ErrorDetails?.RecommendedAction));
    }

    protected int DeliveredWithSubject(string subject) => Emulator.Delivered.All.Count(d => d.Subject == subject);

    public void Dispose()
    {
        _session?.Dispose();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    // Pinned to this process's emulator root (chain and name still checked): see the engine tests' EmulatorTrust.
    private static bool ValidateAgainstEmulatorRoot(HttpRequestMessage message, X509Certificate2? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (certificate is null || (errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
        {
            return false;
        }

        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.Add(EmulatorCertificateAuthority.Instance.RootCertificate);
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return custom.Build(certificate);
    }
}
