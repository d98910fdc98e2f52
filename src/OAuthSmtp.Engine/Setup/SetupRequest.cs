using System;
using System.Collections.Generic;
using OAuthSmtp.Engine.Profiles;

namespace OAuthSmtp.Engine.Setup;

/// <summary>What to check: a profile, the senders and the optional test recipient, and how far to go.</summary>
public sealed class SetupRequest
{
    public SetupRequest(SmtpOAuthProfile profile)
    {
        Profile = profile ?? throw new ArgumentNullException(nameof(profile));
    }

    public SmtpOAuthProfile Profile { get; }

    /// <summary>Other senders (-From) that need Send As; the profile's own mailbox is left out.</summary>
    public IReadOnlyList<string> From { get; set; } = Array.Empty<string>();

    /// <summary>Where to send a test message; null sends none.</summary>
    public string? TestRecipient { get; set; }

    /// <summary>Leave out the Exchange checks on purpose (-SkipExchange).</summary>
    public bool SkipExchange { get; set; }

    /// <summary>The admin chose RBAC for Applications (no SMTP.SendAsApp in the token, a scoped role assignment instead).</summary>
    public bool UseRbac { get; set; }

    /// <summary>Microsoft Graph's base address (…/v1.0/); null: the profile's cloud's.</summary>
    public Uri? GraphEndpoint { get; set; }

    /// <summary>A credential expiring within this span gets a warning.</summary>
    public TimeSpan CredentialWarningPeriod { get; set; } = TimeSpan.FromDays(30);

    /// <summary>The same request for the profile as stored now (after -Fix gave it a new secret).</summary>
    public SetupRequest WithProfile(SmtpOAuthProfile profile) => new(profile)
    {
        From = From,
        TestRecipient = TestRecipient,
        SkipExchange = SkipExchange,
        UseRbac = UseRbac,
        GraphEndpoint = GraphEndpoint,
        CredentialWarningPeriod = CredentialWarningPeriod,
    };

    /// <summary>The Graph base address to use.</summary>
    public Uri EffectiveGraphEndpoint => GraphEndpoint ?? new Uri(CloudEndpoints.For(Profile.Cloud).GraphEndpoint, "v1.0/");

    /// <summary>The Graph token's scope: the cloud's Graph resource + /.default (the resource, not the address, names the audience).</summary>
    public string GraphScope => CloudEndpoints.For(Profile.Cloud).GraphEndpoint.ToString().TrimEnd('/') + "/.default";
}
