using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Security;
using System.Text.Json;
using OAuthSmtp.PowerShell.Tests.Profiles;
using Xunit;

namespace OAuthSmtp.PowerShell.Tests.Relay;

/// <summary>
/// The relay's management cmdlets in a hosted PowerShell with the built module: install, devices, start and stop.
/// Each test has a relay home and profile store of its own under the temp folder.
/// </summary>
public sealed class RelayCommandTests : ProfileTestBase
{
    private readonly string _relayHome;

    public RelayCommandTests(ProfileSessionFixture fixture)
        : base(fixture)
    {
        _relayHome = Path.Combine(Home, "relay");
    }

    /// <summary>Writes a Running status.json with its own process id, and Stopped on SIGTERM, as the relay does.</summary>
    private const string StandInRelay = """
        #!/bin/sh
        status="$(dirname "$3")/status.json"
        write() { printf '{"schemaVersion":1,"state":"%s","processId":%s,"updatedOn":"%s","listeners":["127.0.0.1:2525"],"queueDepth":2}' "$1" $$ "$(date -u +%Y-%m-%dT%H:%M:%S+00:00)" > "$status.tmp" && mv "$status.tmp" "$status"; }
        trap 'write Stopped; exit 0' TERM
        write Running
        while true; do sleep 0.1; done
        """;

    private string RelayFile => Path.Combine(_relayHome, "relay.json");

    private static bool Alive(int pid)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private JsonElement Configuration() => JsonDocument.Parse(File.ReadAllBytes(RelayFile)).RootElement;

    private static string[] Strings(JsonElement array) => array.EnumerateArray().Select(e => e.GetString()!).ToArray();

    private static string[] Strings(PSObject item, string property) =>
        ((System.Collections.IEnumerable)item.Properties[property].Value).Cast<object>().Select(o => o.ToString()!).ToArray();

    /// <summary>Installs without a service, and creates profile 'Scanner' in the relay's profile store.</summary>
    private void Install(string extra = "")
    {
        RunOk($"Install-SmtpOAuthRelay -Path '{_relayHome}' -NoService -Port 2525 {extra} | Out-Null");
        RunOk($"$env:OAUTHSMTP_HOME = '{Path.Combine(_relayHome, "profiles")}'; New-SmtpOAuthProfile -Name Scanner -TenantId {TenantId} -ClientId {ClientId} -Mailbox scanner@contoso.com -DeviceCode | Out-Null; $env:OAUTHSMTP_HOME = '{Home}'");
    }

    [Fact]
    public void Install_WhatIf_shows_the_configuration_and_changes_nothing()
    {
        var result = RunOk($"Install-SmtpOAuthRelay -Path '{_relayHome}' -NoService -WhatIf");

        Assert.Contains("What if:", result.HostText, StringComparison.Ordinal);
        Assert.Contains("\"address\": \"127.0.0.1\"", result.HostText, StringComparison.Ordinal);
        Assert.Contains("\"port\": 587", result.HostText, StringComparison.Ordinal);
        Assert.Contains(RelayFile, result.HostText, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_relayHome));
    }

    [Fact]
    public void Install_writes_a_private_loopback_configuration_and_returns_the_overview()
    {
        var overview = Assert.Single(RunOk($"Install-SmtpOAuthRelay -Path '{_relayHome}' -NoService").Output);

        Assert.Equal("OAuthSmtp.Engine.Relay.RelayOverview", overview.TypeNames[0]);
        Assert.Equal("NotRunning", overview.Properties["State"].Value.ToString());
        Assert.Equal(new[] { "127.0.0.1:587", "[::1]:587" }, Strings(overview, "Listeners"));
        Assert.Equal("None", overview.Properties["Service"].Value.ToString());
        Assert.True(File.Exists(RelayFile));
        if (!IsWindows)
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(RelayFile));
        }

        var again = Run($"Install-SmtpOAuthRelay -Path '{_relayHome}' -NoService");
        AssertSingleError(again, "RelayAlreadyInstalled", "InstallSmtpOAuthRelayCommand", ErrorCategory.ResourceExists);
    }

    [Fact]
    public void Install_without_a_service_manager_says_NoService_and_writes_nothing()
    {
        if (IsWindows || Directory.Exists("/run/systemd/system"))
        {
            return; // this machine has systemd or is Windows: the cmdlet would register a service
        }

        var error = AssertSingleError(Run($"Install-SmtpOAuthRelay -Path '{_relayHome}'"), "RelayServiceManagerUnavailable", "InstallSmtpOAuthRelayCommand", ErrorCategory.ResourceUnavailable);
        Assert.Contains("-NoService", error.ErrorDetails.RecommendedAction, StringComparison.Ordinal);
        Assert.False(File.Exists(RelayFile));
    }

    [Theory]
    [InlineData("-ListenAddress 0.0.0.0", "RelayListenerNotRestricted")]
    [InlineData("-ListenAddress 0.0.0.0 -AllowedSource 0.0.0.0/0", "RelayListenerNotRestricted")]
    [InlineData("-ListenAddress 0.0.0.0 -AllowedSource 192.168.10.7/24", "InvalidRelayAddressRange")]
    [InlineData("-CleartextAuthRange printers", "InvalidRelayAddressRange")]
    [InlineData("-AllowedSource 192.168.10.0/24", "InvalidRelayListener")]
    [InlineData("-MaxMessageSize 200MB", "InvalidRelayLimit")]
    public void Install_refuses_bad_settings_before_anything_is_written(string arguments, string errorId)
    {
        var error = AssertSingleError(Run($"Install-SmtpOAuthRelay -Path '{_relayHome}' -NoService {arguments}"), errorId, "InstallSmtpOAuthRelayCommand", ErrorCategory.InvalidArgument);
        Assert.DoesNotContain("   at ", error.ToString(), StringComparison.Ordinal);
        Assert.False(Directory.Exists(_relayHome));
    }

    [Fact]
    public void Install_on_the_LAN_with_an_allow_list_and_Force_keeps_the_devices()
    {
        Install();
        RunOk($"Add-SmtpOAuthRelayClient -Path '{_relayHome}' -Name Printer -Profile Scanner | Out-Null");

        var overview = RunOk($"Install-SmtpOAuthRelay -Path '{_relayHome}' -NoService -Force -ListenAddress 0.0.0.0 -AllowedSource 192.168.10.0/24 -CleartextAuthRange 192.168.10.50").Output.Single();

        Assert.Equal(new[] { "127.0.0.1:587", "[::1]:587", "0.0.0.0:587" }, Strings(overview, "Listeners"));
        Assert.Equal(1, Property<int>(overview, "Clients"));
        var configuration = Configuration();
        Assert.Equal(new[] { "192.168.10.0/24" }, Strings(configuration.GetProperty("listeners")[2].GetProperty("allowedSources")));
        Assert.Contains("192.168.10.50/32", Strings(configuration.GetProperty("cleartextAuthRanges")));
    }

    [Fact]
    public void Add_client_returns_the_password_once_and_it_is_nowhere_on_disk()
    {
        Install();

        var secure = Assert.Single(RunOk($"Add-SmtpOAuthRelayClient -Path '{_relayHome}' -Name Printer-2OG -Profile Scanner -AllowedSource 192.168.10.25").Output);
        Assert.IsType<SecureString>(secure.Properties["Password"].Value);
        Assert.Equal("Printer-2OG", secure.Properties["UserName"].Value);
        Assert.Equal("scanner@contoso.com", secure.Properties["Mailbox"].Value);

        var plain = Assert.Single(RunOk($"Add-SmtpOAuthRelayClient -Path '{_relayHome}' -Name Copier -Profile Scanner -AsPlainText -Verbose").Output);
        var password = Assert.IsType<string>(plain.Properties["Password"].Value);
        Assert.Equal(24, password.Length);

        foreach (var file in Directory.EnumerateFiles(_relayHome, "*", SearchOption.AllDirectories))
        {
            Assert.DoesNotContain(password, File.ReadAllText(file), StringComparison.Ordinal);
        }

        var stored = Configuration().GetProperty("clients").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "Copier");
        Assert.Equal("PBKDF2-SHA256", stored.GetProperty("credential").GetProperty("algorithm").GetString());
        if (!IsWindows)
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(RelayFile));
        }
    }

    [Theory]
    [InlineData("-Name Printer -Profile Scanner -AllowedSource 10.0.0.1/8", "InvalidRelayAddressRange", ErrorCategory.InvalidArgument)]
    [InlineData("-Name Printer -Profile Nope", "ProfileNotFound", ErrorCategory.ObjectNotFound)]
    [InlineData("-Name existing -Profile Scanner", "RelayClientAlreadyExists", ErrorCategory.ResourceExists)]
    [InlineData("-Name 'Printer 2' -Profile Scanner", "InvalidRelayClientName", ErrorCategory.InvalidArgument)]
    [InlineData("-Name Printer -Profile Scanner -AllowedSender scanner", "InvalidRelaySender", ErrorCategory.InvalidArgument)]
    [InlineData("-Name Printer -Profile Scanner -NoCredential", "RelayListenerNotRestricted", ErrorCategory.InvalidArgument)]
    public void Add_client_refuses_bad_input_before_anything_changes(string arguments, string errorId, ErrorCategory category)
    {
        Install();
        RunOk($"Add-SmtpOAuthRelayClient -Path '{_relayHome}' -Name Existing -Profile Scanner | Out-Null");
        var before = File.ReadAllBytes(RelayFile);

        AssertSingleError(Run($"Add-SmtpOAuthRelayClient -Path '{_relayHome}' {arguments}"), errorId, "AddSmtpOAuthRelayClientCommand", category);
        Assert.Equal(before, File.ReadAllBytes(RelayFile));
    }

    [Fact]
    public void Add_client_WhatIf_changes_nothing()
    {
        Install();
        var before = File.ReadAllBytes(RelayFile);
        var result = RunOk($"Add-SmtpOAuthRelayClient -Path '{_relayHome}' -Name Printer -Profile Scanner -WhatIf");
        Assert.Contains("Printer (sends as scanner@contoso.com through profile 'Scanner', user name Printer)", result.HostText, StringComparison.Ordinal);
        Assert.Empty(result.Output);
        Assert.Equal(before, File.ReadAllBytes(RelayFile));
    }

    [Fact]
    public void Devices_from_a_CSV_bind_by_property_name_and_list_and_remove_through_the_pipeline()
    {
        Install();
        var csv = Path.Combine(Home, "devices.csv");
        File.WriteAllText(csv, "Name,Profile,AllowedSource,AllowedRecipientDomain\nPrinter-1,Scanner,192.168.10.21,contoso.com\nPrinter-2,Scanner,192.168.10.22;192.168.10.23,\n");

        var added = RunOk($"Import-Csv '{csv}' | Add-SmtpOAuthRelayClient -Path '{_relayHome}'").Output;
        Assert.Equal(2, added.Count);

        var listed = RunOk($"Get-SmtpOAuthRelayClient -Path '{_relayHome}'").Output;
        Assert.Equal(new[] { "Printer-1", "Printer-2" }, listed.Select(c => c.Properties["Name"].Value));
        Assert.Equal(new[] { "contoso.com" }, Strings(listed[0], "AllowedRecipientDomains"));
        Assert.Equal(new[] { "192.168.10.22/32", "192.168.10.23/32" }, Strings(listed[1], "AllowedSources"));
        Assert.All(listed, c => Assert.Equal("Password", c.Properties["Authentication"].Value));
        Assert.All(listed, c => Assert.DoesNotContain(c.Properties, p => p.Name is "Credential" or "Password"));

        RunOk($"Get-SmtpOAuthRelayClient Printer-1 -Path '{_relayHome}' | Remove-SmtpOAuthRelayClient -Confirm:$false");
        Assert.Equal(new[] { "Printer-2" }, Configuration().GetProperty("clients").EnumerateArray().Select(c => c.GetProperty("name").GetString()));

        AssertSingleError(Run($"Remove-SmtpOAuthRelayClient Printer-1 -Path '{_relayHome}'"), "RelayClientNotFound", "RemoveSmtpOAuthRelayClientCommand", ErrorCategory.ObjectNotFound);
        AssertSingleError(Run($"Get-SmtpOAuthRelayClient Printer-1 -Path '{_relayHome}'"), "RelayClientNotFound", "GetSmtpOAuthRelayClientCommand", ErrorCategory.ObjectNotFound);
        Assert.Empty(RunOk($"Get-SmtpOAuthRelayClient Nothing* -Path '{_relayHome}'").Output);
    }

    [Fact]
    public void Relay_commands_without_an_installation_say_how_to_install()
    {
        foreach (var (command, type) in new[]
                 {
                     ("Get-SmtpOAuthRelay", "GetSmtpOAuthRelayCommand"),
                     ("Start-SmtpOAuthRelay", "StartSmtpOAuthRelayCommand"),
                     ("Stop-SmtpOAuthRelay", "StopSmtpOAuthRelayCommand"),
                 })
        {
            var error = AssertSingleError(Run($"{command} -Path '{_relayHome}'"), "RelayNotInstalled", type, ErrorCategory.ObjectNotFound);
            Assert.Contains("Install-SmtpOAuthRelay", error.ErrorDetails.RecommendedAction, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Device_and_profile_names_complete_from_the_relay()
    {
        Install();
        RunOk($"Add-SmtpOAuthRelayClient -Path '{_relayHome}' -Name Printer-2OG -Profile Scanner | Out-Null");

        var devices = RunOk($"(TabExpansion2 -inputScript \"Remove-SmtpOAuthRelayClient -Path '{_relayHome}' -Name Pri\").CompletionMatches.CompletionText").Output.Select(o => o.ToString());
        Assert.Equal(new[] { "Printer-2OG" }, devices);
        var profiles = RunOk($"(TabExpansion2 -inputScript \"Add-SmtpOAuthRelayClient -Path '{_relayHome}' -Name X -Profile Sc\").CompletionMatches.CompletionText").Output.Select(o => o.ToString());
        Assert.Equal(new[] { "Scanner" }, profiles);
    }

    [Fact]
    public void Start_and_Stop_run_the_relay_as_a_process_and_Get_shows_its_status()
    {
        if (IsWindows)
        {
            return; // the stand-in relay is a shell script
        }

        Install();
        var program = Path.Combine(Home, "stand-in-relay");
        File.WriteAllText(program, StandInRelay.Replace("\r\n", "\n"));
        File.SetUnixFileMode(program, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        Environment.SetEnvironmentVariable("OAUTHSMTP_RELAY_PROGRAM", program);
        try
        {
            var started = RunOk($"Start-SmtpOAuthRelay -Path '{_relayHome}' -PassThru").Output.Single();
            Assert.Equal("Running", started.Properties["State"].Value.ToString());
            var pid = Property<int>(started, "ProcessId");

            var shown = RunOk($"Get-SmtpOAuthRelay -Path '{_relayHome}'", render: true);
            Assert.Matches(@"Running\s+0\s+2\s+0\s+0\s+127\.0\.0\.1:2525", shown.HostText);

            var stopped = RunOk($"Get-SmtpOAuthRelay -Path '{_relayHome}' | Stop-SmtpOAuthRelay -PassThru").Output.Single();
            Assert.Equal("Stopped", stopped.Properties["State"].Value.ToString());
            Assert.False(Alive(pid), $"process {pid} still runs");
        }
        finally
        {
            Environment.SetEnvironmentVariable("OAUTHSMTP_RELAY_PROGRAM", null);
            Run($"Stop-SmtpOAuthRelay -Path '{_relayHome}' -Force");
        }
    }
}
