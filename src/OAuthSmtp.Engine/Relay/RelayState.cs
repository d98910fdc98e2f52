namespace OAuthSmtp.Engine.Relay;

/// <summary>What the relay process is doing, as its status file says (NotRunning when no live process stands behind it).</summary>
public enum RelayState
{
    /// <summary>No status file, or the process that wrote it has gone.</summary>
    NotRunning,

    Starting,

    Running,

    Stopping,

    /// <summary>Stopped cleanly; the spool keeps what was not yet delivered.</summary>
    Stopped,

    /// <summary>Stopped on an error it could not recover from (LastErrors says which).</summary>
    Faulted,
}
