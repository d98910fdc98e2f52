using System;
using System.Text;
using System.Text.RegularExpressions;
using OAuthSmtp.Engine.Errors;

namespace OAuthSmtp.Engine.Profiles;

/// <summary>
/// PowerShell's wildcard rules for profile names (* ? [abc] [a-z], ` escapes), case-insensitive, without a
/// PowerShell reference: the engine stays free of System.Management.Automation.
/// </summary>
public sealed class ProfileNamePattern
{
    private readonly Regex _regex;

    public ProfileNamePattern(string pattern)
    {
        Pattern = pattern ?? string.Empty;
        try
        {
            _regex = new Regex("^" + ToRegex(Pattern) + "$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Singleline);
        }
        catch (ArgumentException exception)
        {
            throw new OAuthSmtpException(
                ErrorIds.InvalidProfileName,
                ErrorKind.InvalidArgument,
                $"The name pattern '{pattern}' is not a valid wildcard pattern.",
                "Use * and ? as wildcards, [abc] or [a-z] for one of several characters, and ` before a literal [ or ].",
                pattern,
                exception);
        }
    }

    public string Pattern { get; }

    public static bool ContainsWildcard(string? value) =>
        value is not null && value.IndexOfAny(new[] { '*', '?', '[' }) >= 0;

    public bool IsMatch(string name) => _regex.IsMatch(name);

    private static string ToRegex(string pattern)
    {
        var regex = new StringBuilder();
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            switch (c)
            {
                case '`' when i + 1 < pattern.Length:
                    regex.Append(Regex.Escape(pattern[++i].ToString()));
                    break;
                case '*':
                    regex.Append(".*");
                    break;
                case '?':
                    regex.Append('.');
                    break;
                case '[':
                    var end = pattern.IndexOf(']', i + 1);
                    if (end < 0)
                    {
                        regex.Append(@"\[");
                        break;
                    }

                    var set = pattern.Substring(i + 1, end - i - 1).Replace(@"\", @"\\").Replace("^", @"\^");
                    regex.Append('[').Append(set).Append(']');
                    i = end;
                    break;
                default:
                    regex.Append(Regex.Escape(c.ToString()));
                    break;
            }
        }

        return regex.ToString();
    }
}
