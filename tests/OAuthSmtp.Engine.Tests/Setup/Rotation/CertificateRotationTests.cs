using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using OAuthSmtp.Engine.Errors;
using OAuthSmtp.Engine.Profiles;
using OAuthSmtp.Engine.Secrets;
using OAuthSmtp.Engine.Setup.Probes;
using OAuthSmtp.Engine.Setup.Provisioning;
using OAuthSmtp.Engine.Setup.Rotation;
using OAuthSmtp.Engine.Tests.Setup.Provisioning;
using OAuthSmtp.Engine.Tokens;
using Xunit;

namespace OAuthSmtp.Engine.Tests.Setup.Rotation;

/// <summary>
/// Update-SmtpOAuthCredential for a certificate profile (issue 17), against a fake Graph directory and a fake token
/// service that accepts only a certificate in the app's keyCredentials, and only after a replication delay: a new
/// self-signed certificate is uploaded with the old keys sent back, proven, stored in the profile; -RemoveOld removes
/// only the old key and the old .pfx this module made; a failed proof leaves profile, app and files as they were.
/// </summary>
public sealed class CertificateRotationTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 12, 3, 22, 0, 0, TimeSpan.Zero);
    private readonly string _folder = Directory.CreateTempSubdirectory("oauthsmtp-rotate-").FullName;
    private readonly FakeGraphDirectory _graph = new();
    private readonly ProfileStore _store;
    private readonly List<string> _warnings = new();
    private readonly List<TimeSpan> _slept = new();
    private readonly List<string> _asked = new();
    private DateTimeOffset _now = Start;
    private string _appId = string.Empty;

    public CertificateRotationTests()
    {
        _store = new ProfileStore(Path.Combine(_folder, "store"));
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>Token requests the fake token service refuses before it accepts a new key (Entra ID's replication delay).</summary>
    private int ReplicationTries { get; set; } = 2;

    private Exception? SmtpFailure { get; set; }

    private readonly Dictionary<string, int> _triesByThumbprint = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>An app with one uploaded certificate, and a .pfx profile for it as Initialize-SmtpOAuthSetup makes them.</summary>
    private SmtpOAuthProfile CertificateProfile()
    {
        using var certificate = SelfSignedCertificate.Create(CredentialStep.CredentialName("Scanner"), Start.AddDays(-300), Start.AddDays(65));
        var path = Path.Combine(CredentialStep.CertificatesFolder(_store), "Scanner.pfx");
        certificate.KeepPrivateKey(path);
        var app = new JsonObject
        {
            ["id"] = "a0000000-0000-0000-0000-00000000000a",
            ["appId"] = "c0000000-0000-0000-0000-00000000000c",
            ["displayName"] = "Scanner SMTP",
            ["passwordCredentials"] = new JsonArray(),
            ["keyCredentials"] = new JsonArray(new JsonObject
            {
                ["keyId"] = OldKeyId,
                ["type"] = "AsymmetricX509Cert",
                ["usage"] = "Verify",
                ["displayName"] = "CN=" + CredentialStep.CredentialName("Scanner"),
                ["customKeyIdentifier"] = Convert.ToBase64String(certificate.Certificate.GetCertHash()),
                ["endDateTime"] = Start.AddDays(65).ToString("o"),
            }),
        };
        _graph.Applications.Add(app);
        _appId = (string)app["appId"]!;
        var profile = new SmtpOAuthProfile
        {
            Name = "Scanner",
            TenantId = FakeTenantId,
            ClientId = Guid.Parse(_appId),
            Mailbox = "scanner@contoso.com",
            CredentialKind = CredentialKind.CertificateFile,
            CertificatePath = path,
        };
        using var password = new NetworkCredential(string.Empty, certificate.Password).SecurePassword;
        return _store.SaveProfile(profile, new SecretMaterial(password, allowUnprotectedStorage: true), overwrite: false);
    }

    private const string OldKeyId = "01d00000-0000-0000-0000-000000000000";

    private const string FakeTenantId = "8f5a3c1e-2b4d-4e6f-9a0b-1c2d3e4f5a6b";

    private IReadOnlyList<string> AppThumbprints() =>
        _graph.App(_appId)["keyCredentials"]!.AsArray().Select(k => Thumbprint((string)k!["customKeyIdentifier"]!)).ToList();

    private static string Thumbprint(string customKeyIdentifier) => Convert.ToHexString(Convert.FromBase64String(customKeyIdentifier));

    /// <summary>The fake token service: the profile's certificate must be in the app's keyCredentials, and replicated.</summary>
    private Task<AccessToken> Token(TokenRequest request, CancellationToken cancellationToken)
    {
        using var certificate = CertificateResolver.Resolve(request, _now);
        Assert.True(certificate.HasPrivateKey);
        _asked.Add(certificate.Thumbprint);
        var tries = _triesByThumbprint[certificate.Thumbprint] = _triesByThumbprint.GetValueOrDefault(certificate.Thumbprint) + 1;
        if (!AppThumbprints().Contains(certificate.Thumbprint, StringComparer.OrdinalIgnoreCase) || tries <= ReplicationTries)
        {
            throw new OAuthSmtpException(ErrorIds.TokenCertificateRejected, ErrorKind.AuthenticationError, "AADSTS700027: key not found.", "Upload it.");
        }

        return Task.FromResult(new AccessToken("token-" + certificate.Thumbprint, _now.AddHours(1)));
    }

    private CredentialRotator Rotator(Func<string, string, bool>? shouldProcess = null)
    {
        var services = new CredentialRotationServices(_graph, _store, Token, new FakeProbe(this))
        {
            UtcNow = () => _now,
            Sleep = (delay, _) => { _slept.Add(delay); _now += delay; },
            CanProtectSecrets = false,
        };
        return new CredentialRotator(services, new CredentialRotationHost { ShouldProcess = shouldProcess ?? ((_, _) => true), Warning = _warnings.Add });
    }

    /// <summary>As the cmdlet asks: the profile's certificate loaded (its thumbprint finds the old key), when it can be.</summary>
    private CredentialRotationRequest Request(SmtpOAuthProfile profile, bool removeOld)
    {
        var password = profile.CredentialKind == CredentialKind.CertificateFile ? Plain(_store.ReadSecret(profile)) : null;
        var current = profile.CredentialKind == CredentialKind.CertificateFile ? CertificateResolver.Resolve(new TokenRequest(profile) { Secret = password }, _now) : null;
        return new(profile, password, current) { RemoveOld = removeOld, Lifetime = TimeSpan.FromDays(180) };
    }

    private int GraphWrites => _graph.Calls.Count(c => c.Changes);

    [Fact]
    public void A_new_certificate_is_uploaded_with_the_old_keys_proven_stored_and_with_RemoveOld_the_old_key_and_pfx_go()
    {
        var profile = CertificateProfile();
        var oldThumbprint = Assert.Single(AppThumbprints());

        var result = Rotator().Rotate(Request(profile, removeOld: true), CancellationToken.None)!;

        // The upload sent the old key back (by its keyId) next to the new public key; only then was the old one removed.
        var upload = _graph.Calls.First(c => c.Method == "PATCH");
        Assert.Contains(OldKeyId, upload.Body, StringComparison.Ordinal);
        Assert.Contains("\"key\":", upload.Body, StringComparison.Ordinal);
        Assert.Equal(2, _graph.Calls.Count(c => c.Method == "PATCH"));
        var newThumbprint = Assert.Single(AppThumbprints());
        Assert.NotEqual(oldThumbprint, newThumbprint);
        Assert.Equal(newThumbprint, result.NewThumbprint);
        Assert.True(result.OldCredentialRemoved);
        Assert.Equal(OldKeyId, result.OldCredentialId);
        Assert.Equal((string)_graph.App(_appId)["keyCredentials"]![0]!["keyId"]!, result.NewCredentialId);

        // Proven with the stored key after Entra ID's replication (two refusals, two waits), SMTP AUTH, nothing sent.
        Assert.Equal(2, _slept.Count);
        Assert.Contains("try 3", result.Proof, StringComparison.Ordinal);
        Assert.Contains("nothing was sent", result.Proof, StringComparison.Ordinal);

        // The profile points at the new owner-only .pfx (password in the profile's store); the old .pfx we made is gone.
        var saved = _store.GetProfile("Scanner");
        Assert.NotEqual(profile.CertificatePath, saved.CertificatePath);
        Assert.False(File.Exists(profile.CertificatePath));
        Assert.True(File.Exists(saved.CertificatePath));
        Assert.StartsWith(CredentialStep.CertificatesFolder(_store), saved.CertificatePath, StringComparison.Ordinal);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(saved.CertificatePath!));
        }

        Assert.Equal(result.NewCredentialId, saved.CredentialKeyId);
        using var stored = CertificateResolver.Resolve(new TokenRequest(saved) { Secret = Plain(_store.ReadSecret(saved)) }, _now);
        Assert.Equal(newThumbprint, stored.Thumbprint);
        Assert.Equal("CN=" + CredentialStep.CredentialName("Scanner"), stored.Subject);
        Assert.Empty(_warnings);
    }

    [Fact]
    public void Without_RemoveOld_both_keys_stay_and_the_old_pfx_is_kept()
    {
        var profile = CertificateProfile();

        var result = Rotator().Rotate(Request(profile, removeOld: false), CancellationToken.None)!;

        Assert.Equal(2, AppThumbprints().Count);
        Assert.False(result.OldCredentialRemoved);
        Assert.True(File.Exists(profile.CertificatePath));
        Assert.Contains(OldKeyId, result.Next, StringComparison.Ordinal);
    }

    [Fact]
    public void A_failed_proof_leaves_the_profile_the_old_key_and_the_files_as_they_were_and_takes_the_new_key_away()
    {
        var profile = CertificateProfile();
        var before = AppThumbprints();
        var files = Directory.GetFiles(CredentialStep.CertificatesFolder(_store));
        SmtpFailure = new OAuthSmtpException(ErrorIds.SmtpAuthDisabledForMailbox, ErrorKind.AuthenticationError, "SMTP AUTH is disabled for the mailbox.", "Set-CASMailbox -SmtpClientAuthenticationDisabled $false");

        var failure = Assert.Throws<OAuthSmtpException>(() => Rotator().Rotate(Request(profile, removeOld: true), CancellationToken.None));

        Assert.Equal(ErrorIds.CredentialProofFailed, failure.ErrorId);
        Assert.Contains(ErrorIds.SmtpAuthDisabledForMailbox, failure.Message, StringComparison.Ordinal);
        Assert.Equal(before, AppThumbprints());
        Assert.Equal(files, Directory.GetFiles(CredentialStep.CertificatesFolder(_store)));
        var saved = _store.GetProfile("Scanner");
        Assert.Equal(profile.CertificatePath, saved.CertificatePath);
        Assert.Null(saved.CredentialKeyId);
    }

    [Fact]
    public void Declined_changes_nothing_no_Graph_write_and_no_file()
    {
        var profile = CertificateProfile();
        var files = Directory.GetFiles(CredentialStep.CertificatesFolder(_store));
        var asked = new List<string>();

        var result = Rotator((target, action) => { asked.Add(action); return false; }).Rotate(Request(profile, removeOld: true), CancellationToken.None);

        Assert.Null(result);
        Assert.Equal(0, GraphWrites);
        Assert.Equal(files, Directory.GetFiles(CredentialStep.CertificatesFolder(_store)));
        Assert.Contains(asked, a => a.Contains("Create a self-signed certificate", StringComparison.Ordinal) && a.Contains("PATCH /v1.0/applications/", StringComparison.Ordinal));
        Assert.Contains(asked, a => a.StartsWith("Remove the old certificate", StringComparison.Ordinal));
    }

    [Fact]
    public void A_store_profile_gets_its_new_key_in_the_same_store_and_RemoveOld_takes_the_old_one_we_made_out_of_it()
    {
        // The Windows default (Cert:\CurrentUser\My); .NET keeps that store under the tests' isolated HOME elsewhere.
        var file = CertificateProfile();
        using var old = CertificateResolver.Resolve(new TokenRequest(file) { Secret = Plain(_store.ReadSecret(file)) }, _now);
        using (var store = new X509Store(StoreName.My, StoreLocation.CurrentUser))
        {
            store.Open(OpenFlags.ReadWrite);
            store.Add(old);
        }

        var profile = _store.SaveProfile(
            new SmtpOAuthProfile { Name = "Scanner", TenantId = FakeTenantId, ClientId = file.ClientId, Mailbox = file.Mailbox, CredentialKind = CredentialKind.CertificateThumbprint, CertificateThumbprint = old.Thumbprint, CertificateStoreLocation = "CurrentUser" },
            secret: null,
            overwrite: true);

        var result = Rotator().Rotate(new CredentialRotationRequest(profile, null, null) { RemoveOld = true }, CancellationToken.None)!;

        var saved = _store.GetProfile("Scanner");
        Assert.Equal(result.NewThumbprint, saved.CertificateThumbprint);
        Assert.Equal(CredentialKind.CertificateThumbprint, saved.CredentialKind);
        using var check = new X509Store(StoreName.My, StoreLocation.CurrentUser);
        check.Open(OpenFlags.ReadOnly);
        var inStore = check.Certificates.Find(X509FindType.FindByThumbprint, result.NewThumbprint!, validOnly: false);
        Assert.True(Assert.Single(inStore).HasPrivateKey);
        Assert.Empty(check.Certificates.Find(X509FindType.FindByThumbprint, old.Thumbprint, validOnly: false));
        Assert.Equal(new[] { result.NewThumbprint! }, AppThumbprints());
        Assert.True(result.OldCredentialRemoved);
    }

    [Theory]
    [InlineData(CredentialKind.DeviceCode)]
    [InlineData(CredentialKind.SystemManagedIdentity)]
    public void Managed_identity_and_delegated_profiles_have_nothing_to_rotate(CredentialKind kind)
    {
        var profile = new SmtpOAuthProfile { Name = "Other", TenantId = FakeTenantId, ClientId = Guid.NewGuid(), Mailbox = "scanner@contoso.com", CredentialKind = kind };

        var failure = Assert.Throws<OAuthSmtpException>(() => Rotator().Rotate(Request(profile, removeOld: true), CancellationToken.None));

        Assert.Equal(ErrorIds.CredentialRotationNotApplicable, failure.ErrorId);
        Assert.Empty(_graph.Calls);
    }

    private static string? Plain(System.Security.SecureString? secret) => secret is null ? null : new NetworkCredential(string.Empty, secret).Password;

    private sealed class FakeProbe : ISmtpProbe
    {
        private readonly CertificateRotationTests _test;

        public FakeProbe(CertificateRotationTests test) => _test = test;

        public Task<SmtpHandshakeResult> HandshakeAsync(string server, int port, string mailbox, AccessToken token, CancellationToken cancellationToken) =>
            _test.SmtpFailure is { } failure ? Task.FromException<SmtpHandshakeResult>(failure) : Task.FromResult(new SmtpHandshakeResult(server, port, "Tls13", "LOGIN XOAUTH2", "235 2.7.0 Authentication successful"));

        public Task<string> SendTestMessageAsync(string server, int port, string mailbox, AccessToken token, string from, string recipient, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("A rotation sends nothing.");
    }
}
