namespace OAuthSmtp.Emulator;

/// <summary>Starting states of the tenant (Reset-EmuTenant -Scenario).</summary>
public enum Scenario
{
    /// <summary>Everything set up for app-only OAuth SMTP for one mailbox.</summary>
    Ready,

    /// <summary>Only the Entra portal steps (app registration, secret, consent); nothing in Exchange; org SMTP AUTH disabled.</summary>
    Fresh,

    /// <summary>A tenant with a mailbox and nothing else.</summary>
    Empty,
}
