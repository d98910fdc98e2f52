using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using OAuthSmtp.Engine.Setup.Entra;

namespace OAuthSmtp.Engine.Setup.Provisioning;

/// <summary>
/// Writes an application's keyCredentials (its certificates). Graph has no admin action that adds or removes one key:
/// <c>PATCH /applications/{id}</c> replaces the whole collection, so every key to keep is sent back (by its keyId;
/// Graph returns no key material outside a single-object $select, and keeps a key sent without it), and the new one
/// goes with its public certificate (Microsoft Graph docs, "Add a certificate to an app using Microsoft Graph";
/// addKey needs a proof-of-possession token signed by an existing key, which an admin's session does not have).
/// Used by Initialize-SmtpOAuthSetup's Credential step and by Update-SmtpOAuthCredential.
/// </summary>
internal static class AppKeyCredentials
{
    /// <summary>The PATCH that keeps <paramref name="keep"/> and adds <paramref name="added"/> (when given).</summary>
    public static GraphRequest Write(string applicationObjectId, IEnumerable<JsonElement> keep, SelfSignedCertificate? added, string? addedDisplayName)
    {
        var keys = keep.Select(Kept).ToList();
        if (added is not null)
        {
            keys.Add(New(added, addedDisplayName ?? added.Certificate.Subject));
        }

        return GraphRequest.Patch($"applications/{applicationObjectId}", new Dictionary<string, object> { ["keyCredentials"] = keys });
    }

    /// <summary>A key as Graph listed it, to send back unchanged.</summary>
    private static Dictionary<string, object?> Kept(JsonElement key)
    {
        var copy = new Dictionary<string, object?>();
        foreach (var name in new[] { "keyId", "type", "usage", "key", "displayName", "customKeyIdentifier", "startDateTime", "endDateTime" })
        {
            if (GraphJson.Text(key, name) is { } value)
            {
                copy[name] = value;
            }
        }

        return copy;
    }

    private static Dictionary<string, object?> New(SelfSignedCertificate certificate, string displayName) => new()
    {
        ["type"] = "AsymmetricX509Cert",
        ["usage"] = "Verify",
        ["key"] = Convert.ToBase64String(certificate.PublicCertificate),
        ["displayName"] = displayName,
        ["customKeyIdentifier"] = Convert.ToBase64String(certificate.Certificate.GetCertHash()),
        ["startDateTime"] = certificate.Certificate.NotBefore.ToUniversalTime().ToString("o", CultureInfo.InvariantCulture),
        ["endDateTime"] = certificate.Certificate.NotAfter.ToUniversalTime().ToString("o", CultureInfo.InvariantCulture),
    };
}
