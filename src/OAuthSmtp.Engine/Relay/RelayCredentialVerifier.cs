using System;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Serialization;

namespace OAuthSmtp.Engine.Relay;

/// <summary>
/// What the relay keeps of a device's password: a PBKDF2-SHA256 hash with its own random salt and iteration count,
/// never the password. The relay checks an AUTH attempt with <see cref="Matches"/>, which compares in constant time.
/// </summary>
public sealed class RelayCredentialVerifier
{
    public const string Pbkdf2Sha256Algorithm = "PBKDF2-SHA256";

    /// <summary>
    /// OWASP's figure for PBKDF2-HMAC-SHA256 (2023). The generated passwords carry about 140 bits of entropy, so this
    /// protects a copied relay.json against guessing even if an admin replaced one with a weak password by hand.
    /// </summary>
    public const int DefaultIterations = 600_000;

    public const int MinimumIterations = 10_000;

    public const int SaltBytes = 16;

    public const int HashBytes = 32;

    [JsonPropertyName("algorithm")]
    public string? Algorithm { get; set; }

    [JsonPropertyName("iterations")]
    public int Iterations { get; set; }

    /// <summary>Base64.</summary>
    [JsonPropertyName("salt")]
    public string? Salt { get; set; }

    /// <summary>Base64 of the derived key.</summary>
    [JsonPropertyName("hash")]
    public string? Hash { get; set; }

    [JsonPropertyName("createdOn")]
    public DateTimeOffset CreatedOn { get; set; }

    /// <summary>A verifier for <paramref name="password"/> with a fresh random salt.</summary>
    public static RelayCredentialVerifier Create(string password, int iterations = DefaultIterations)
    {
        if (password is null)
        {
            throw new ArgumentNullException(nameof(password));
        }

        var salt = new byte[SaltBytes];
        using (var random = RandomNumberGenerator.Create())
        {
            random.GetBytes(salt);
        }

        var passwordBytes = Encoding.UTF8.GetBytes(password);
        try
        {
            return new RelayCredentialVerifier
            {
                Algorithm = Pbkdf2Sha256Algorithm,
                Iterations = iterations,
                Salt = Convert.ToBase64String(salt),
                Hash = Convert.ToBase64String(Pbkdf2Sha256.Derive(passwordBytes, salt, iterations, HashBytes)),
                CreatedOn = DateTimeOffset.UtcNow,
            };
        }
        finally
        {
            Array.Clear(passwordBytes, 0, passwordBytes.Length);
        }
    }

    /// <summary>What is wrong with the stored verifier, or null when it can be used.</summary>
    public string? Problem()
    {
        if (!string.Equals(Algorithm, Pbkdf2Sha256Algorithm, StringComparison.Ordinal))
        {
            return $"its algorithm is '{Algorithm}', not {Pbkdf2Sha256Algorithm}";
        }

        if (Iterations < MinimumIterations)
        {
            return $"its iteration count {Iterations} is below {MinimumIterations}";
        }

        if (DecodedLength(Salt) < SaltBytes)
        {
            return $"its salt is not base64 of at least {SaltBytes} bytes";
        }

        if (DecodedLength(Hash) != HashBytes)
        {
            return $"its hash is not base64 of {HashBytes} bytes";
        }

        return null;
    }

    /// <summary>Whether <paramref name="password"/> is the device's password. False for a malformed verifier.</summary>
    public bool Matches(string? password)
    {
        if (password is null || Problem() is not null)
        {
            return false;
        }

        var passwordBytes = Encoding.UTF8.GetBytes(password);
        try
        {
            var expected = Convert.FromBase64String(Hash!);
            var actual = Pbkdf2Sha256.Derive(passwordBytes, Convert.FromBase64String(Salt!), Iterations, expected.Length);
            return FixedTimeEquals(expected, actual);
        }
        finally
        {
            Array.Clear(passwordBytes, 0, passwordBytes.Length);
        }
    }

    /// <summary>Compares every byte whatever the first difference (netstandard2.0 has no CryptographicOperations.FixedTimeEquals).</summary>
    internal static bool FixedTimeEquals(byte[] a, byte[] b)
    {
        if (a.Length != b.Length)
        {
            return false;
        }

        var difference = 0;
        for (var i = 0; i < a.Length; i++)
        {
            difference |= a[i] ^ b[i];
        }

        return difference == 0;
    }

    private static int DecodedLength(string? base64)
    {
        try
        {
            return string.IsNullOrEmpty(base64) ? -1 : Convert.FromBase64String(base64).Length;
        }
        catch (FormatException)
        {
            return -1;
        }
    }
}
