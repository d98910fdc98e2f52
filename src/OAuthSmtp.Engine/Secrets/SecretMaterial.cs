using System;
using System.Security;

namespace OAuthSmtp.Engine.Secrets;

/// <summary>
/// A secret on its way into the profile store: a client secret or a .pfx password, and whether the user allowed
/// it to be kept unencrypted where the platform offers no protection (-AllowUnprotectedSecret).
/// ToString never shows the secret.
/// </summary>
public sealed class SecretMaterial : IDisposable
{
    public SecretMaterial(SecureString value, bool allowUnprotectedStorage = false)
    {
        if (value is null)
        {
            throw new ArgumentNullException(nameof(value));
        }

        // A private read-only copy: the caller may dispose or change its own instance.
        Value = value.Copy();
        Value.MakeReadOnly();
        AllowUnprotectedStorage = allowUnprotectedStorage;
    }

    public SecureString Value { get; }

    /// <summary>The user accepted a permission-restricted, unencrypted file where DPAPI is not available.</summary>
    public bool AllowUnprotectedStorage { get; }

    public void Dispose() => Value.Dispose();

    public override string ToString() => "Secret (hidden)";
}
