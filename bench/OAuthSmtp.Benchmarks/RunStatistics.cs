using System;
using OAuthSmtp.Emulator;

namespace OAuthSmtp.Benchmarks;

/// <summary>What the emulator counted during one timed run; a run that did not deliver everything is not a figure.</summary>
public sealed record RunStatistics(long RoundTrips, long Connections, long TokenRequests, long Accepted)
{
    public static RunStatistics Read(ExchangeOnlineEmulator emulator, int expectedMessages)
    {
        var statistics = emulator.Statistics;
        var read = new RunStatistics(statistics.SmtpRoundTrips, statistics.SmtpConnections, statistics.TokenRequests, statistics.SmtpMessagesAccepted);
        if (read.Accepted != expectedMessages)
        {
            throw new InvalidOperationException($"The emulator accepted {read.Accepted} of {expectedMessages} messages.");
        }

        return read;
    }
}
