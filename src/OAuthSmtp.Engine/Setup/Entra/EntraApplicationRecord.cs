using System;
using System.Collections.Generic;

namespace OAuthSmtp.Engine.Setup.Entra;

/// <summary>An app registration as Graph shows it: its object id (NOT the one Exchange wants) and its credentials' end dates.</summary>
public sealed class EntraApplicationRecord
{
    public EntraApplicationRecord(string objectId, string appId, string displayName, IReadOnlyList<EntraCredentialRecord> secrets, IReadOnlyList<EntraCredentialRecord> certificates)
    {
        ObjectId = objectId ?? string.Empty;
        AppId = appId ?? string.Empty;
        DisplayName = displayName ?? string.Empty;
        Secrets = secrets ?? Array.Empty<EntraCredentialRecord>();
        Certificates = certificates ?? Array.Empty<EntraCredentialRecord>();
    }

    /// <summary>The application object's id: registering this with New-ServicePrincipal is the classic mistake.</summary>
    public string ObjectId { get; }

    public string AppId { get; }

    public string DisplayName { get; }

    public IReadOnlyList<EntraCredentialRecord> Secrets { get; }

    public IReadOnlyList<EntraCredentialRecord> Certificates { get; }
}

/// <summary>A client secret or certificate of an app registration (passwordCredentials / keyCredentials).</summary>
public sealed class EntraCredentialRecord
{
    public EntraCredentialRecord(string keyId, string? displayName, string? hint, DateTimeOffset? endDateTime)
    {
        KeyId = keyId ?? string.Empty;
        DisplayName = displayName;
        Hint = hint;
        EndDateTime = endDateTime;
    }

    public string KeyId { get; }

    public string? DisplayName { get; }

    /// <summary>The first characters of a secret's value (Graph's hint); for a certificate its thumbprint.</summary>
    public string? Hint { get; }

    public DateTimeOffset? EndDateTime { get; }
}
