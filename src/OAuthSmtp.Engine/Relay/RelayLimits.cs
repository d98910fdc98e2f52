namespace OAuthSmtp.Engine.Relay;

/// <summary>What one device or one address may cost the relay.</summary>
public sealed class RelayLimits
{
    /// <summary>Exchange Online's default MaxSendSize (35 MB); its hard maximum is 150 MB.</summary>
    public const long DefaultMaxMessageBytes = 35L * 1024 * 1024;

    public const long MaxMessageBytesCeiling = 150L * 1024 * 1024;

    public const long MaxMessageBytesFloor = 1024;

    /// <summary>Largest message accepted (SMTP SIZE); a device may have a smaller limit of its own.</summary>
    public long MaxMessageBytes { get; set; } = DefaultMaxMessageBytes;

    /// <summary>Simultaneous connections from one source address.</summary>
    public int MaxConnectionsPerSource { get; set; } = 10;

    /// <summary>Failed AUTH attempts from one source address before it is locked out.</summary>
    public int AuthFailuresBeforeLockout { get; set; } = 5;

    /// <summary>How long a locked-out source address is refused.</summary>
    public int LockoutSeconds { get; set; } = 900;
}
