using System;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Mail;
using System.Net.Sockets;
using System.Threading;
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

            var deadline = DateTime.UtcNow.AddSeconds(60);
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
}
