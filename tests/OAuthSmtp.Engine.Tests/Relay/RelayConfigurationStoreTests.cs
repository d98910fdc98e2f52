using System;
using System.IO;
using System.Linq;
using System.Net;
using OAuthSmtp.Engine.Errors;
using OAuthSmtp.Engine.Profiles;
using OAuthSmtp.Engine.Relay;
using OAuthSmtp.Engine.Secrets;
using OAuthSmtp.Engine.Tests.Profiles;
using Xunit;

namespace OAuthSmtp.Engine.Tests.Relay;

public sealed class RelayConfigurationStoreTests : IDisposable
{
    private readonly string _home = Path.Combine(Path.GetTempPath(), "oauthsmtp-relay-store-tests", Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_home))
        {
            Directory.Delete(_home, recursive: true);
        }
    }

    private RelayConfigurationStore Installed()
    {
        var store = new RelayConfigurationStore(_home);
        store.Create(RelayConfiguration.CreateDefault(_home), overwrite: false);
        new ProfileStore(store.Resolve("profiles")).SaveProfile(ProfileStoreTests.Profile("Scanner"), secret: null, overwrite: false);
        return store;
    }

    private RelayClientRegistry Registry(RelayConfigurationStore store) => new(store) { VerifierIterations = 10_000 };

    private static RelayClientRequest Device(string name = "Printer-2OG") => new()
    {
        Name = name,
        Profile = "Scanner",
        AllowedSources = { "192.168.10.25" },
    };

    [Fact]
    public void The_default_listens_on_loopback_587_with_cleartext_auth_on_loopback_only()
    {
        var configuration = Installed().Load();
        Assert.Equal(new[] { "127.0.0.1:587", "[::1]:587" }, configuration.Listeners.Select(l => l.Endpoint));
        Assert.Equal(new[] { "127.0.0.0/8", "::1/128" }, configuration.CleartextAuthRanges);
        Assert.Equal(RelayCertificateSource.None, configuration.Tls.CertificateSource);
        Assert.True(configuration.AllowsCleartextAuth(IPAddress.Loopback));
        Assert.False(configuration.AllowsCleartextAuth(IPAddress.Parse("192.168.10.25")));
        Assert.True(configuration.Listeners[0].Admits(IPAddress.Loopback));
        Assert.False(configuration.Listeners[0].Admits(IPAddress.Parse("192.168.10.25")));
        Assert.Equal(35L * 1024 * 1024, configuration.Limits.MaxMessageBytes);
        Assert.Equal(Path.Combine(_home, "spool"), new RelayConfigurationStore(_home).Resolve(configuration.SpoolPath));
    }

    [Fact]
    public void Linux_default_home_puts_spool_logs_and_status_under_var() =>
        Assert.Equal(
            new[] { "/var/spool/oauthsmtp-relay", "/var/log/oauthsmtp-relay", "/var/lib/oauthsmtp-relay/status.json" },
            new[] { RelayConfiguration.CreateDefault("/etc/oauthsmtp-relay").SpoolPath, RelayConfiguration.CreateDefault("/etc/oauthsmtp-relay").LogPath, RelayConfiguration.CreateDefault("/etc/oauthsmtp-relay").StatusPath });

    [Fact]
    public void A_second_install_is_refused_and_Force_keeps_the_devices()
    {
        var store = Installed();
        Registry(store).Add(Device());

        var again = Assert.Throws<OAuthSmtpException>(() => store.Create(RelayConfiguration.CreateDefault(_home), overwrite: false));
        Assert.Equal(ErrorIds.RelayAlreadyInstalled, again.ErrorId);

        store.Create(RelayConfiguration.CreateDefault(_home, port: 2525), overwrite: true);
        var configuration = store.Load();
        Assert.Equal(2525, configuration.Listeners[0].Port);
        Assert.Equal("Printer-2OG", Assert.Single(configuration.Clients).Name);
    }

    [Fact]
    public void Files_and_folders_are_private_on_unix()
    {
        if (!UnixPermissions.Applies)
        {
            return;
        }

        var store = Installed();
        Registry(store).Add(Device());
        Assert.Equal(UnixPermissions.OwnerReadWrite, UnixPermissions.Get(store.ConfigurationPath)! & 0x1FF);
        Assert.Equal(UnixPermissions.OwnerAll, UnixPermissions.Get(_home)! & 0x1FF);
        Assert.Equal(UnixPermissions.OwnerAll, UnixPermissions.Get(store.Resolve("profiles"))! & 0x1FF);
    }

    [Fact]
    public void A_group_writable_configuration_is_refused()
    {
        if (!UnixPermissions.Applies)
        {
            return;
        }

        var store = Installed();
        UnixPermissions.Set(store.ConfigurationPath, 0x1B6); // 0666
        var error = Assert.Throws<OAuthSmtpException>(() => store.Load());
        Assert.Equal(ErrorIds.RelayConfigurationInsecure, error.ErrorId);
        Assert.Contains("chmod 600", error.Fix);
    }

    [Fact]
    public void A_device_gets_a_password_that_is_stored_only_as_a_verifier()
    {
        var store = Installed();
        var added = Registry(store).Add(Device());

        Assert.NotNull(added.Password);
        var text = File.ReadAllText(store.ConfigurationPath);
        Assert.DoesNotContain(added.Password!, text, StringComparison.Ordinal);
        Assert.Contains("PBKDF2-SHA256", text);

        var stored = store.Load().FindByUserName("printer-2og")!;
        Assert.Equal("Printer-2OG", stored.Name);
        Assert.True(stored.Credential!.Matches(added.Password));
        Assert.False(stored.Credential.Matches("wrong"));
        Assert.Equal("scanner@contoso.com", stored.Mailbox);
        Assert.Equal(new[] { "scanner@contoso.com" }, stored.AllowedSenders);
        Assert.Equal(new[] { "192.168.10.25/32" }, stored.AllowedSources);
        Assert.True(stored.AllowsSource(IPAddress.Parse("192.168.10.25")));
        Assert.False(stored.AllowsSource(IPAddress.Parse("192.168.10.26")));
    }

    [Fact]
    public void Sender_recipient_and_rewrite_rules_are_the_devices()
    {
        var store = Installed();
        var request = Device();
        request.AllowedSenders = new[] { "*@Contoso.com", "alerts@fabrikam.com" };
        request.AllowedRecipientDomains = new[] { "@Contoso.COM" };
        var client = Registry(store).Add(request).Client;

        Assert.True(client.AllowsSender("anyone@contoso.com"));
        Assert.True(client.AllowsSender("Alerts@Fabrikam.com"));
        Assert.False(client.AllowsSender("someone@fabrikam.com"));
        Assert.False(client.AllowsSender(""));
        Assert.Equal(new[] { "contoso.com" }, client.AllowedRecipientDomains);
        Assert.True(client.AllowsRecipient("a@contoso.com"));
        Assert.False(client.AllowsRecipient("a@gmail.com"));

        client.RewriteFrom = true;
        Assert.True(client.AllowsSender("printer@printer.local"));
    }

    [Theory]
    [InlineData("bad-cidr", ErrorIds.InvalidRelayAddressRange)]
    [InlineData("unknown-profile", ErrorIds.ProfileNotFound)]
    [InlineData("duplicate-name", ErrorIds.RelayClientAlreadyExists)]
    [InlineData("bad-name", ErrorIds.InvalidRelayClientName)]
    [InlineData("bad-sender", ErrorIds.InvalidRelaySender)]
    [InlineData("bad-domain", ErrorIds.InvalidRelayRecipientDomain)]
    [InlineData("too-large", ErrorIds.InvalidRelayLimit)]
    [InlineData("no-credential-no-source", ErrorIds.RelayListenerNotRestricted)]
    public void Bad_input_is_refused_before_anything_changes(string mistake, string errorId)
    {
        var store = Installed();
        Registry(store).Add(Device("Existing"));
        var before = File.ReadAllBytes(store.ConfigurationPath);

        var request = Device();
        switch (mistake)
        {
            case "bad-cidr": request.AllowedSources = new[] { "192.168.10.7/24" }; break;
            case "unknown-profile": request.Profile = "Nope"; break;
            case "duplicate-name": request.Name = "existing"; break;
            case "bad-name": request.Name = "Printer 2"; break;
            case "bad-sender": request.AllowedSenders = new[] { "scanner" }; break;
            case "bad-domain": request.AllowedRecipientDomains = new[] { "not a domain" }; break;
            case "too-large": request.MaxMessageBytes = 200L * 1024 * 1024; break;
            case "no-credential-no-source": request.NoCredential = true; request.AllowedSources = Array.Empty<string>(); break;
        }

        var error = Assert.Throws<OAuthSmtpException>(() => Registry(store).Add(request));
        Assert.Equal(errorId, error.ErrorId);
        Assert.False(string.IsNullOrEmpty(error.Fix));
        Assert.Equal(before, File.ReadAllBytes(store.ConfigurationPath));
    }

    [Fact]
    public void A_device_without_credential_is_found_by_its_source_address()
    {
        var store = Installed();
        var request = Device("Scanner-Old");
        request.NoCredential = true;
        var added = Registry(store).Add(request);
        Assert.Null(added.Password);

        var configuration = store.Load();
        Assert.Equal("Scanner-Old", configuration.FindUnauthenticated(IPAddress.Parse("192.168.10.25"))?.Name);
        Assert.Null(configuration.FindUnauthenticated(IPAddress.Parse("192.168.10.26")));
        Assert.Null(configuration.FindByUserName("Scanner-Old"));
    }

    [Fact]
    public void Remove_takes_the_device_out_and_an_unknown_name_is_an_error()
    {
        var store = Installed();
        var registry = Registry(store);
        registry.Add(Device("A"));
        registry.Add(Device("B"));

        Assert.Equal("A", registry.Remove("a").Name);
        Assert.Equal(new[] { "B" }, registry.Find().Select(c => c.Name));
        Assert.Equal(ErrorIds.RelayClientNotFound, Assert.Throws<OAuthSmtpException>(() => registry.Remove("A")).ErrorId);
        Assert.Equal(ErrorIds.RelayClientNotFound, Assert.Throws<OAuthSmtpException>(() => registry.Get("A")).ErrorId);
    }

    [Fact]
    public void Without_a_configuration_every_command_says_how_to_install()
    {
        var store = new RelayConfigurationStore(_home);
        var error = Assert.Throws<OAuthSmtpException>(() => store.Load());
        Assert.Equal(ErrorIds.RelayNotInstalled, error.ErrorId);
        Assert.Contains("Install-SmtpOAuthRelay", error.Fix);
        Assert.Equal(ErrorIds.RelayNotInstalled, Assert.Throws<OAuthSmtpException>(() => Registry(store).Add(Device())).ErrorId);
    }

    [Theory]
    [InlineData("{ not json", ErrorIds.RelayConfigurationCorrupt)]
    [InlineData("{}", ErrorIds.RelayConfigurationCorrupt)]
    [InlineData("{\"schemaVersion\": 9}", ErrorIds.RelayConfigurationVersionUnsupported)]
    [InlineData("{\"schemaVersion\": 1, \"listeners\": []}", ErrorIds.InvalidRelayListener)]
    [InlineData("{\"schemaVersion\": 1, \"listeners\": [{\"address\": \"0.0.0.0\", \"port\": 25}]}", ErrorIds.RelayListenerNotRestricted)]
    [InlineData("{\"schemaVersion\": 1, \"listeners\": [{\"address\": \"0.0.0.0\", \"port\": 25, \"allowedSources\": [\"0.0.0.0/0\"]}]}", ErrorIds.RelayListenerNotRestricted)]
    [InlineData("{\"schemaVersion\": 1, \"listeners\": [{\"address\": \"127.0.0.1\", \"port\": 70000}]}", ErrorIds.InvalidRelayListener)]
    [InlineData("{\"schemaVersion\": 1, \"listeners\": [{\"address\": \"127.0.0.1\", \"port\": 587}], \"cleartextAuthRanges\": [\"10.0.0.1/8\"]}", ErrorIds.InvalidRelayAddressRange)]
    [InlineData("{\"schemaVersion\": 1, \"listeners\": [{\"address\": \"127.0.0.1\", \"port\": 587}], \"limits\": {\"maxMessageBytes\": 10}}", ErrorIds.InvalidRelayLimit)]
    [InlineData("{\"schemaVersion\": 1, \"listeners\": [{\"address\": \"127.0.0.1\", \"port\": 587}], \"tls\": {\"certificateSource\": \"Store\"}}", ErrorIds.InvalidRelayCertificate)]
    [InlineData("{\"schemaVersion\": 1, \"listeners\": [{\"address\": \"127.0.0.1\", \"port\": 587}], \"clients\": [{\"name\": \"P\", \"profile\": \"Scanner\", \"mailbox\": \"s@contoso.com\", \"credential\": {\"algorithm\": \"PBKDF2-SHA256\", \"iterations\": 1}}]}", ErrorIds.InvalidRelayCredential)]
    public void A_hand_edited_file_that_breaks_a_rule_is_reported_and_left_untouched(string json, string errorId)
    {
        Directory.CreateDirectory(_home);
        var path = Path.Combine(_home, RelayConfigurationStore.FileName);
        File.WriteAllText(path, json);
        if (UnixPermissions.Applies)
        {
            UnixPermissions.Set(path, UnixPermissions.OwnerReadWrite);
        }

        var error = Assert.Throws<OAuthSmtpException>(() => new RelayConfigurationStore(_home).Load());
        Assert.Equal(errorId, error.ErrorId);
        Assert.Contains(path, error.Message);
        Assert.Equal(json, File.ReadAllText(path));
    }

    [Fact]
    public void A_crash_before_the_rename_leaves_the_old_configuration_whole()
    {
        var store = Installed();
        Registry(store).Add(Device("A"));
        var before = File.ReadAllText(store.ConfigurationPath);
        store.BeforeCommit = _ => throw new IOException("simulated crash");

        Assert.Throws<OAuthSmtpException>(() => Registry(store).Add(Device("B")));
        Assert.Equal(before, File.ReadAllText(store.ConfigurationPath));
        Assert.Empty(Directory.EnumerateFiles(_home, "*.tmp"));
    }
}
