using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using OAuthSmtp.Emulator;
using OAuthSmtp.Engine.Sending;
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

    /// <summary>The delays passed to <see cref="RecordDelay"/>, in order.</summary>
    protected List<TimeSpan> Delays { get; } = new();

    public void Dispose() => Directory.Delete(Folder, recursive: true);

    /// <summary>A <see cref="SmtpSenderOptions.Delay"/> that records the delay and returns at once.</summary>
    protected Task RecordDelay(TimeSpan delay, CancellationToken cancellationToken)
    {
        lock (Delays)
        {
            Delays.Add(delay);
        }

        return Task.CompletedTask;
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
