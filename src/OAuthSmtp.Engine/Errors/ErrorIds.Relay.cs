namespace OAuthSmtp.Engine.Errors;

/// <summary>Error ids of the relay for devices: its configuration, its devices, its service and its status.</summary>
public static partial class ErrorIds
{
    /// <summary>No relay configuration (relay.json) in the relay home folder.</summary>
    public const string RelayNotInstalled = nameof(RelayNotInstalled);

    /// <summary>Install-SmtpOAuthRelay found a configuration already and -Force was not given.</summary>
    public const string RelayAlreadyInstalled = nameof(RelayAlreadyInstalled);

    /// <summary>relay.json is not valid JSON, not a relay document, or breaks a rule; it is left untouched.</summary>
    public const string RelayConfigurationCorrupt = nameof(RelayConfigurationCorrupt);

    /// <summary>relay.json was written by a newer version of the module.</summary>
    public const string RelayConfigurationVersionUnsupported = nameof(RelayConfigurationVersionUnsupported);

    /// <summary>relay.json is writable by group or others or owned by another user (Unix); it is not used.</summary>
    public const string RelayConfigurationInsecure = nameof(RelayConfigurationInsecure);

    /// <summary>relay.json or the relay home folder cannot be read.</summary>
    public const string RelayConfigurationUnreadable = nameof(RelayConfigurationUnreadable);

    /// <summary>relay.json or a relay folder could not be written.</summary>
    public const string RelayConfigurationWriteFailed = nameof(RelayConfigurationWriteFailed);

    /// <summary>Another process held the relay configuration's lock for too long.</summary>
    public const string RelayConfigurationBusy = nameof(RelayConfigurationBusy);

    /// <summary>An address range (CIDR) is not an IPv4 or IPv6 address with an optional prefix length, or has host bits set.</summary>
    public const string InvalidRelayAddressRange = nameof(InvalidRelayAddressRange);

    /// <summary>A listen endpoint has an address that is not an IP address, or a port outside 1-65535, or is listed twice.</summary>
    public const string InvalidRelayListener = nameof(InvalidRelayListener);

    /// <summary>A listen endpoint on an address other than loopback has no source allow-list, or one that admits every address.</summary>
    public const string RelayListenerNotRestricted = nameof(RelayListenerNotRestricted);

    /// <summary>A relay limit (message size, connections, lockout) is outside its range.</summary>
    public const string InvalidRelayLimit = nameof(InvalidRelayLimit);

    /// <summary>The relay's STARTTLS certificate settings are inconsistent (no file, bad thumbprint, two sources).</summary>
    public const string InvalidRelayCertificate = nameof(InvalidRelayCertificate);

    /// <summary>A device name is empty, too long, or has characters other than letters, digits, '.', '_' and '-'.</summary>
    public const string InvalidRelayClientName = nameof(InvalidRelayClientName);

    /// <summary>A device (or its user name) of that name exists already.</summary>
    public const string RelayClientAlreadyExists = nameof(RelayClientAlreadyExists);

    /// <summary>No device has that name.</summary>
    public const string RelayClientNotFound = nameof(RelayClientNotFound);

    /// <summary>An allowed sender is neither an SMTP address nor *@domain.</summary>
    public const string InvalidRelaySender = nameof(InvalidRelaySender);

    /// <summary>An allowed recipient domain is not a domain name.</summary>
    public const string InvalidRelayRecipientDomain = nameof(InvalidRelayRecipientDomain);

    /// <summary>A device's stored credential verifier is missing or malformed.</summary>
    public const string InvalidRelayCredential = nameof(InvalidRelayCredential);

    /// <summary>The relay's status file is not a valid status document.</summary>
    public const string RelayStatusCorrupt = nameof(RelayStatusCorrupt);

    /// <summary>Install-SmtpOAuthRelay: no service manager here (no systemd, not Windows); -NoService runs the relay as a process.</summary>
    public const string RelayServiceManagerUnavailable = nameof(RelayServiceManagerUnavailable);

    /// <summary>A service manager command (systemctl, sc.exe, icacls) failed; its output is in the message.</summary>
    public const string RelayServiceCommandFailed = nameof(RelayServiceCommandFailed);

    /// <summary>The relay program (OAuthSmtp.Relay) is not in the module's relay folder.</summary>
    public const string RelayProgramNotFound = nameof(RelayProgramNotFound);

    /// <summary>Start-SmtpOAuthRelay: the relay process ended or did not report Running in time.</summary>
    public const string RelayStartFailed = nameof(RelayStartFailed);

    /// <summary>Stop-SmtpOAuthRelay: the relay process did not end in time.</summary>
    public const string RelayStopFailed = nameof(RelayStopFailed);

    /// <summary>Uninstall-SmtpOAuthRelay: a relay file or folder cannot be deleted (the message says what was removed already).</summary>
    public const string RelayRemoveFailed = nameof(RelayRemoveFailed);
}
