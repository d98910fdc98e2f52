using System;
using System.Collections.Generic;
using System.Linq;

namespace OAuthSmtp.Engine.SendPlanning;

/// <summary>
/// Turns each value given for -Attachments into the files it names:
/// a path to an existing file is that file (even with wildcard characters or ';' in its name);
/// otherwise a value with ';' names several files ("a.pdf;b.pdf", as a CSV Attachments column holds them);
/// a part with wildcard characters (* ? [) is every file it matches, in name order;
/// a part that names nothing is kept as it is, so the message is refused with AttachmentNotFound and never sent
/// without a file the input named.
/// </summary>
public static class AttachmentPathList
{
    public const char Separator = ';';

    /// <param name="values">The values given (command line, pipeline, CSV column).</param>
    /// <param name="fileExists">Whether a value names an existing file (provider paths resolved by the caller).</param>
    /// <param name="expandWildcard">The files a wildcard pattern matches; empty when none.</param>
    public static IReadOnlyList<string> Expand(
        IEnumerable<string> values,
        Func<string, bool> fileExists,
        Func<string, IEnumerable<string>> expandWildcard)
    {
        var files = new List<string>();
        foreach (var value in values)
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                continue;
            }

            if (fileExists(value))
            {
                files.Add(value);
                continue;
            }

            foreach (var part in value.Split(Separator).Select(p => p.Trim()).Where(p => p.Length > 0))
            {
                if (fileExists(part) || !HasWildcard(part))
                {
                    files.Add(part);
                    continue;
                }

                var matches = expandWildcard(part).OrderBy(p => p, StringComparer.OrdinalIgnoreCase).ToList();
                if (matches.Count == 0)
                {
                    files.Add(part);
                }
                else
                {
                    files.AddRange(matches);
                }
            }
        }

        return files;
    }

    public static bool HasWildcard(string path) => path.IndexOfAny(new[] { '*', '?', '[' }) >= 0;
}
