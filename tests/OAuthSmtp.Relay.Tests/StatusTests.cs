using System;
using System.IO;
using System.Linq;
using System.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Threading.Tasks;
using OAuthSmtp.Engine.Profiles;
using OAuthSmtp.Engine.Secrets;
using Xunit;
using Xunit.Abstractions;

namespace OAuthSmtp.Relay.Tests;

/// <summary>status.json warns well before a sending profile's certificate or recorded client secret ends, naming what replaces it, and says when a secret's end is unknown.</summary>
public sealed class StatusTests : RelayTestBase
{
    public StatusTests(RelayEmulatorFixture fixture, ITestOutputHelper output)
        : base(fixture, output)
    {
    }

    [Fact]
    public async Task ACertificateEndingWithinThirtyDaysIsACredentialWarning()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=relay-app", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-300), DateTimeOffset.UtcNow.AddDays(10));
        var pfx = Path.Combine(Relay.Home, "app.pfx");
        File.WriteAllBytes(pfx, certificate.Export(X509ContentType.Pfx, "pfx-pass"));
        var store = new ProfileStore(Relay.ProfileStorePath);
        var profile = store.GetStoredProfile("alerts").Clone();
        profile.Name = "expiring";
        profile.CredentialKind = CredentialKind.CertificateFile;
        profile.CertificatePath = pfx;
        var secret = new SecureString();
        foreach (var c in "pfx-pass")
        {
            secret.AppendChar(c);
        }

        using (var material = new SecretMaterial(secret, allowUnprotectedStorage: true))
        {
            store.SaveProfile(profile, material, overwrite: true);
        }

        var device = Relay.Device("camera", "alerts", password: Password);
        device.Profile = "expiring";
        Relay.Configure(new[] { device });
        await Relay.StartAsync();

        var status = await Relay.WaitForStatusAsync(s => s["credentialWarnings"]!.AsArray().Count > 0, TimeSpan.FromSeconds(20));
        var warning = status["credentialWarnings"]!.AsArray().Single()!;
        Assert.Equal("expiring", (string?)warning["profile"]);
        Assert.Contains("Set-SmtpOAuthProfile -Name 'expiring' -CertificateThumbprint", (string?)warning["message"]);
        Assert.NotNull(warning["expiresOn"]);
    }

    [Fact]
    public async Task AClientSecretRecordedAsEndingWithinThirtyDaysIsACredentialWarning()
    {
        var store = new ProfileStore(Relay.ProfileStorePath);
        var profile = store.GetStoredProfile("alerts").Clone();
        profile.CredentialEndsOn = DateTimeOffset.UtcNow.AddDays(12);
        store.SaveProfile(profile, null, overwrite: true);

        Relay.Configure(new[] { Relay.Device("camera", "alerts", password: Password) });
        await Relay.StartAsync();

        var status = await Relay.WaitForStatusAsync(s => s["credentialWarnings"]!.AsArray().Count > 0, TimeSpan.FromSeconds(20));
        var warning = status["credentialWarnings"]!.AsArray().Single()!;
        Assert.Equal("alerts", (string?)warning["profile"]);
        Assert.Contains("client secret", (string?)warning["message"]);
        Assert.Contains("Update-SmtpOAuthCredential -Profile 'alerts' -RemoveOld", (string?)warning["message"]);
    }

    /// <summary>
    /// A secret made in the portal has no recorded end date: the relay says so and names the command that records it;
    /// once Get-SmtpOAuthRelay recorded it (in the relay's profile store), the running relay reads the profile again
    /// and warns from the date, without a restart or a change of relay.json.
    /// </summary>
    [Fact]
    public async Task AClientSecretWithoutARecordedEndIsReportedUnknownUntilItsEndIsRecorded()
    {
        Relay.Configure(new[] { Relay.Device("camera", "alerts", password: Password) });
        await Relay.StartAsync();

        var unknown = await Relay.WaitForStatusAsync(s => s["credentialWarnings"]!.AsArray().Count > 0, TimeSpan.FromSeconds(20));
        var first = unknown["credentialWarnings"]!.AsArray().Single()!;
        Assert.Equal("alerts", (string?)first["profile"]);
        Assert.Contains("no recorded end date", (string?)first["message"]);
        Assert.Contains("Connect-MgGraph -Scopes Application.Read.All; Get-SmtpOAuthRelay", (string?)first["message"]);
        Assert.Null(first["expiresOn"]);

        var store = new ProfileStore(Relay.ProfileStorePath);
        var profile = store.GetStoredProfile("alerts");
        profile.CredentialEndsOn = DateTimeOffset.UtcNow.AddDays(20);
        store.UpdateProfile(profile, null);

        var recorded = await Relay.WaitForStatusAsync(s => s["credentialWarnings"]!.AsArray().Any(w => w!["expiresOn"] is not null), TimeSpan.FromSeconds(20));
        var warning = recorded["credentialWarnings"]!.AsArray().Single()!;
        Assert.Contains("expires on", (string?)warning["message"]);
        Assert.Contains("Update-SmtpOAuthCredential -Profile 'alerts' -RemoveOld", (string?)warning["message"]);
    }
}
