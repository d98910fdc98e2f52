using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using OAuthSmtp.Emulator;
using OAuthSmtp.Engine.Retries;
using OAuthSmtp.Engine.Sending;
using OAuthSmtp.Engine.Tests.Retries;
using Xunit;
using Xunit.Abstractions;

namespace OAuthSmtp.Engine.Tests.Sending;

/// <summary>
/// Shared plumbing of the tests that send through the emulator's SMTP server: a tenant reset to Ready per test, a
/// scratch folder, the retry delays the sender asked for (recorded instead of waited), numbered messages, and the
/// check that each sent message was stored once. Each derived class builds the sender options it tests.
/// </summary>
public abstract class SenderTestBase : IClassFixture<EmulatorFixture>, IDisposable
{
    private readonly EmulatorFixture _fixture;

    protected SenderTestBase(EmulatorFixture fixture, ITestOutputHelper output, string folderPrefix)
    {
        _fixture = fixture;
        Output = output;
        Folder = Directory.CreateTempSubdirectory(folderPrefix).FullName;
        Tenant = fixture.Reset();
    }

    protected ExchangeOnlineEmulator Emulator => _fixture.Emulator;

    protected ITestOutputHelper Output { get; }

    protected ScenarioInfo Tenant { get; }

    protected string Folder { get; }

    /// <summary>The sender's clock: its waits (retries, pacing) return at once and move it on; it starts at the real time, as the emulator's does.</summary>
    protected FakeRetryClock Time { get; } = StartingNow();

    /// <summary>The waits the sender asked for, in order.</summary>
    protected List<TimeSpan> Delays => Time.Waits;

    /// <summary>The sender's retry policy without jitter, so the waits are exact: 3 attempts, 1 s then 2 s.</summary>
    protected static RetryPolicy ExactRetries => new(3, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1)) { Jitter = 0 };

    public void Dispose() => Directory.Delete(Folder, recursive: true);

    /// <summary>Options for the emulator's SMTP server with the fake clock and exact retries.</summary>
    private protected SmtpSenderOptions EmulatorOptions(string? mailbox = null, EmulatorTokenSource? tokens = null) =>
        new(Emulator.SmtpHost, Emulator.SmtpPort, mailbox ?? Tenant.Mailbox, tokens ?? new EmulatorTokenSource(Emulator))
        {
            Clock = Time.Clock,
            Retry = ExactRetries,
        };

    private static FakeRetryClock StartingNow()
    {
        var clock = new FakeRetryClock();
        clock.Advance(DateTimeOffset.UtcNow - clock.Now);
        return clock;
    }

    protected PreparedMessage Message(int index) =>
        MessageBuilder.Build(
            new MessageRequest { To = { $"user{index}@fabrikam.com" }, Subject = $"Message {index}", Body = $"Body {index}" },
            Tenant.Mailbox);

    protected void AssertDeliveredExactlyOnce(IEnumerable<SendResult> results)
    {
        var delivered = Emulator.Delivered.All;
        foreach (var result in results)
        {
            Assert.Single(delivered, d => d.MessageId == result.MessageId);
        }
    }
}

/// <summary>Object-initializer style changes to options built by a helper.</summary>
internal static class SmtpSenderOptionsChanges
{
    public static SmtpSenderOptions With(this SmtpSenderOptions options, Action<SmtpSenderOptions> change)
    {
        change(options);
        return options;
    }
}
