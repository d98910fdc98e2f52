using System;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using OAuthSmtp.Engine.Relay;
using Xunit;

namespace OAuthSmtp.Engine.Tests.Relay;

public sealed class RelayCredentialVerifierTests
{
    [Theory]
    // RFC 7914 section 11: PBKDF2-HMAC-SHA256 test vectors.
    [InlineData("passwd", "salt", 1, "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc49ca9cccf179b645991664b39d77ef317c71b845b1e30bd509112041d3a19783")]
    [InlineData("Password", "NaCl", 80000, "4ddcd8f60b98be21830cee5ef22701f9641a4418d04c0414aeff08876b34ab56a1d425a1225833549adb841b51c9b3176a272bdebba1d078478f62b397f33c8d")]
    public void The_derivation_is_PBKDF2_HMAC_SHA256_both_managed_and_native(string password, string salt, int iterations, string expectedHex)
    {
        var expected = Convert.FromHexString(expectedHex);
        var passwordBytes = Encoding.UTF8.GetBytes(password);
        var saltBytes = Encoding.UTF8.GetBytes(salt);

        Assert.Equal(expected, Pbkdf2Sha256.Derive(passwordBytes, saltBytes, iterations, expected.Length));
        Assert.Equal(expected, Pbkdf2Sha256.DeriveManaged(passwordBytes, saltBytes, iterations, expected.Length));
        Assert.Equal(expected, Rfc2898DeriveBytes.Pbkdf2(passwordBytes, saltBytes, iterations, HashAlgorithmName.SHA256, expected.Length));
    }

    [Fact]
    public void A_verifier_matches_its_password_only_and_holds_no_trace_of_it()
    {
        var password = RelayPasswordGenerator.Generate();
        var verifier = RelayCredentialVerifier.Create(password, iterations: 10_000);

        Assert.Null(verifier.Problem());
        Assert.True(verifier.Matches(password));
        Assert.False(verifier.Matches(password.Substring(1)));
        Assert.False(verifier.Matches(password.ToUpperInvariant() == password ? password.ToLowerInvariant() : password.ToUpperInvariant()));
        Assert.False(verifier.Matches(null));
        Assert.Equal(RelayCredentialVerifier.Pbkdf2Sha256Algorithm, verifier.Algorithm);
        Assert.Equal(16, Convert.FromBase64String(verifier.Salt!).Length);
        Assert.DoesNotContain(password, verifier.Hash + verifier.Salt, StringComparison.Ordinal);
    }

    [Fact]
    public void Two_verifiers_of_one_password_have_different_salts_and_hashes()
    {
        var first = RelayCredentialVerifier.Create("same-password", 10_000);
        var second = RelayCredentialVerifier.Create("same-password", 10_000);
        Assert.NotEqual(first.Salt, second.Salt);
        Assert.NotEqual(first.Hash, second.Hash);
    }

    [Fact]
    public void The_default_cost_is_OWASPs_and_a_tampered_verifier_never_matches()
    {
        Assert.Equal(600_000, RelayCredentialVerifier.DefaultIterations);
        var verifier = RelayCredentialVerifier.Create("pw", 10_000);
        verifier.Iterations = 1;
        Assert.Contains("below 10000", verifier.Problem());
        Assert.False(verifier.Matches("pw"));

        verifier.Iterations = 10_000;
        verifier.Algorithm = "MD5";
        Assert.False(verifier.Matches("pw"));
    }

    [Fact]
    public void Fixed_time_comparison_compares_every_byte()
    {
        Assert.True(RelayCredentialVerifier.FixedTimeEquals(new byte[] { 1, 2, 3 }, new byte[] { 1, 2, 3 }));
        Assert.False(RelayCredentialVerifier.FixedTimeEquals(new byte[] { 1, 2, 3 }, new byte[] { 1, 2, 4 }));
        Assert.False(RelayCredentialVerifier.FixedTimeEquals(new byte[] { 1, 2, 3 }, new byte[] { 1, 2 }));
    }

    [Fact]
    public void Generated_passwords_are_24_unambiguous_letters_and_digits_and_differ()
    {
        var passwords = Enumerable.Range(0, 200).Select(_ => RelayPasswordGenerator.Generate()).ToList();
        Assert.All(passwords, p =>
        {
            Assert.Equal(24, p.Length);
            Assert.All(p, c => Assert.True(char.IsAsciiLetterOrDigit(c) && "0O1lI".IndexOf(c) < 0, $"'{c}'"));
        });
        Assert.Equal(passwords.Count, passwords.Distinct().Count());
        Assert.Equal(57, passwords.SelectMany(p => p).Distinct().Count());
    }
}
