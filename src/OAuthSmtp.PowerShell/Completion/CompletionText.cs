using System;
using System.Management.Automation;

namespace OAuthSmtp.PowerShell.Completion;

/// <summary>
/// What every completer shares: the word typed so far without the quote the user may have opened, and a completion
/// that PowerShell reads back as the one value (quoted where its characters would otherwise be syntax).
/// </summary>
internal static class CompletionText
{
    // '@' only starts syntax (splatting, arrays) at the front: a mail address stays as typed.
    private static readonly char[] NeedsQuotes = { ' ', '\'', '"', '$', '`', ';', '(', ')', '{', '}', ',', '&', '#', '|', '<', '>' };

    /// <summary>The word to complete without its opening or closing quote.</summary>
    public static string Typed(string? wordToComplete) => (wordToComplete ?? string.Empty).Trim('\'', '"');

    /// <summary>A parameter value offered on Tab: listed as itself, inserted quoted where it must be.</summary>
    public static CompletionResult Value(string value, string toolTip) =>
        new(Quoted(value), value, CompletionResultType.ParameterValue, toolTip);

    /// <summary>The value as typed on a command line: single-quoted (quotes doubled) when it holds a space or syntax character.</summary>
    public static string Quoted(string value) =>
        value.IndexOfAny(NeedsQuotes) >= 0 || value.StartsWith("@", StringComparison.Ordinal) ? "'" + value.Replace("'", "''") + "'" : value;
}
