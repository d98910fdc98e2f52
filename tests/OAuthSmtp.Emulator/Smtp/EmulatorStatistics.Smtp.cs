using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using OAuthSmtp.Emulator.Smtp;

namespace OAuthSmtp.Emulator;

// The SMTP server's counters (public long properties show up in Snapshot / Get-EmuStatistics) and its transcripts.
public sealed partial class EmulatorStatistics
{
    /// <summary>How many session transcripts are kept (oldest dropped first).</summary>
    public const int MaxSmtpTranscripts = 500;

    private long _smtpConnections;
    private long _smtpAuthenticationsSucceeded;
    private long _smtpAuthenticationsFailed;
    private long _smtpCommands;
    private long _smtpReplies;
    private long _smtpRoundTrips;
    private long _smtpMessagesAccepted;
    private readonly ConcurrentDictionary<string, long> _smtpCommandsByVerb = new(System.StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentQueue<SmtpTranscript> _smtpTranscripts = new();

    /// <summary>TCP connections the SMTP server accepted.</summary>
    public long SmtpConnections => Interlocked.Read(ref _smtpConnections);

    public long SmtpAuthenticationsSucceeded => Interlocked.Read(ref _smtpAuthenticationsSucceeded);

    public long SmtpAuthenticationsFailed => Interlocked.Read(ref _smtpAuthenticationsFailed);

    /// <summary>SMTP commands received (message data and SASL responses are not commands).</summary>
    public long SmtpCommands => Interlocked.Read(ref _smtpCommands);

    /// <summary>Replies sent, the banner included (a multi-line reply counts once).</summary>
    public long SmtpReplies => Interlocked.Read(ref _smtpReplies);

    /// <summary>Client→server→client turns after the banner: one per flush of replies the client waited for.</summary>
    public long SmtpRoundTrips => Interlocked.Read(ref _smtpRoundTrips);

    public long SmtpMessagesAccepted => Interlocked.Read(ref _smtpMessagesAccepted);

    /// <summary>Commands received by verb (EHLO, AUTH, MAIL, RCPT, DATA, BDAT, …).</summary>
    public IReadOnlyDictionary<string, long> SmtpCommandsByVerb =>
        new SortedDictionary<string, long>(_smtpCommandsByVerb.ToDictionary(p => p.Key, p => p.Value), System.StringComparer.Ordinal);

    /// <summary>Session transcripts, oldest first (at most <see cref="MaxSmtpTranscripts"/>).</summary>
    public IReadOnlyList<SmtpTranscript> SmtpTranscripts => _smtpTranscripts.ToArray();

    internal void CountSmtpConnection() => Interlocked.Increment(ref _smtpConnections);

    internal void CountSmtpAuthentication(bool succeeded) =>
        Interlocked.Increment(ref succeeded ? ref _smtpAuthenticationsSucceeded : ref _smtpAuthenticationsFailed);

    internal void CountSmtpCommand(string verb)
    {
        Interlocked.Increment(ref _smtpCommands);
        _smtpCommandsByVerb.AddOrUpdate(verb.ToUpperInvariant(), 1, (_, n) => n + 1);
    }

    internal void CountSmtpReplies(int replies) => Interlocked.Add(ref _smtpReplies, replies);

    internal void CountSmtpRoundTrip() => Interlocked.Increment(ref _smtpRoundTrips);

    internal void CountSmtpMessageAccepted() => Interlocked.Increment(ref _smtpMessagesAccepted);

    internal void AddSmtpTranscript(SmtpTranscript transcript)
    {
        _smtpTranscripts.Enqueue(transcript);
        while (_smtpTranscripts.Count > MaxSmtpTranscripts && _smtpTranscripts.TryDequeue(out _))
        {
        }
    }

    partial void ResetSmtp()
    {
        Interlocked.Exchange(ref _smtpConnections, 0);
        Interlocked.Exchange(ref _smtpAuthenticationsSucceeded, 0);
        Interlocked.Exchange(ref _smtpAuthenticationsFailed, 0);
        Interlocked.Exchange(ref _smtpCommands, 0);
        Interlocked.Exchange(ref _smtpReplies, 0);
        Interlocked.Exchange(ref _smtpRoundTrips, 0);
        Interlocked.Exchange(ref _smtpMessagesAccepted, 0);
        _smtpCommandsByVerb.Clear();
        _smtpTranscripts.Clear();
    }
}
