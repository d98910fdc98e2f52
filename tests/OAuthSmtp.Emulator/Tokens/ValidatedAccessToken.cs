using System;
using System.Collections.Generic;

namespace OAuthSmtp.Emulator;

/// <summary>The claims of an access token that passed <see cref="AccessTokenValidator"/> (v1 claim names in comments).</summary>
public sealed class ValidatedAccessToken
{
    /// <summary>aud: the resource URI (https://outlook.office365.com for Exchange).</summary>
    public string Audience { get; init; } = "";

    /// <summary>iss: https://sts.windows.net/{tid}/.</summary>
    public string Issuer { get; init; } = "";

    /// <summary>tid.</summary>
    public Guid TenantId { get; init; }

    /// <summary>appid: the client id of the application that asked for the token.</summary>
    public Guid AppId { get; init; }

    /// <summary>appidacr: "0" public client, "1" secret, "2" certificate.</summary>
    public string AppIdAcr { get; init; } = "";

    /// <summary>oid: the service principal's object id (app tokens) or the user's object id (delegated).</summary>
    public Guid ObjectId { get; init; }

    /// <summary>sub.</summary>
    public string Subject { get; init; } = "";

    /// <summary>roles: admin-consented app roles; empty when the claim is absent.</summary>
    public IReadOnlyList<string> Roles { get; init; } = Array.Empty<string>();

    /// <summary>Whether the roles claim was present at all.</summary>
    public bool HasRolesClaim { get; init; }

    /// <summary>scp split on spaces (delegated tokens); empty for app tokens.</summary>
    public IReadOnlyList<string> Scopes { get; init; } = Array.Empty<string>();

    /// <summary>upn (delegated tokens), null otherwise.</summary>
    public string? Upn { get; init; }

    /// <summary>idtyp: "app" or "user".</summary>
    public string IdType { get; init; } = "";

    /// <summary>Whether this is an app-only token (idtyp app, no scp).</summary>
    public bool IsAppOnly => IdType == "app";

    public DateTimeOffset ExpiresOn { get; init; }

    public DateTimeOffset NotBefore { get; init; }

    public DateTimeOffset IssuedAt { get; init; }
}
