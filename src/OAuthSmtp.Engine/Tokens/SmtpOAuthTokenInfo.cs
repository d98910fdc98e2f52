using System;
using System.Collections.Generic;
using System.Linq;
using OAuthSmtp.Engine.Profiles;

namespace OAuthSmtp.Engine.Tokens;

/// <summary>
/// Get-SmtpOAuthToken's output: the claims that matter for SMTP, where the token came from, and whether it can
/// work for SMTP. The token itself is not a property: it is reachable only through the module (-AsPlainText,
/// -AsSecureString) and never appears in ToString, format views or serialisation of this object.
/// </summary>
public sealed class SmtpOAuthTokenInfo
{
    private readonly AccessToken _token;

    internal SmtpOAuthTokenInfo(AccessToken token, TokenClaims? claims, TokenSource source, string? profile, SmtpTokenAssessment? assessment)
    {
        _token = token;
        Source = source;
        Profile = string.IsNullOrEmpty(profile) ? null : profile;
        ExpiresOn = token.ExpiresOn;
        Audience = claims?.Audience;
        TenantId = claims?.TenantId;
        ClientId = claims?.ClientId;
        ObjectId = claims?.ObjectId;
        Roles = claims?.Roles.ToArray() ?? Array.Empty<string>();
        Scopes = claims?.Scopes.ToArray() ?? Array.Empty<string>();
        IdentityType = claims?.IdentityType ?? TokenIdentityType.Unknown;
        UserPrincipalName = claims?.UserPrincipalName;
        IssuedAt = claims?.IssuedAt;
        ClientAuthentication = claims?.ClientAuthentication;
        Findings = assessment?.Findings.ToArray() ?? Array.Empty<SmtpTokenFinding>();
        SmtpReady = assessment?.IsUsable ?? false;
    }

    /// <summary>When the token stops working (the exp claim, or the token response's expires_in).</summary>
    public DateTimeOffset ExpiresOn { get; }

    public string? Audience { get; }

    public string? TenantId { get; }

    /// <summary>appid / azp.</summary>
    public string? ClientId { get; }

    /// <summary>oid: the service principal's object id (app-only) or the user's (delegated).</summary>
    public string? ObjectId { get; }

    public string[] Roles { get; }

    public string[] Scopes { get; }

    public TokenIdentityType IdentityType { get; }

    public string? UserPrincipalName { get; }

    public TokenSource Source { get; }

    /// <summary>The profile the token was obtained for; null for direct parameters or a decoded token.</summary>
    public string? Profile { get; }

    public DateTimeOffset? IssuedAt { get; }

    /// <summary>How the client proved itself (client secret, certificate, public client).</summary>
    public string? ClientAuthentication { get; }

    /// <summary>No finding is an error: Exchange can accept the token if the tenant side is set up (the table's verdict).</summary>
    public bool SmtpReady { get; }

    /// <summary>What the token lets the client do: the app roles (app-only), else the delegated scopes, else "(none)".</summary>
    public string Permissions =>
        Roles.Length > 0 ? string.Join(", ", Roles) : Scopes.Length > 0 ? string.Join(" ", Scopes) : "(none)";

    /// <summary>What the SMTP assessment found, in an admin's words.</summary>
    public SmtpTokenFinding[] Findings { get; }

    /// <summary>Time left before expiry, as of now.</summary>
    public TimeSpan ExpiresIn => ExpiresOn - DateTimeOffset.UtcNow;

    /// <summary>The hidden token, for the module's -AsPlainText/-AsSecureString and for sending.</summary>
    internal AccessToken Token => _token;

    public override string ToString() =>
        $"{IdentityType} token for {Audience ?? "(unknown audience)"} (client {ClientId ?? "?"}), expires {ExpiresOn:u}, from {Source}";

    /// <summary>Builds the info for a caller-held token (decode mode): Source is Supplied.</summary>
    public static SmtpOAuthTokenInfo FromSuppliedToken(string token, DateTimeOffset now, CloudName? expectedCloud = null, bool? expectAppOnly = null)
    {
        var claims = JwtClaimsDecoder.Decode(token);
        var assessment = SmtpTokenAssessment.Assess(claims, now, expectedCloud, expectAppOnly);
        return new SmtpOAuthTokenInfo(new AccessToken(token, claims.ExpiresOn ?? DateTimeOffset.MinValue), claims, TokenSource.Supplied, null, assessment);
    }

    internal IEnumerable<SmtpTokenFinding> Warnings => Findings.Where(f => f.Severity != SmtpTokenFindingSeverity.Information);
}
