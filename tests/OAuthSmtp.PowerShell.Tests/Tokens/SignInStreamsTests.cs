using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Management.Automation;
using OAuthSmtp.Emulator;
using OAuthSmtp.Hosting;
using OAuthSmtp.PowerShell.Tests.Infrastructure;
using Xunit;

namespace OAuthSmtp.PowerShell.Tests.Tokens;

/// <summary>
/// One bridge from the engine to the streams: a device code, the token's verbose lines and the refusal of a
/// sign-in nobody can answer look and behave the same in Get-SmtpOAuthToken, Send-SmtpOAuthMessage and Test-SmtpOAuthSetup.
/// </summary>
public sealed class SignInStreamsTests : TokenTestBase
{
    public static TheoryData<string> EveryCmdletThatSignsIn => new()
    {
        "Get-SmtpOAuthToken -Profile {0}",
        "Send-SmtpOAuthMessage -Profile {0} -To $EmuTenant.Mailbox -Subject 'Device code' -Body 'b'",
        "Test-SmtpOAuthSetup -Profile {0} -SkipExchange",
    };

    public SignInStreamsTests(EmulatorFixture fixture)
        : base(fixture)
    {
        OnDispose(new Cleanup(() => Emulator.Tokens.AutoApproveDeviceCodesFor = null));
    }

    [Theory]
    [MemberData(nameof(EveryCmdletThatSignsIn))]
    public void A_device_code_arrives_as_the_same_warning_and_information_record_from_every_cmdlet(string command)
    {
        Start(withProfile: false);
        NewDeviceCodeProfile("Dc");
        Emulator.Tokens.AutoApproveDeviceCodesFor = Tenant.DelegatedUser;

        var result = Run(string.Format(System.Globalization.CultureInfo.InvariantCulture, command, "Dc"));

        var warning = Assert.Single(result.Warnings, w => w.Contains("enter the code", StringComparison.OrdinalIgnoreCase));
        var information = Assert.Single(result.Information, i => i.Tags.Contains("DeviceCode"));
        Assert.Equal(warning, information.MessageData.ToString());
        Assert.StartsWith(command.Split(' ')[0], information.Source, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(EveryCmdletThatSignsIn))]
    public void The_token_requests_verbose_lines_reach_the_verbose_stream_from_every_cmdlet(string command)
    {
        Start();

        var result = Run(string.Format(System.Globalization.CultureInfo.InvariantCulture, command, "Emu") + " -Verbose");

        Assert.Contains(result.Verbose, line => line.StartsWith("Requesting an app-only token for client", StringComparison.Ordinal));
        Assert.Contains(result.Verbose, line => line.StartsWith("The token service issued a token for profile 'Emu'", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(EveryCmdletThatSignsIn))]
    public void Under_pwshs_console_host_without_a_terminal_a_sign_in_is_refused_at_once(string command)
    {
        // cron and systemd run pwsh with no terminal (and stdin closed, no -NonInteractive): nobody sees a device code.
        Start(withProfile: false, hostName: "ConsoleHost");
        NewDeviceCodeProfile("Dc");
        Emulator.Tokens.AutoApproveDeviceCodesFor = Tenant.DelegatedUser;

        var result = Run(string.Format(System.Globalization.CultureInfo.InvariantCulture, command, "Dc") + " -Verbose");

        if (TestProcessHasTerminal())
        {
            // Run from a developer's terminal: a person could see the code, so it is offered.
            Assert.Contains(result.Information, i => i.Tags.Contains("DeviceCode"));
            return;
        }

        // "At once": no device code was offered and no request made, so nothing could wait for a person.
        Assert.DoesNotContain(result.Information, i => i.Tags.Contains("DeviceCode"));
        Assert.Contains(result.Verbose, line => line.Contains("without a terminal", StringComparison.Ordinal));
        var text = result.EverythingVisible();
        Assert.Contains("TokenInteractionRequired", text, StringComparison.Ordinal);
        Assert.Contains("Get-SmtpOAuthToken -Profile 'Dc'", text, StringComparison.Ordinal);
        Assert.Equal(0, Emulator.Statistics.TokenRequests);
    }

    [Fact]
    public void Send_TimeoutSec_bounds_the_token_request_too()
    {
        Start();
        Emulator.Faults.TokenServiceHostility = OAuthSmtp.Emulator.Hostile.HostileTokenMode.Slow;
        Emulator.Faults.TokenServiceDelayMs = 120_000;
        try
        {
            // Real time on purpose: -TimeoutSec is a promise in real seconds against a token service that holds every
            // answer for 2 minutes; the bound itself runs on a driven clock in the engine's TokenProviderTests.
            var result = Run("Send-SmtpOAuthMessage -Profile Emu -To $EmuTenant.Mailbox -Subject 'Bounded' -Body 'b' -TimeoutSec 3");

            // The bound ended the first request while the service held it: one request, no retry, and the error names
            // -TimeoutSec. Without the bound: 3 requests of 30 s each (counted, not timed).
            Assert.Equal(1, Emulator.Statistics.TokenRequests);
            var text = result.EverythingVisible();
            Assert.Contains("TokenServiceUnreachable", text, StringComparison.Ordinal);
            Assert.Contains("-TimeoutSec", text, StringComparison.Ordinal);
            Assert.Equal(0, Emulator.Statistics.SmtpAuthenticationsSucceeded);
        }
        finally
        {
            Emulator.Faults.TokenServiceHostility = OAuthSmtp.Emulator.Hostile.HostileTokenMode.None;
        }
    }

    private void NewDeviceCodeProfile(string name)
    {
        var created = Run(
            $"""
            $null = New-SmtpOAuthProfile -Name {name} -TenantId $EmuTenant.TenantId -ClientId $EmuTenant.ClientId -DeviceCode `
                -Mailbox $EmuTenant.DelegatedUser -AuthorityHost $EmuTenant.AuthorityHost -AllowNonMicrosoftHost -SmtpServer $EmuTenant.SmtpServer -Port $EmuTenant.SmtpPort `
                -Force -Confirm:$false
            """);
        Assert.True(!created.AllErrors.Any(), created.ErrorText);
    }

    private static bool TestProcessHasTerminal()
    {
        if (OperatingSystem.IsWindows())
        {
            return true;
        }

        try
        {
            using var terminal = new FileStream("/dev/tty", FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1);
            return true;
        }
        catch (IOException)
        {
            return false;
        }
    }

    private sealed class Cleanup : IDisposable
    {
        private readonly Action _action;

        public Cleanup(Action action) => _action = action;

        public void Dispose() => _action();
    }
}
