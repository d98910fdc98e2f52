using System;
using System.Collections.Generic;
using System.Text;

namespace OAuthSmtp.Emulator.Smtp;

/// <summary>
/// One SMTP session as the server saw it: "C: " client lines, "S: " server lines, "# " server notes (policy reasons).
/// Kept verbatim for tests (tokens included: this is the emulator); never written to the console.
/// Message data is summarised as a byte count. Bounded to <see cref="MaxLines"/> lines.
/// </summary>
public sealed class SmtpTranscript
{
    public const int MaxLines = 5_000;

    private readonly object _gate = new();
    private readonly List<string> _lines = new();

    public SmtpTranscript(long connectionId, DateTimeOffset startedAt)
    {
        ConnectionId = connectionId;
        StartedAt = startedAt;
    }

    public long ConnectionId { get; }

    public DateTimeOffset StartedAt { get; }

    /// <summary>The mailbox that authenticated in this session, if any.</summary>
    public string? AuthenticatedMailbox { get; internal set; }

    public IReadOnlyList<string> Lines
    {
        get { lock (_gate) return _lines.ToArray(); }
    }

    public string Text
    {
        get
        {
            lock (_gate)
            {
                var builder = new StringBuilder();
                foreach (var line in _lines) builder.Append(line).Append('\n');
                return builder.ToString();
            }
        }
    }

    internal void Add(string prefix, string line)
    {
        lock (_gate)
        {
            if (_lines.Count < MaxLines) _lines.Add(prefix + line);
        }
    }

    public override string ToString() => $"SMTP session {ConnectionId} ({Lines.Count} lines)";
}
