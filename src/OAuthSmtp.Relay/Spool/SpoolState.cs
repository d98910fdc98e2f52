namespace OAuthSmtp.Relay.Spool;

/// <summary>
/// Where a spooled message is; each state is a folder and a message moves between them only by an atomic, durable
/// rename, so a kill -9 at any instant leaves each message in exactly one of them.
/// </summary>
internal enum SpoolState
{
    /// <summary>Being received from a device; the device has no 250 yet. Removed at start-up (the device retries).</summary>
    Incoming,

    /// <summary>Acknowledged to the device (250 after fsync), waiting for its turn or its next retry.</summary>
    Queued,

    /// <summary>Being offered to Exchange: after a crash its delivery is unknown (its data may have ended), never resent.</summary>
    Submitting,

    /// <summary>Exchange answered 250 to its data.</summary>
    Done,

    /// <summary>Exchange refused it for good (5xx), or retries ran out: not delivered; reason and fix beside it.</summary>
    Dead,

    /// <summary>Its data ended and no reply came (or the relay stopped mid-submission): may be delivered; never resent by the relay.</summary>
    Unknown,
}
