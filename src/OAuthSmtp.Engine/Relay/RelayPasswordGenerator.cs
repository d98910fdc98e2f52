using System.Security.Cryptography;

namespace OAuthSmtp.Engine.Relay;

/// <summary>
/// Device passwords: 24 letters and digits from the system's cryptographic generator (about 140 bits). No symbols,
/// because printers' web forms and front panels often refuse or mangle them, and 24 characters fit the short password
/// fields many of them have.
/// </summary>
public static class RelayPasswordGenerator
{
    public const int Length = 24;

    private const string Alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";

    public static string Generate()
    {
        // 57 symbols (no 0/O, 1/l/I, which people misread when typing them into a panel). A random byte is used only
        // below 228, the largest multiple of 57 up to 256, so every symbol is equally likely.
        const int Distinct = 57;
        const int Accept = 228;
        var result = new char[Length];
        var buffer = new byte[64];
        using var random = RandomNumberGenerator.Create();
        var filled = 0;
        while (filled < Length)
        {
            random.GetBytes(buffer);
            foreach (var value in buffer)
            {
                if (value < Accept && filled < Length)
                {
                    result[filled++] = Alphabet[value % Distinct];
                }
            }
        }

        return new string(result);
    }
}
