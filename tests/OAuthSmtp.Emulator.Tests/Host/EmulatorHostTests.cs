using System;
using System.Diagnostics;
using System.Net;
using System.Net.Http;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Threading.Tasks;
using Xunit;
using Xunit.Abstractions;

namespace OAuthSmtp.Emulator.Tests.Host;

public sealed class EmulatorHostTests
{
    private readonly ITestOutputHelper _output;

    public EmulatorHostTests(ITestOutputHelper output)
    {
        _output = output;
    }

    [Fact]
    public async Task Starts_on_its_own_ports_and_stops_its_listeners()
    {
        // Warm the per-process CA and signing key first: the time written below is for starting an emulator, not for the process.
        await using (await ExchangeOnlineEmulator.StartAsync(new EmulatorOptions { StartSmtpServer = false }))
        {
        }

        // The start time is reported, not asserted: a speed figure must not fail the suite on a busy machine.
        var watch = Stopwatch.StartNew();
        var emulator = await ExchangeOnlineEmulator.StartAsync();
        watch.Stop();
        _output.WriteLine($"Emulator start (second in the process): {watch.ElapsedMilliseconds} ms.");
        var port = emulator.TokenServicePort;
        Assert.Equal(new Uri($"https://localhost:{port}/"), emulator.AuthorityHost);
        Assert.Equal("localhost", emulator.SmtpHost);

        await emulator.DisposeAsync();
        using var http = new HttpClient();
        await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync($"https://localhost:{port}/{Guid.NewGuid()}/v2.0/.well-known/openid-configuration"));
    }

    [Fact]
    public async Task Default_certificate_validation_trusts_the_token_service()
    {
        await using var emulator = await ExchangeOnlineEmulator.StartAsync(new EmulatorOptions { StartSmtpServer = false });
        using var http = new HttpClient();
        var response = await http.GetAsync(new Uri(emulator.AuthorityHost, emulator.Current.TenantId + "/v2.0/.well-known/openid-configuration"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains($"\"token_endpoint\":\"https://localhost:{emulator.TokenServicePort}/{emulator.Current.TenantId}/oauth2/v2.0/token\"", body);
    }

    [Fact]
    public async Task An_emulator_starts_with_realistic_propagation_delays_and_a_fixture_shortens_them_explicitly()
    {
        await using var realistic = await ExchangeOnlineEmulator.StartAsync(new EmulatorOptions { StartSmtpServer = false });
        await using var quick = await ExchangeOnlineEmulator.StartAsync(new EmulatorOptions { StartSmtpServer = false, PropagationDelays = Model.PropagationDefaults.Quick });

        realistic.Reset(Scenario.Fresh);
        Assert.Equal(TimeSpan.FromMinutes(30), realistic.Tenant.PropagationDelays[Model.ChangeKind.MailboxPermission]);
        Assert.Equal(TimeSpan.FromHours(24), realistic.Tenant.PropagationDelays[Model.ChangeKind.ManagedIdentityRoles]);
        Assert.Equal(realistic.Clock.UtcNow.AddMinutes(30), realistic.Tenant.EffectiveFromNow(Model.ChangeKind.RecipientPermission), TimeSpan.FromSeconds(5));
        quick.Reset(Scenario.Fresh);
        Assert.Equal(TimeSpan.FromMilliseconds(500), quick.Tenant.PropagationDelays[Model.ChangeKind.MailboxPermission]);
        Assert.Equal(TimeSpan.FromMilliseconds(500), quick.Tenant.PropagationDelays[Model.ChangeKind.ManagedIdentityRoles]);
        Assert.Equal(TimeSpan.Zero, quick.Tenant.PropagationDelays[Model.ChangeKind.Consent]);
    }

    [Fact]
    public async Task A_server_certificate_from_another_CA_is_refused()
    {
        using var otherRootKey = RSA.Create(2048);
        var rootRequest = new CertificateRequest("CN=Not the emulator CA", otherRootKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        rootRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var otherRoot = rootRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        using var serverKey = RSA.Create(2048);
        var serverRequest = new CertificateRequest("CN=localhost", serverKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        serverRequest.CertificateExtensions.Add(names.Build());
        using var issued = serverRequest.Create(otherRoot, DateTimeOffset.UtcNow.AddMinutes(-4), DateTimeOffset.UtcNow.AddHours(20), new byte[] { 1, 2, 3, 4 });
        using var serverCertificate = issued.CopyWithPrivateKey(serverKey);

        var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            var serve = Task.Run(async () =>
            {
                using var client = await listener.AcceptTcpClientAsync();
                using var tls = new SslStream(client.GetStream());
                try
                {
                    await tls.AuthenticateAsServerAsync(serverCertificate);
                }
                catch (Exception)
                {
                    // The client hangs up once it rejects the certificate.
                }
            });

            using var http = new HttpClient();
            var failure = await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync($"https://localhost:{port}/"));
            Assert.IsType<System.Security.Authentication.AuthenticationException>(failure.InnerException);
            await serve.WaitAsync(TimeSpan.FromMinutes(2)); // a hang guard: the server side ends once the client hung up
        }
        finally
        {
            listener.Stop();
        }
    }

    [Fact]
    public void The_CA_is_trusted_only_under_the_isolated_test_home()
    {
        var home = TestEnvironment.IsolatedHome;
        Assert.NotNull(home);
        Assert.Equal(home, Environment.GetEnvironmentVariable("HOME"));
        Assert.StartsWith(System.IO.Path.GetTempPath(), home);
        // This run's own folder (removed when it exits), never one shared by every run of the user.
        Assert.True(TestEnvironment.OwnsIsolatedHome);
        Assert.StartsWith(TestEnvironment.FolderPrefix + Environment.ProcessId + "-", System.IO.Path.GetFileName(home));
        Assert.Equal(home, Environment.GetEnvironmentVariable(TestEnvironment.InheritedHomeVariable));
        EmulatorCertificateAuthority.Instance.TrustInCurrentUserRootStore();
        var file = System.IO.Path.Combine(home!, ".dotnet", "corefx", "cryptography", "x509stores", "root", EmulatorCertificateAuthority.Instance.RootCertificate.Thumbprint + ".pfx");
        Assert.True(System.IO.File.Exists(file));
    }
}
