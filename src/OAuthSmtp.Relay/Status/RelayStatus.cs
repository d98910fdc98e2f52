using System;
using System.Collections.Generic;

namespace OAuthSmtp.Relay.Status;

/// <summary>
/// status.json in the relay home, rewritten every few seconds (atomically): what Get-SmtpOAuthRelay shows. Holds
/// counts, names and error texts, never a credential or a token.
/// </summary>
internal sealed class RelayStatus
{
    /// <summary>Starting, Running, Stopping, Stopped, Failed.</summary>
    public string State { get; set; } = "Starting";

    public int ProcessId { get; set; }

    public DateTimeOffset StartedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public string ConfigurationPath { get; set; } = "";

    public DateTimeOffset? ConfigurationLoadedAt { get; set; }

    public List<string> Listening { get; set; } = new();

    public string SpoolPath { get; set; } = "";

    public string LogPath { get; set; } = "";

    public int Devices { get; set; }

    /// <summary>Messages acknowledged to devices and not yet submitted (queued and being submitted).</summary>
    public int QueueDepth { get; set; }

    public int DeadLetters { get; set; }

    public int DeliveryUnknown { get; set; }

    public int SubmittedSinceStart { get; set; }

    public int OpenDeviceConnections { get; set; }

    public List<MailboxStatus> Mailboxes { get; set; } = new();

    public List<RelayError> LastErrors { get; set; } = new();

    public List<string> CredentialWarnings { get; set; } = new();

    public long WorkingSetBytes { get; set; }

    public long PeakWorkingSetBytes { get; set; }
}

internal sealed class MailboxStatus
{
    public string Mailbox { get; set; } = "";

    public int Pending { get; set; }

    public int Connections { get; set; }

    public int PeakConnections { get; set; }

    public DateTimeOffset? PausedUntil { get; set; }
}
