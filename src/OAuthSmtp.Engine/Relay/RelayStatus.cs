using System;
using System.Collections.Generic;

namespace OAuthSmtp.Engine.Relay;

/// <summary>
/// The status file (status.json) the relay keeps current while it runs, written atomically by the relay and read by
/// Get-SmtpOAuthRelay: {"schemaVersion":1,"state":"Running","processId":…,"listeners":["127.0.0.1:587"],…}.
/// Counts are of what is in the spool now (queue, dead letters, delivery unknown) and of what was submitted since start.
/// </summary>
public sealed class RelayStatus
{
    public const int CurrentSchemaVersion = 1;

    /// <summary>Errors kept in <see cref="LastErrors"/>, newest last.</summary>
    public const int MaxLastErrors = 20;

    public int? SchemaVersion { get; set; }

    public RelayState State { get; set; }

    public int ProcessId { get; set; }

    /// <summary>The relay's version (its assembly's informational version).</summary>
    public string? Version { get; set; }

    public DateTimeOffset? StartedOn { get; set; }

    /// <summary>When the relay last wrote the file; it rewrites it at least every <see cref="HeartbeatSeconds"/>.</summary>
    public DateTimeOffset UpdatedOn { get; set; }

    public int HeartbeatSeconds { get; set; } = 15;

    /// <summary>The endpoints actually listening: "127.0.0.1:587", "[::1]:587".</summary>
    public List<string> Listeners { get; set; } = new();

    /// <summary>Messages accepted and waiting for Exchange.</summary>
    public int QueueDepth { get; set; }

    /// <summary>Messages Exchange refused for good, in the dead-letter folder with the reason.</summary>
    public int DeadLetters { get; set; }

    /// <summary>Messages whose submission lost its connection after the data: Exchange may or may not have them.</summary>
    public int DeliveryUnknown { get; set; }

    /// <summary>Messages submitted to Exchange since the relay started.</summary>
    public long Submitted { get; set; }

    /// <summary>The most recent errors, newest last (at most <see cref="MaxLastErrors"/>).</summary>
    public List<RelayStatusError> LastErrors { get; set; } = new();

    /// <summary>Credentials of the relay's profiles that expire soon, or other profile problems the relay saw.</summary>
    public List<RelayCredentialWarning> CredentialWarnings { get; set; } = new();

    /// <summary>Each sending mailbox's queue and connections to Exchange.</summary>
    public List<RelayMailboxStatus> Mailboxes { get; set; } = new();

    /// <summary>Devices connected now.</summary>
    public int DeviceConnections { get; set; }

    /// <summary>The relay process's largest working set since it started (bytes).</summary>
    public long PeakWorkingSetBytes { get; set; }
}

/// <summary>One error the relay met (a failed submission, a refused configuration).</summary>
public sealed class RelayStatusError
{
    public DateTimeOffset Time { get; set; }

    /// <summary>The engine's error id, when the error had one.</summary>
    public string? ErrorId { get; set; }

    public string? Message { get; set; }

    /// <summary>The device, profile or message the error concerns.</summary>
    public string? Target { get; set; }
}

/// <summary>A profile whose credential expires soon (the doctor's CredentialLifetime check), or cannot be used.</summary>
public sealed class RelayCredentialWarning
{
    public string? Profile { get; set; }

    public DateTimeOffset? ExpiresOn { get; set; }

    public string? Message { get; set; }
}
