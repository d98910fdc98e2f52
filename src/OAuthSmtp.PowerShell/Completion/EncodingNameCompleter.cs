using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;

namespace OAuthSmtp.PowerShell.Completion;

/// <summary>
/// Completes -Encoding with the encoding names Send-MailMessage users type (and -Encoding's transformation takes),
/// instead of PowerShell's fallback of file names: [ArgumentCompleter(typeof(EncodingNameCompleter))].
/// </summary>
public sealed class EncodingNameCompleter : Completer
{
    /// <summary>Each name -Encoding takes, with what it means, in the order Tab offers them (the default first).</summary>
    internal static readonly IReadOnlyList<(string Name, string Meaning)> Names = new[]
    {
        ("utf8", "UTF-8 without a byte order mark (the default)"),
        ("utf8NoBOM", "UTF-8 without a byte order mark"),
        ("utf8BOM", "UTF-8 with a byte order mark"),
        ("ascii", "7-bit ASCII"),
        ("latin1", "ISO-8859-1 (Western European)"),
        ("unicode", "UTF-16 little endian"),
        ("bigendianunicode", "UTF-16 big endian"),
        ("utf32", "UTF-32 little endian"),
        ("oem", "as utf8 (PowerShell 7's Send-MailMessage maps oem to the console's code page; mail takes UTF-8)"),
    };

    protected override IEnumerable<CompletionResult> Complete(string typed, IDictionary? boundParameters)
    {
        return Names
            .Where(n => n.Name.StartsWith(typed, StringComparison.OrdinalIgnoreCase))
            .Select(n => CompletionText.Value(n.Name, $"{n.Name}: {n.Meaning}"));
    }
}
