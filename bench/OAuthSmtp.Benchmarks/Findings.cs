using System.Collections.Generic;
using System.Linq;

namespace OAuthSmtp.Benchmarks;

/// <summary>
/// Why a missed target is missed, as found with the emulator's transcripts, round-trip counter and allocation ticks.
/// Added to the report's notes only when the figure in question was measured and missed.
/// </summary>
public static class Findings
{
    public static IEnumerable<string> For(IReadOnlyList<Figure> figures)
    {
        if (Missed(figures, "Round trips per message after authentication") || Missed(figures, "Speed-up at 20 ms"))
        {
            yield return "Round trips and speed-up: MailKit's SmtpClient.Send writes MAIL FROM and RCPT TO together (PIPELINING) but reads " +
                         "their replies before it writes BDAT … LAST (see the trace below), so every message costs two round trips after " +
                         "authentication, and at 20 ms the speed-up is bounded by the baseline's 8 round trips per message ÷ 2 (the TLS " +
                         "handshakes add a little). One round trip needs MAIL, RCPT and BDAT LAST written in one flight and the three replies " +
                         "read afterwards (the size is known: the message is measured before sending), which MailKit's Send does not offer. " +
                         "-Pipelining does exactly that (its rows): one round trip per message. It is opt-in because a connection lost " +
                         "before the first reply then cannot be told apart from one lost after the server stored the message, so the " +
                         "message is reported DeliveryUnknown instead of being retried. Even at one round trip, 20 ms caps the module at " +
                         "50 msg/s against the baseline's ~5, so ≥ 10× would need several messages per round trip.";
        }

        if (Missed(figures, "Cold Import-Module (fresh process"))
        {
            yield return "Import-Module: the System.Management.Automation of the NuGet package is IL-only (pwsh ships it ReadyToRun-compiled), " +
                         "so a process's first Import-Module JIT-compiles PowerShell's own module code; an empty manifest module costs " +
                         "nearly as much (its row). OAuthSmtp's own share is the row after it.";
        }

        if (Missed(figures, "Peak memory above idle"))
        {
            yield return "Memory: the attachment is streamed (far less is allocated than the ~41 MB of base64 sent), but no gen-0 collection " +
                         "runs during the send, so every allocation shows in the peak. Besides MimeKit's and MailKit's own, the module's " +
                         "async send through MailKit's netstandard2.0 build with a cancellable token allocates a timeout " +
                         "CancellationTokenSource, a linked source and registrations per 4 KB network write (TimerQueueTimer, CallbackNode, " +
                         "Registrations, Linked*CancellationTokenSource in the allocation note).";
        }
    }

    private static bool Missed(IReadOnlyList<Figure> figures, string namePrefix) =>
        figures.Any(f => f.Name.StartsWith(namePrefix, System.StringComparison.Ordinal) && f.Met == false);
}
