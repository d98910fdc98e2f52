using System;
using System.Collections.Generic;

namespace OAuthSmtp.Engine.Tokens;

/// <summary>
/// The claims of an access token that matter for SMTP (EXCHANGE-FACTS section 3), read without validating
/// the signature: what the token says about itself, to explain it, never to trust it.
/// </summary>
public sealed class TokenClaims
{
    internal TokenClaims(
        DateTimeOffset? expiresOn,
        DateTimeOffset? notBefore,
        DateTimeOffset? issuedAt,
        IReadOnlyList<string> audiences,
        string? issuer,
        string? tenantId,
        string? clientId,
        string? objectId,
        IReadOnlyList<string> roles,
        IReadOnlyList<string> scopes,
        TokenIdentityType identityType,
        string? userPrincipalName,
        string? appIdAcr,
        string? version)
    {
        ExpiresOn = expiresOn;
        NotBefore = notBefore;
        IssuedAt = issuedAt;
        Audiences = audiences;
        Issuer = issuer;
        TenantId = tenantId;
        ClientId = clientId;
        ObjectId = objectId;
        Roles = roles;
        Scopes = scopes;
        IdentityType = identityType;
        UserPrincipalName = userPrincipalName;
        AppIdAcr = appIdAcr;
        Version = version;
    }

    /// <summary>exp.</summary>
    public DateTimeOffset? ExpiresOn { get; }

    /// <summary>nbf.</summary>
    public DateTimeOffset? NotBefore { get; }

    /// <summary>iat.</summary>
    public DateTimeOffset? IssuedAt { get; }

    /// <summary>aud: usually one value; a JWT may carry an array.</summary>
    public IReadOnlyList<string> Audiences { get; }

    /// <summary>The first (normally the only) audience.</summary>
    public string? Audience => Audiences.Count > 0 ? Audiences[0] : null;

    /// <summary>iss.</summary>
    public string? Issuer { get; }

    /// <summary>tid.</summary>
    public string? TenantId { get; }

    /// <summary>appid (v1 tokens) or azp (v2 tokens): the client id of the application.</summary>
    public string? ClientId { get; }

    /// <summary>oid: the service principal (app-only) or the user (delegated).</summary>
    public string? ObjectId { get; }

    /// <summary>roles: application permissions granted by admin consent (SMTP.SendAsApp for SMTP).</summary>
    public IReadOnlyList<string> Roles { get; }

    /// <summary>scp, split at spaces: delegated permissions (SMTP.Send for SMTP).</summary>
    public IReadOnlyList<string> Scopes { get; }

    /// <summary>From idtyp when present, else inferred (scp or upn: user; roles or neither with an oid equal to sub: app).</summary>
    public TokenIdentityType IdentityType { get; }

    /// <summary>upn, else unique_name, else preferred_username: the signed-in user of a delegated token.</summary>
    public string? UserPrincipalName { get; }

    /// <summary>appidacr (v1) or azpacr (v2): 0 public client, 1 client secret, 2 certificate.</summary>
    public string? AppIdAcr { get; }

    /// <summary>ver: "1.0" or "2.0".</summary>
    public string? Version { get; }

    /// <summary>How the client proved itself, in words.</summary>
    public string ClientAuthentication => AppIdAcr switch
    {
        "0" => "public client (no secret)",
        "1" => "client secret",
        "2" => "certificate",
        null => "not stated",
        _ => "method " + AppIdAcr,
    };

    public override string ToString() =>
        $"{IdentityType} token for {Audience ?? "(no audience)"}, client {ClientId ?? "?"}, expires {ExpiresOn:u}";
}
