namespace OAuthSmtp.Engine.Relay;

/// <summary>How the relay runs.</summary>
public enum RelayServiceKind
{
    /// <summary>No service: Start-SmtpOAuthRelay starts a detached process and keeps its id in relay.pid (containers, tests, machines without a service manager).</summary>
    None,

    /// <summary>A systemd unit, oauthsmtp-relay.service.</summary>
    Systemd,

    /// <summary>A Windows service, OAuthSmtpRelay.</summary>
    WindowsService,
}
