using System;
using System.Collections.Generic;

namespace OAuthSmtp.Relay.Logging;

/// <summary>One line of the outcome log (logs/outcomes.jsonl): what happened to one message at one step.</summary>
internal sealed class OutcomeEntry
{
    public DateTimeOffset Time { get; init; } = DateTimeOffset.UtcNow;

    /// <summary>accepted, submitted, retrying, dead, unknown, refused.</summary>
    public required string Event { get; init; }

    public string? Id { get; init; }

    public string? Device { get; init; }

    public string? Source { get; init; }

    public string? Profile { get; init; }

    public string? MailFrom { get; init; }

    public IReadOnlyList<string>? Recipients { get; init; }

    public string? MessageId { get; init; }

    public long? Size { get; init; }

    /// <summary>Exchange's reply (submitted, dead) or the relay's reply to the device (refused).</summary>
    public string? Reply { get; init; }

    public string? Reason { get; init; }

    public string? ErrorId { get; init; }

    public string? Detail { get; init; }

    public string? Fix { get; init; }

    public int? Attempts { get; init; }

    public DateTimeOffset? NextAttempt { get; init; }
}
