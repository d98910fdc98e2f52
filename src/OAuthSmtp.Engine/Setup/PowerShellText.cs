using System;
using System.Text.RegularExpressions;

namespace OAuthSmtp.Engine.Setup;

/// <summary>Writes values into PowerShell command lines so the Fix text can be pasted as it is.</summary>
internal static class PowerShellText
{
    private static readonly Regex Bare = new(@"^[A-Za-z0-9@._\-]+$", RegexOptions.CultureInvariant);

    /// <summary>A string argument: bare when safe, otherwise single-quoted with quotes doubled.</summary>
    public static string Quote(string? value)
    {
        var text = value ?? string.Empty;
        if (text.Length > 0 && Bare.IsMatch(text) && !text.StartsWith("-", StringComparison.Ordinal))
        {
            return text;
        }

        return "'" + text.Replace("'", "''") + "'";
    }

    /// <summary>Always single-quoted (names and filters read better quoted).</summary>
    public static string SingleQuoted(string? value) => "'" + (value ?? string.Empty).Replace("'", "''") + "'";

    public static string Bool(bool value) => value ? "$true" : "$false";
}
