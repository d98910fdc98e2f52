using System;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace OAuthSmtp.Emulator.Tokens;

/// <summary>The token service's RSA signing key (RS256), created once per process; published in the JWKS.</summary>
public sealed class TokenSigningKey
{
    private static readonly Lazy<TokenSigningKey> Shared = new(() => new TokenSigningKey());

    private TokenSigningKey()
    {
        Rsa = RSA.Create(2048);
        var parameters = Rsa.ExportParameters(false);
        Modulus = Base64Url.EncodeToString(parameters.Modulus!);
        Exponent = Base64Url.EncodeToString(parameters.Exponent!);
        // Entra uses the certificate's SHA-1 thumbprint as both kid and x5t; a hash of the public key plays that part here.
        KeyId = Base64Url.EncodeToString(SHA1.HashData(Encoding.ASCII.GetBytes(Modulus + "." + Exponent)));
    }

    public static TokenSigningKey Instance => Shared.Value;

    public RSA Rsa { get; }

    public string KeyId { get; }

    public string Modulus { get; }

    public string Exponent { get; }

    public byte[] Sign(byte[] data) => Rsa.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);

    public bool Verify(byte[] data, byte[] signature) => Rsa.VerifyData(data, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
}
