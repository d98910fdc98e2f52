using System;
using System.Collections.Concurrent;
using System.Net;
using OAuthSmtp.Engine.Errors;
using OAuthSmtp.Engine.Profiles;
using OAuthSmtp.Engine.SendPlanning;
using OAuthSmtp.Engine.Tokens;

namespace OAuthSmtp.Relay.Outbound;

/// <summary>
/// The relay's sending profiles, read from its profile store through the engine, as Send-SmtpOAuthMessage reads
/// them: the server and port the planner decides (only a host the trust rule allows: the cloud's Exchange hosts, or
/// one saved with -AllowNonMicrosoftHost), and the token source of the engine's shared token provider (its cache
/// serves every connection of a mailbox). The secret stays in memory; the relay never writes it.
/// </summary>
internal sealed class SendingProfiles
{
    private readonly string _storePath;
    private readonly ConcurrentDictionary<(string Profile, string Mailbox), SendingProfile> _resolved = new();

    public SendingProfiles(string storePath) => _storePath = storePath;

    /// <summary>The profile <paramref name="profileName"/>, submitting as <paramref name="mailbox"/> (the device's sending mailbox).</summary>
    /// <exception cref="OAuthSmtpException">ProfileNotFound, an unreadable store or secret, a host the trust rule refuses.</exception>
    public SendingProfile Resolve(string profileName, string mailbox) =>
        _resolved.GetOrAdd((profileName.ToUpperInvariant(), mailbox.ToUpperInvariant()), _ => Load(profileName, mailbox));

    /// <summary>Forgets what was read (relay.json changed; the profiles may have too).</summary>
    public void Reset() => _resolved.Clear();

    private SendingProfile Load(string profileName, string mailbox)
    {
        var store = new ProfileStore(_storePath);
        var profile = store.GetProfile(profileName);
        if (profile.SecretProtection == SecretProtection.SecretManagement)
        {
            throw new OAuthSmtpException(
                ErrorIds.SecretManagementNotAvailable,
                ErrorKind.InvalidOperation,
                $"Profile '{profile.Name}' keeps its secret in a SecretManagement vault, which only PowerShell can open; the relay runs without PowerShell.",
                $"Give the relay's profile a certificate or a secret kept by its profile store: Set-SmtpOAuthProfile -Name '{profile.Name}' -ClientSecret (Read-Host -AsSecureString) with $env:OAUTHSMTP_HOME set to the relay's profile store ({_storePath}).",
                profile.Name);
        }

        var sending = profile.Clone();
        if (!string.IsNullOrWhiteSpace(mailbox))
        {
            sending.Mailbox = mailbox;
        }

        var plan = SendConnectionPlanner.Plan(new SendConnectionRequest { Profile = sending });
        string? secret = null;
        using (var stored = store.ReadSecret(profile))
        {
            if (stored is not null)
            {
                secret = new NetworkCredential(string.Empty, stored).Password;
            }
        }

        var request = new TokenRequest(profile)
        {
            Secret = secret,
            AllowUserInteraction = false,
            Timeout = TimeSpan.FromSeconds(60),
        };
        return new SendingProfile(sending, plan, TokenProvider.Shared.CreateSource(request), request);
    }
}

/// <summary>One resolved sending profile: where to connect, as which mailbox, and where tokens come from.</summary>
internal sealed record SendingProfile(SmtpOAuthProfile Profile, SendConnectionPlan Plan, IAccessTokenSource Tokens, TokenRequest Request)
{
    public string MailboxKey => Plan.Mailbox.ToLowerInvariant();
}
