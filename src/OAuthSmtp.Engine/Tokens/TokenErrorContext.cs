using System;
using OAuthSmtp.Engine.Profiles;

namespace OAuthSmtp.Engine.Tokens;

/// <summary>What the translator knows about the failed request, so the fix can name the profile, app and tenant.</summary>
public sealed class TokenErrorContext
{
    /// <summary>The profile's name; null when the credential was given directly on the command line.</summary>
    public string? ProfileName { get; set; }

    public string? TenantId { get; set; }

    public string? ClientId { get; set; }

    public CredentialKind CredentialKind { get; set; }

    public CloudName Cloud { get; set; } = CloudName.Global;

    public Uri? AuthorityHost { get; set; }

    /// <summary>When the client secret expires, if known (from Graph): quoted for AADSTS7000222.</summary>
    public DateTimeOffset? SecretExpiresOn { get; set; }

    /// <summary>The scope that was requested.</summary>
    public string? Scope { get; set; }

    /// <summary>The error's target: the profile name, or the client id without a profile.</summary>
    public object? Target => (object?)ProfileName ?? ClientId;

    /// <summary>"Set-SmtpOAuthProfile -Name 'x'" or, without a profile, a hint to pass the parameter again.</summary>
    internal string SetProfile(string parameters) =>
        ProfileName is null
            ? $"run the command again with {parameters}"
            : $"Set-SmtpOAuthProfile -Name '{ProfileName.Replace("'", "''")}' {parameters}";
}
