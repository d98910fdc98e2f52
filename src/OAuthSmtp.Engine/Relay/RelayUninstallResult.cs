using System;
using System.Collections.Generic;

namespace OAuthSmtp.Engine.Relay;

/// <summary>What Uninstall-SmtpOAuthRelay did, and what it kept: above all a spool that still holds undelivered messages.</summary>
public sealed class RelayUninstallResult
{
    /// <summary>The relay home folder that was uninstalled.</summary>
    public string Path { get; internal set; } = string.Empty;

    /// <summary>The service registration that was removed (None: the relay ran as a process).</summary>
    public RelayServiceKind Service { get; internal set; }

    /// <summary>Whether the relay was running and was stopped first.</summary>
    public bool Stopped { get; internal set; }

    public string SpoolPath { get; internal set; } = string.Empty;

    /// <summary>The spool was kept because it holds undelivered messages (and -RemoveSpool was not given or not confirmed).</summary>
    public bool SpoolKept { get; internal set; }

    public int Queued { get; internal set; }

    public int DeadLetters { get; internal set; }

    /// <summary>Delivery unknown, including messages caught mid-submission by the stop.</summary>
    public int DeliveryUnknown { get; internal set; }

    /// <summary>Undelivered messages in the spool when it was kept, or deleted with it.</summary>
    public int Undelivered { get; internal set; }

    /// <summary>Why the spool was kept, where, how many messages it holds and how to send or delete them; null when it was deleted.</summary>
    public string? SpoolWarning { get; internal set; }

    /// <summary>Files and folders that were deleted.</summary>
    public IReadOnlyList<string> Removed { get; internal set; } = Array.Empty<string>();

    /// <summary>Folders left in place and why (the spool, a profile store outside the relay home, a home with other files).</summary>
    public IReadOnlyList<string> Kept { get; internal set; } = Array.Empty<string>();
}
