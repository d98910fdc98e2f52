using System;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Mail;
using System.Net.Sockets;
using System.Threading;
using OAuthSmtp.Hosting;
using OAuthSmtp.PowerShell.Tests.Infrastructure;
using Xunit;

namespace OAuthSmtp.PowerShell.Tests.Relay;

/// <summary>
/// A printer's whole story through the management cmdlets and the real relay program: install without a service, add
/// the device, start, send with AUTH LOGIN as an old device would, delivered once to the emulated Exchange through
/// OAuth, stop. Tests/Pester/RelayEndToEnd.Tests.ps1 tells the same story in a real pwsh.
/// </summary>
public sealed class RelayEndToEndTests : IClassFixture<EmulatorFixture>
{
    private readonly EmulatorFixture _fixture;

    public RelayEndToEndTests(EmulatorFixture fixture) => _fixture = fixture;

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    [Fact]
    public void A_device_added_with_the_cmdlets_sends_through_the_started_relay_and_is_delivered_once()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // Start-SmtpOAuthRelay without a service manager is the Unix path; Windows runs it as a service.
        }

        using var session = _fixture.NewSession();
        var relayHome = Path.Combine(_fixture.ProfileHome, "relay-" + Guid.NewGuid().ToString("N"));
        var port = FreePort();
        var setup = session.Run(
            $$"""
            Install-SmtpOAuthRelay -Path '{{relayHome}}' -NoService -Port {{port}} -SpoolPath '{{relayHome}}/spool' -LogPath '{{relayHome}}/logs' | Out-Null
            $previous = $env:OAUTHSMTP_HOME
            $env:OAUTHSMTP_HOME = '{{relayHome}}/profiles'
            {{EmulatorFixture.NewProfileScript("Relay")}}
            $env:OAUTHSMTP_HOME = $previous
            $device = Add-SmtpOAuthRelayClient -Path '{{relayHome}}' -Name Printer-2F -Profile Relay -AllowedSource 127.0.0.1/32 -AllowedSender $EmuTenant.Mailbox -AllowedRecipientDomain $EmuTenant.Domain -AsPlainText -Confirm:$false
            $started = Start-SmtpOAuthRelay -Path '{{relayHome}}' -PassThru
            [pscustomobject]@{ UserName = $device.UserName; Password = [string]$device.Password; State = [string]$started.State }
            """);
        try
        {
            Assert.False(setup.HadTerminatingError, setup.ErrorText);
            var device = Assert.Single(setup.Output);
            Assert.Equal("Running", device.Properties["State"].Value);
            var password = (string)device.Properties["Password"].Value;
            var mailbox = _fixture.Emulator.Current.Mailbox;
            var recipient = "reader@" + _fixture.Emulator.Current.Domain;

#pragma warning disable SYSLIB0014 // the old client is the point: it is what line-of-business programs use
            using (var client = new SmtpClient("127.0.0.1", port) { Credentials = new NetworkCredential((string)device.Properties["UserName"].Value, password) })
            {
                client.Send(mailbox, recipient, "Scan 0001", "Scanned on the second floor.");
            }
#pragma warning restore SYSLIB0014

            var deadline = DateTime.UtcNow.AddMinutes(5); // a hang guard: the loop ends as soon as the message is there
            while (!_fixture.Emulator.Delivered.All.Any(m => m.Subject == "Scan 0001") && DateTime.UtcNow < deadline)
            {
                Thread.Sleep(200);
            }

            var delivered = Assert.Single(_fixture.Emulator.Delivered.All, m => m.Subject == "Scan 0001");
            Assert.Equal(mailbox, delivered.AuthenticatedMailbox);
            Assert.Contains(recipient, delivered.To);

            var status = session.Run($"(Get-SmtpOAuthRelay -Path '{relayHome}' | Out-String -Width 200)");
            Assert.Contains($"127.0.0.1:{port}", string.Concat(status.Output));
            foreach (var file in Directory.EnumerateFiles(relayHome, "*", SearchOption.AllDirectories))
            {
                Assert.DoesNotContain(password, File.ReadAllText(file), StringComparison.Ordinal);
            }
        }
        finally
        {
            var stopped = session.Run($"(Stop-SmtpOAuthRelay -Path '{relayHome}' -PassThru).State");
            Assert.False(stopped.HadTerminatingError, stopped.ErrorText);
            Assert.Equal("Stopped", stopped.Output.Single().ToString());
        }
    }

    /// <summary>
    /// Uninstall-SmtpOAuthRelay's promise: a message the relay acknowledged is never lost with it. Exchange defers the
    /// message (451 to MAIL FROM), the relay is uninstalled (-WhatIf first: nothing changes), the spool with the queued
    /// message and the profile store stay and the warning says where and how many; installed again in the same home,
    /// the relay delivers it once.
    /// </summary>
    [Fact]
    public void Uninstall_keeps_a_queued_message_and_the_relay_installed_again_delivers_it()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // as above: the background process is the Unix path.
        }

        using var session = _fixture.NewSession();
        var relayHome = Path.Combine(_fixture.ProfileHome, "relay-" + Guid.NewGuid().ToString("N"));
        var port = FreePort();
        var install = $"Install-SmtpOAuthRelay -Path '{relayHome}' -NoService -Port {port} | Out-Null";
        var setup = session.Run(
            $$"""
            {{install}}
            $previous = $env:OAUTHSMTP_HOME
            $env:OAUTHSMTP_HOME = '{{relayHome}}/profiles'
            {{EmulatorFixture.NewProfileScript("Relay")}}
            $env:OAUTHSMTP_HOME = $previous
            $device = Add-SmtpOAuthRelayClient -Path '{{relayHome}}' -Name Scanner-3F -Profile Relay -AllowedSource 127.0.0.1/32 -AllowedSender $EmuTenant.Mailbox -AsPlainText -Confirm:$false
            Start-SmtpOAuthRelay -Path '{{relayHome}}' | Out-Null
            [pscustomobject]@{ UserName = $device.UserName; Password = [string]$device.Password }
            """);
        var faults = _fixture.Emulator.Faults;
        try
        {
            Assert.False(setup.HadTerminatingError, setup.ErrorText);
            var device = Assert.Single(setup.Output);
            faults.TransientReplyAt = OAuthSmtp.Emulator.Smtp.SmtpStage.MailFrom;
            faults.TransientReplyCount = 1_000_000;
            var mailbox = _fixture.Emulator.Current.Mailbox;
#pragma warning disable SYSLIB0014 // the old client is the point: it is what line-of-business programs use
            using (var client = new SmtpClient("127.0.0.1", port) { Credentials = new NetworkCredential((string)device.Properties["UserName"].Value, (string)device.Properties["Password"].Value) })
            {
                client.Send(mailbox, "reader@" + _fixture.Emulator.Current.Domain, "Scan 0002", "Deferred, then delivered.");
            }
#pragma warning restore SYSLIB0014

            var deadline = DateTime.UtcNow.AddMinutes(5); // a hang guard: the loop ends as soon as the condition holds
            while (faults.TransientReplyCount == 1_000_000 && DateTime.UtcNow < deadline)
            {
                Thread.Sleep(100);
            }

            Assert.True(faults.TransientReplyCount < 1_000_000, "the relay offered the message to Exchange");

            var whatIf = session.Run($"Uninstall-SmtpOAuthRelay -Path '{relayHome}' -WhatIf; (Get-SmtpOAuthRelay -Path '{relayHome}').State");
            Assert.False(whatIf.HadTerminatingError, whatIf.ErrorText);
            Assert.Equal("Running", whatIf.Output.Single().ToString());
            Assert.Contains("keep the spool", whatIf.HostText, StringComparison.Ordinal);
            Assert.True(File.Exists(Path.Combine(relayHome, "relay.json")));

            var uninstalled = session.Run($"Uninstall-SmtpOAuthRelay -Path '{relayHome}' -Confirm:$false");
            Assert.False(uninstalled.HadTerminatingError, uninstalled.ErrorText);
            var result = uninstalled.Output.Single();
            Assert.Equal(true, result.Properties["SpoolKept"].Value);
            Assert.Equal(1, result.Properties["Queued"].Value);
            Assert.Equal(true, result.Properties["Stopped"].Value);
            var warning = Assert.Single(uninstalled.Warnings);
            Assert.Contains($"The spool '{Path.Combine(relayHome, "spool")}' was kept", warning, StringComparison.Ordinal);
            Assert.Contains("1 message(s)", warning, StringComparison.Ordinal);
            Assert.False(File.Exists(Path.Combine(relayHome, "relay.json")));
            Assert.Single(Directory.GetFiles(Path.Combine(relayHome, "spool", "queued"), "*.msg"));
            Assert.DoesNotContain(_fixture.Emulator.Delivered.All, m => m.Subject == "Scan 0002");

            faults.TransientReplyAt = null;
            faults.TransientReplyCount = 0;
            var reinstalled = session.Run($"{install}; (Start-SmtpOAuthRelay -Path '{relayHome}' -PassThru).State");
            Assert.False(reinstalled.HadTerminatingError, reinstalled.ErrorText);
            Assert.Equal("Running", reinstalled.Output.Single().ToString());
            deadline = DateTime.UtcNow.AddMinutes(5);
            while (!_fixture.Emulator.Delivered.All.Any(m => m.Subject == "Scan 0002") && DateTime.UtcNow < deadline)
            {
                Thread.Sleep(200);
            }

            var delivered = Assert.Single(_fixture.Emulator.Delivered.All, m => m.Subject == "Scan 0002");
            Assert.Equal(mailbox, delivered.AuthenticatedMailbox);

            var removed = session.Run($"(Uninstall-SmtpOAuthRelay -Path '{relayHome}' -Confirm:$false).SpoolKept");
            Assert.False(removed.HadTerminatingError, removed.ErrorText);
            Assert.Equal(false, removed.Output.Single().BaseObject);
            Assert.False(Directory.Exists(Path.Combine(relayHome, "spool")));
            Assert.False(File.Exists(Path.Combine(relayHome, "relay.json")));
        }
        finally
        {
            faults.TransientReplyAt = null;
            faults.TransientReplyCount = 0;
            session.Run($"Stop-SmtpOAuthRelay -Path '{relayHome}' -Force -ErrorAction SilentlyContinue");
        }
    }

    /// <summary>
    /// A client secret made in the portal: without a Graph session Get-SmtpOAuthRelay says its end date is unknown and
    /// names the command that records it; in the admin's Graph session it reads the end date from Entra ID, records
    /// it for the relay and warns (it ends in 12 days); the relay started afterwards warns from the recorded date.
    /// </summary>
    [Fact]
    public void A_portal_made_secret_gets_its_end_date_recorded_through_the_admins_Graph_session_and_the_relay_warns()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // as above: the background process is the Unix path.
        }

        using var session = _fixture.NewAdminSession(OAuthSmtp.Emulator.Scenario.Ready, connectExchange: false, connectGraph: false);
        var relayHome = Path.Combine(_fixture.ProfileHome, "relay-" + Guid.NewGuid().ToString("N"));
        var setup = session.Run(
            $$"""
            Install-SmtpOAuthRelay -Path '{{relayHome}}' -NoService -Port {{FreePort()}} | Out-Null
            $previous = $env:OAUTHSMTP_HOME
            $env:OAUTHSMTP_HOME = '{{relayHome}}/profiles'
            {{EmulatorFixture.NewProfileScript("Relay")}}
            $env:OAUTHSMTP_HOME = $previous
            Add-SmtpOAuthRelayClient -Path '{{relayHome}}' -Name Scanner-3F -Profile Relay -AllowedSource 127.0.0.1/32 -AllowedSender $EmuTenant.Mailbox -Confirm:$false | Out-Null
            """);
        Assert.False(setup.HadTerminatingError, setup.ErrorText);
        var application = _fixture.Emulator.Tenant.Applications.Single(a => a.AppId == _fixture.Emulator.Current.ClientId);
        application.Secrets.Single().EndDateTime = _fixture.Emulator.Clock.UtcNow.AddDays(12).AddHours(1);

        var unknown = session.Run($"Get-SmtpOAuthRelay -Path '{relayHome}' | Out-Null");
        var notice = Assert.Single(unknown.Warnings);
        Assert.Contains("Relay profile 'Relay'", notice, StringComparison.Ordinal);
        Assert.Contains("no recorded end date", notice, StringComparison.Ordinal);
        Assert.Contains("Connect-MgGraph -Scopes Application.Read.All; Get-SmtpOAuthRelay", notice, StringComparison.Ordinal);

        var recorded = session.Run($"Connect-MgGraph -Scopes Application.Read.All -NoWelcome; Get-SmtpOAuthRelay -Path '{relayHome}' | Out-Null");
        Assert.False(recorded.HadTerminatingError, recorded.ErrorText);
        var expiring = Assert.Single(recorded.Warnings);
        Assert.Contains("Recorded for the relay", expiring, StringComparison.Ordinal);
        Assert.Contains("in 12 day(s)", expiring, StringComparison.Ordinal);
        Assert.Contains("Update-SmtpOAuthCredential -Profile 'Relay' -RemoveOld", expiring, StringComparison.Ordinal);
        Assert.Contains("\"credentialEndsOn\"", File.ReadAllText(Path.Combine(relayHome, "profiles", "profiles.json")), StringComparison.OrdinalIgnoreCase);

        try
        {
            var started = session.Run($"Start-SmtpOAuthRelay -Path '{relayHome}' | Out-Null");
            Assert.False(started.HadTerminatingError, started.ErrorText);
            var deadline = DateTime.UtcNow.AddMinutes(5); // a hang guard: the loop ends as soon as the relay warns
            ScriptResult status;
            do
            {
                Thread.Sleep(200);
                status = session.Run($"Get-SmtpOAuthRelay -Path '{relayHome}' | Out-Null");
            }
            while (!status.Warnings.Any(w => w.Contains("expires on", StringComparison.Ordinal)) && DateTime.UtcNow < deadline);

            var fromRelay = Assert.Single(status.Warnings);
            Assert.Contains("The client secret of profile 'Relay' expires on", fromRelay, StringComparison.Ordinal);
        }
        finally
        {
            session.Run($"Stop-SmtpOAuthRelay -Path '{relayHome}' -Force -ErrorAction SilentlyContinue");
        }
    }
}
