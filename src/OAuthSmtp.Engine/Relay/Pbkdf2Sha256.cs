using System;
using System.Reflection;
using System.Security.Cryptography;

namespace OAuthSmtp.Engine.Relay;

/// <summary>
/// PBKDF2 with HMAC-SHA256 (RFC 8018). netstandard2.0 offers Rfc2898DeriveBytes with SHA-1 only, so the runtime's own
/// SHA-256 implementation is used where it exists (the static Pbkdf2 of .NET 6+, which the relay and PowerShell 7 run
/// on; the HashAlgorithmName constructor of .NET Framework 4.7.2+ for Windows PowerShell 5.1), and a plain managed
/// implementation otherwise. All three give the same bytes; the engine tests check them against RFC 7914's vectors.
/// </summary>
internal static class Pbkdf2Sha256
{
    private static readonly MethodInfo? StaticPbkdf2 = typeof(Rfc2898DeriveBytes).GetMethod(
        "Pbkdf2",
        BindingFlags.Public | BindingFlags.Static,
        binder: null,
        new[] { typeof(byte[]), typeof(byte[]), typeof(int), typeof(HashAlgorithmName), typeof(int) },
        modifiers: null);

    private static readonly ConstructorInfo? HashNameConstructor = typeof(Rfc2898DeriveBytes).GetConstructor(
        new[] { typeof(byte[]), typeof(byte[]), typeof(int), typeof(HashAlgorithmName) });

    public static byte[] Derive(byte[] password, byte[] salt, int iterations, int length)
    {
        if (StaticPbkdf2 is not null)
        {
            return (byte[])StaticPbkdf2.Invoke(null, new object[] { password, salt, iterations, HashAlgorithmName.SHA256, length })!;
        }

        if (HashNameConstructor is not null)
        {
            using var derive = (Rfc2898DeriveBytes)HashNameConstructor.Invoke(new object[] { password, salt, iterations, HashAlgorithmName.SHA256 });
            return derive.GetBytes(length);
        }

        return DeriveManaged(password, salt, iterations, length);
    }

    /// <summary>RFC 8018 section 5.2 over HMACSHA256, for runtimes without a SHA-256 PBKDF2 of their own.</summary>
    internal static byte[] DeriveManaged(byte[] password, byte[] salt, int iterations, int length)
    {
        using var hmac = new HMACSHA256(password);
        var result = new byte[length];
        var block = new byte[salt.Length + 4];
        Buffer.BlockCopy(salt, 0, block, 0, salt.Length);
        for (int blockIndex = 1, offset = 0; offset < length; blockIndex++)
        {
            block[salt.Length] = (byte)(blockIndex >> 24);
            block[salt.Length + 1] = (byte)(blockIndex >> 16);
            block[salt.Length + 2] = (byte)(blockIndex >> 8);
            block[salt.Length + 3] = (byte)blockIndex;
            var u = hmac.ComputeHash(block);
            var t = (byte[])u.Clone();
            for (var i = 1; i < iterations; i++)
            {
                u = hmac.ComputeHash(u);
                for (var j = 0; j < t.Length; j++)
                {
                    t[j] ^= u[j];
                }
            }

            var take = Math.Min(t.Length, length - offset);
            Buffer.BlockCopy(t, 0, result, offset, take);
            offset += take;
        }

        return result;
    }
}
