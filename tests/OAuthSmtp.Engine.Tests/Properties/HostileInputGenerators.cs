using System;
using System.Linq;
using FsCheck;
using FsCheck.Fluent;

namespace OAuthSmtp.Engine.Tests.Properties;

/// <summary>
/// Text that breaks naive code: CR, LF, NUL, tabs, quotes, angle brackets, '@', ';', ',', non-ASCII letters,
/// right-to-left marks, emoji (surrogate pairs), lone surrogates, encoded-word look-alikes.
/// </summary>
internal static class HostileInputGenerators
{
    private static readonly string[] Pieces =
    {
        "\r", "\n", "\r\n", "\0", "\t", " ", "\"", "'", "<", ">", "@", ";", ",", ":", "\\", "(", ")", "[", "]",
        "a", "Z", "9", ".", "-", "_", "=?utf-8?B?", "?=", "Bcc: evil@x.com", "Ünïcødé", "日本語", "Ελληνικά", "\u200F", "😀",
        "\uD800", "\uDC00", "jane@fabrikam.com", "x@y", "%", "/", "*", "..", "CON", "\u00A0", "\u2028",
    };

    public static Gen<string> Text =>
        Gen.Elements(Pieces).ArrayOf().Select(parts => string.Concat(parts));

    /// <summary>Printable text without control characters (may still be non-ASCII).</summary>
    public static Gen<string> CleanText =>
        Gen.Elements(Pieces.Where(p => !p.Any(char.IsControl) && !p.Any(char.IsSurrogate) && p != "\u2028").ToArray())
            .ArrayOf().Select(parts => string.Concat(parts).Trim());

    public static Gen<string> Address =>
        Gen.OneOf(
            Text,
            Gen.Zip(CleanText, CleanText).Select(t => $"{t.Item1} <{t.Item2}@fabrikam.com>"),
            CleanText.Select(t => t.Replace(" ", string.Empty) + "@fabrikam.com"));

    public static Gen<byte[]> Bytes => ArbMap.Default.GeneratorFor<byte[]>();
}
