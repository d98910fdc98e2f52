namespace OAuthSmtp.Engine.SendPlanning;

/// <summary>Where one Send-SmtpOAuthMessage call connects, as whom, and where its token comes from.</summary>
public sealed class SendConnectionPlan
{
    public SendConnectionPlan(string host, int port, string mailbox, string? callerToken)
    {
        Host = host;
        Port = port;
        Mailbox = mailbox;
        CallerToken = callerToken;
    }

    public string Host { get; }

    public int Port { get; }

    /// <summary>The XOAUTH2 user, and the From address of messages that name none.</summary>
    public string Mailbox { get; }

    /// <summary>A token the caller gave (-AccessToken or -Credential's password), checked to be a JWT; null: the profile's.</summary>
    public string? CallerToken { get; }

    /// <summary>True when the token comes from the profile's credential (the token provider renews it).</summary>
    public bool UsesProfileToken => CallerToken is null;
}
