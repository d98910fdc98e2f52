using System;
using System.Collections.Concurrent;
using System.Net;
using OAuthSmtp.Engine.Errors;
using OAuthSmtp.Engine.Profiles;
using OAuthSmtp.Engine.SendPlanning;
using OAuthSmtp.Engine.Tokens;

namespace OAuthSmtp.Relay.Outbound;

/// <summary>
/// The relay's sending profiles, read from the profile store through the engine, as Send-SmtpOAuthMessage reads
/// them: the server and port the planner decides (only a host the trust rule allows: the cloud's Exchange hosts, or
/// one saved with -AllowNonMicrosoftHost), and the token source of the engine's shared token provider (its cache
/// serves every connection of a mailbox). The secret stays in memory; it is never written by the relay.
/// </summary>
internal sealed class SendingProfiles
{
    private readonly string? _storePath;
    private readonly ConcurrentDictionary<string, SendingProfile> _resolved = new(StringComparer.OrdinalIgnoreCase);

    public SendingProfiles(string? storePath) => _storePath = storePath;

    /// <summary>The mailbox a profile sends as, or null when the profile cannot be read.</summary>
    public string? MailboxOf(string profileName)
    {
        try
        {
            return Resolve(profileName).Plan.Mailbox;
        }
        catch (OAuthSmtpException)
        {
            return null;
        }
    }

    public SendingProfile Resolve(string profileName) => _resolved.GetOrAdd(profileName, Load);

    /// <summary>Forgets what was read (the configuration or the profile store changed).</summary>
    public void Reset() => _resolved.Clear();

    private SendingProfile Load(string profileName)
    {
        var store = _storePath is null ? new ProfileStore() : new ProfileStore(_storePath);
        var profile = store.GetProfile(profileName);
        if (profile.SecretProtection == SecretProtection.SecretManagement)
        {
            throw new OAuthSmtpException(
                ErrorIds.SecretManagementNotAvailable,
                ErrorKind.InvalidOperation,
                $"Profile '{profile.Name}' keeps its secret in a SecretManagement vault, which only PowerShell can open; the relay runs without PowerShell.",
                $"Give the relay's profile a certificate or a secret kept by the profile store: Set-SmtpOAuthProfile -Name '{profile.Name}' -ClientSecret (Read-Host -AsSecureString), run as the relay's service account.",
                profile.Name);
        }

        var plan = SendConnectionPlanner.Plan(new SendConnectionRequest { Profile = profile });
        string? secret = null;
        using (var stored = store.ReadSecret(profile))
        {
            if (stored is not null)
            {
                secret = new NetworkCredential(string.Empty, stored).Password;
            }
        }

        var tokens = TokenProvider.Shared.CreateSource(new TokenRequest(profile)
        {
            Secret = secret,
            AllowUserInteraction = false,
            Timeout = TimeSpan.FromSeconds(60),
        });
        return new SendingProfile(profile, plan, tokens);
    }
}

/// <summary>One resolved sending profile: where to connect, as which mailbox, and where tokens come from.</summary>
internal sealed record SendingProfile(SmtpOAuthProfile Profile, SendConnectionPlan Plan, IAccessTokenSource Tokens)
{
    public string MailboxKey => Plan.Mailbox.ToLowerInvariant();
}
