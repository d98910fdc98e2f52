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
            yield return "Round trips and speed-up: the module sends with DATA, as MailKit does by default (see the trace below): MAIL FROM " +
                         "and RCPT TO go out together (PIPELINING), then DATA, then the message, so every message costs three round " +
                         "trips after authentication, and at 20 ms the speed-up is bounded by the baseline's round trips per message ÷ 3. " +
                         "This is deliberate (issue 14): Exchange Online refused BDAT messages with attachments (552 5.3.4, " +
                         "jstedfast/MailKit#904) and MailKit moved back to DATA; the engine's own one-round-trip BDAT path was removed " +
                         "because it duplicated MailKit from protected members and because Exchange paces a mailbox at 30 messages a " +
                         "minute, two seconds per message, which no round-trip saving changes for a real tenant.";
        }

        if (Missed(figures, "Cold Import-Module (fresh process"))
        {
            yield return "Import-Module: the System.Management.Automation of the NuGet package is IL-only (pwsh ships it ReadyToRun-compiled), " +
                         "so a process's first Import-Module JIT-compiles PowerShell's own module code; an empty manifest module costs " +
                         "nearly as much (its row). OAuthSmtp's own share is the row after it.";
        }

        if (Missed(figures, "Peak memory above idle"))
        {
            yield return "Memory: the attachment is streamed (far less is allocated than the ~41 MB of base64 sent), but every allocation " +
                         "and every page touched for the first time shows in the peak. Most of what the send allocates is the engine's " +
                         "GuardedSmtpStream: a linked CancellationTokenSource, a registration and a timer per 4 KB network write " +
                         "(TimerQueueTimer, CallbackNode, Linked1CancellationTokenSource in the allocation note).";
        }
    }

    private static bool Missed(IReadOnlyList<Figure> figures, string namePrefix) =>
        figures.Any(f => f.Name.StartsWith(namePrefix, System.StringComparison.Ordinal) && f.Met == false);
}
