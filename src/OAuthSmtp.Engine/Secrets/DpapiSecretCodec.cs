using System;
using System.Runtime.InteropServices;
using System.Security;
using System.Security.Cryptography;
using System.Text;

namespace OAuthSmtp.Engine.Secrets;

/// <summary>
/// DPAPI for the current user (Windows only): the blob decrypts only for the same user on the same machine
/// (or with the user's roaming keys), so the base64 blob may sit in the profile file.
/// </summary>
internal static class DpapiSecretCodec
{
    // Separates our blobs from other applications' DPAPI blobs of the same user.
    private static readonly byte[] Entropy = Encoding.UTF8.GetBytes("OAuthSmtp.Profile.Secret.v1");

    public static bool IsAvailable => RuntimeInformation.IsOSPlatform(OSPlatform.Windows);

    public static string Protect(SecureString secret)
    {
        var plain = SecureStringBytes.ToUtf8(secret);
        try
        {
            return Convert.ToBase64String(ProtectedData.Protect(plain, Entropy, DataProtectionScope.CurrentUser));
        }
        finally
        {
            Array.Clear(plain, 0, plain.Length);
        }
    }

    /// <exception cref="CryptographicException">The blob belongs to another user or machine, or is damaged.</exception>
    /// <exception cref="FormatException">The blob is not base64.</exception>
    public static SecureString Unprotect(string blob)
    {
        var plain = ProtectedData.Unprotect(Convert.FromBase64String(blob), Entropy, DataProtectionScope.CurrentUser);
        try
        {
            return SecureStringBytes.FromUtf8(plain);
        }
        finally
        {
            Array.Clear(plain, 0, plain.Length);
        }
    }
}
