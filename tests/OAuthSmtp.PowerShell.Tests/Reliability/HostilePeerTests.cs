using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Management.Automation;
using OAuthSmtp.Emulator.Hostile;
using OAuthSmtp.Hosting;
using OAuthSmtp.PowerShell.Tests.Infrastructure;
using OAuthSmtp.PowerShell.Tests.Sending;
using Xunit;
using Xunit.Abstractions;
using EmuStage = OAuthSmtp.Emulator.Smtp.SmtpStage;

namespace OAuthSmtp.PowerShell.Tests.Reliability;

/// <summary>
/// Send-SmtpOAuthMessage and Get-SmtpOAuthToken against peers that misbehave: no STARTTLS, a certificate that must
/// be refused, garbage where TLS belongs, a server that never answers, trickles, or sends endless and oversized
/// replies, and a token service that is slow or answers nonsense. Each ends in one clear error within a bounded time,
/// memory stays bounded, the token never reaches a server that did not prove it is the configured host over TLS,
/// and no .NET stack trace reaches the screen.
/// </summary>
public sealed class HostilePeerTests : SendTestBase
{
    /// <summary>
    /// -TimeoutSec against a server that falls silent: the real-time bound is the behaviour under test, so it stays in
    /// real seconds. A busy machine can only make an earlier step time out, which ends in the same error and message.
    /// </summary>
    private const int TimeoutSec = 1;

    /// <summary>-TimeoutSec where the server does answer (trickles, floods): its limits, not the clock, must end those.</summary>
    private const int GenerousTimeoutSec = 60;
    private readonly ITestOutputHelper _output;

    public HostilePeerTests(EmulatorFixture fixture, ITestOutputHelper output)
        : base(fixture)
    {
        _output = output;
    }

    public static IEnumerable<object[]> TlsCases() => new[]
    {
        new object[] { "NoStartTls", "StartTlsNotOffered", "does not offer STARTTLS" },
        new object[] { "GarbageAfterStartTls", "TlsHandshakeFailed", "did not complete a TLS" },
        new object[] { "Expired", "TlsHandshakeFailed", "expired on" },
        new object[] { "SelfSigned", "TlsHandshakeFailed", "self-signed, and this computer does not trust it" },
        new object[] { "WrongHost", "TlsHandshakeFailed", $"is for {HostileCertificates.OtherHostName}, not for localhost" },
    };

    [Theory]
    [MemberData(nameof(TlsCases))]
    public void The_token_is_sent_only_over_TLS_to_the_configured_host(string fault, string errorId, string says)
    {
        Start();
        switch (fault)
        {
            case "NoStartTls": Emulator.Faults.SmtpOmitStartTls = true; break;
            case "GarbageAfterStartTls": Emulator.Faults.SmtpGarbageAfterStartTls = true; break;
            case "Expired": Emulator.Faults.SmtpServerCertificate = HostileCertificates.Expired; break;
            case "SelfSigned": Emulator.Faults.SmtpServerCertificate = HostileCertificates.SelfSigned; break;
            case "WrongHost": Emulator.Faults.SmtpServerCertificate = HostileCertificates.WrongHost; break;
        }

        var result = Run($"Send-SmtpOAuthMessage -To a@fabrikam.com -Subject tls -Profile Emu -TimeoutSec {GenerousTimeoutSec} -RetryIntervalSec 0", render: false);
        var record = Assert.Single(result.AllErrors);
        AssertErrorId(record, errorId, ErrorCategory.SecurityError);
        Assert.Contains(says, record.ErrorDetails!.Message);
        Assert.Contains("The token was not sent", record.ErrorDetails.Message.Replace("nothing was sent", "The token was not sent"));

        // At the server: a connection, but no AUTH command, no token in any transcript, nothing delivered.
        Assert.True(Emulator.Statistics.SmtpConnections >= 1);
        Assert.Equal(0, Emulator.Statistics.SmtpAuthenticationsSucceeded + Emulator.Statistics.SmtpAuthenticationsFailed);
        var transcripts = string.Join("\n", Emulator.Statistics.SmtpTranscripts.Select(t => t.Text));
        Assert.DoesNotContain("C: AUTH", transcripts);
        Assert.NotEmpty(Emulator.Statistics.IssuedTokens);
        foreach (var token in Emulator.Statistics.IssuedTokens)
        {
            Assert.DoesNotContain(token.Split('.')[^1], transcripts);
        }

        Assert.Empty(Emulator.Delivered.All);
    }

    public static IEnumerable<object[]> HostileSmtpCases() => new[]
    {
        new object[] { "NeverReplyBanner", "SmtpConnectionFailed" },
        new object[] { "NeverReplyEhlo", "SmtpConnectionFailed" },
        new object[] { "NeverReplyStartTls", "SmtpConnectionFailed" },
        new object[] { "NeverReplyAuth", "SmtpConnectionFailed" },
        new object[] { "NeverReplyMailFrom", "SmtpConnectionFailed" },
        new object[] { "NeverReplyData", "SmtpConnectionFailed" },
        new object[] { "EndlessMultiline", "SmtpConnectionFailed" },
        new object[] { "OversizedLine", "SmtpConnectionFailed" },
        new object[] { "OneByteAtATime", "" },
    };

    [Theory]
    [MemberData(nameof(HostileSmtpCases))]
    public void A_hostile_smtp_server_ends_in_a_clear_error_within_the_timeout_and_bounded_memory(string fault, string errorId)
    {
        Start();
        var faults = Emulator.Faults;
        switch (fault)
        {
            case "NeverReplyBanner": faults.SmtpNeverReplyAt = EmuStage.Banner; break;
            case "NeverReplyEhlo": faults.SmtpNeverReplyAt = EmuStage.Ehlo; break;
            case "NeverReplyStartTls": faults.SmtpNeverReplyAt = EmuStage.StartTls; break;
            case "NeverReplyAuth": faults.SmtpNeverReplyAt = EmuStage.Auth; break;
            case "NeverReplyMailFrom": faults.SmtpNeverReplyAt = EmuStage.MailFrom; break;
            case "NeverReplyData": faults.SmtpNeverReplyAt = EmuStage.Data; break;
            case "EndlessMultiline": faults.SmtpEndlessMultilineReply = true; break;
            case "OversizedLine": faults.SmtpOversizedReplyBytes = 64 * 1024 * 1024; break;
            case "OneByteAtATime": faults.SmtpReplyOneByteAtATime = true; break;
        }

        var silent = fault.StartsWith("NeverReply", StringComparison.Ordinal);
        var memoryBefore = GC.GetTotalMemory(forceFullCollection: true);
        var watch = Stopwatch.StartNew();
        var result = Run($"Send-SmtpOAuthMessage -To a@fabrikam.com -Subject hostile -Profile Emu -TimeoutSec {(silent ? TimeoutSec : GenerousTimeoutSec)} -RetryIntervalSec 0 -PassThru");
        watch.Stop();
        var memoryAfter = GC.GetTotalMemory(forceFullCollection: true);
        _output.WriteLine($"{fault}: {watch.ElapsedMilliseconds} ms (not asserted), managed memory {(memoryAfter - memoryBefore) / 1024} KB retained");

        // Bounded: three attempts at most (counted at the server, not timed), each ended by the timeout or by a limit.
        Assert.InRange(Emulator.Statistics.SmtpConnections, 1, 3);
        Assert.True(memoryAfter - memoryBefore < 16 * 1024 * 1024, $"{fault} kept {(memoryAfter - memoryBefore) / 1024} KB");
        if (errorId.Length == 0)
        {
            Assert.True(!result.AllErrors.Any(), result.ErrorText);
            Assert.Equal("Sent", result.Output.Single().Properties["Status"].Value.ToString());
            Assert.Single(Emulator.Delivered.All);
            return;
        }

        var record = Assert.Single(result.AllErrors);
        Assert.Equal(errorId + CommandSuffix, record.FullyQualifiedErrorId);
        var message = record.ErrorDetails!.Message;
        Assert.True(message.Length < 2_000, "the error quotes the server at length: " + message.Length);
        Assert.DoesNotContain("   at ", message);
        Assert.False(string.IsNullOrWhiteSpace(record.ErrorDetails.RecommendedAction));
        if (silent)
        {
            // At DATA too: the server never said 354, so the message never went out (DATA, as MailKit sends by
            // default, hands nothing over before that); it is retried like any silent server and never delivered.
            Assert.Contains($"within {TimeoutSec} s", message);
            Assert.Empty(Emulator.Delivered.All);
        }
        else
        {
            Assert.Contains("without waiting for a command", message);
        }
    }

    public static IEnumerable<object[]> HostileTokenCases() => new[]
    {
        new object[] { HostileTokenMode.Slow, "TokenServiceUnavailable" },
        new object[] { HostileTokenMode.HugeBody, "TokenRequestFailed" },
        new object[] { HostileTokenMode.InvalidJson, "TokenRequestFailed" },
        new object[] { HostileTokenMode.MissingAccessToken, "TokenRequestFailed" },
        new object[] { HostileTokenMode.NotAJwt, "" },
    };

    [Theory]
    [MemberData(nameof(HostileTokenCases))]
    public void A_hostile_token_service_ends_in_a_clear_error_in_bounded_time_and_memory(HostileTokenMode mode, string errorId)
    {
        Start();
        Emulator.Faults.TokenServiceHostility = mode;
        Emulator.Faults.TokenServiceDelayMs = 400;
        Emulator.Faults.TokenServiceBodyBytes = 128L * 1024 * 1024;

        var memoryBefore = GC.GetTotalMemory(forceFullCollection: true);
        var watch = Stopwatch.StartNew();
        var result = Run("Get-SmtpOAuthToken -Profile Emu -ForceRefresh");
        watch.Stop();
        var memoryAfter = GC.GetTotalMemory(forceFullCollection: true);
        _output.WriteLine($"{mode}: {watch.ElapsedMilliseconds} ms (not asserted), managed memory {(memoryAfter - memoryBefore) / 1024} KB retained, {Emulator.Statistics.TokenRequests} request(s)");

        // Bounded: the policy's three attempts at most, each one request (counted at the service, not timed).
        Assert.InRange(Emulator.Statistics.TokenRequests, 1, 3);
        Assert.True(memoryAfter - memoryBefore < 16 * 1024 * 1024, $"{mode} kept {(memoryAfter - memoryBefore) / 1024} KB");
        if (errorId.Length == 0)
        {
            // Not a JWT: the token comes back, with a warning that Exchange will refuse it.
            Assert.True(!result.AllErrors.Any(), result.ErrorText);
            Assert.Contains(result.Warnings, w => w.Contains("not a JSON Web Token", StringComparison.Ordinal));
            Assert.Equal(false, result.Output.Single().Properties["SmtpReady"].Value);
            return;
        }

        var record = Assert.Single(result.AllErrors);
        Assert.Equal(errorId + ",OAuthSmtp.PowerShell.Commands.GetSmtpOAuthTokenCommand", record.FullyQualifiedErrorId);
        Assert.False(string.IsNullOrWhiteSpace(record.ErrorDetails?.RecommendedAction));
        Assert.True(record.ErrorDetails!.Message.Length < 1_000, record.ErrorDetails.Message.Length.ToString());
    }
}
