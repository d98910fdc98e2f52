using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;

namespace OAuthSmtp.ModuleTools.Help;

/// <summary>
/// Turns an about topic in platyPS's about template ("# about_X", "## SHORT DESCRIPTION", "## LONG DESCRIPTION",
/// further "##"/"###" sections) into the about_X.help.txt that Get-Help shows: TOPIC, upper-case section
/// headings, text indented four spaces and wrapped at 80 columns; code and tables keep their lines.
/// </summary>
public static class AboutTopicWriter
{
    public const int Width = 80;
    private const string Indent = "    ";

    private static readonly Regex Link = new(@"\[(?<text>[^\]]+)\]\((?<uri>[^)]*)\)", RegexOptions.Compiled);

    public static string Write(string file, string markdown, out string topicName)
    {
        if (markdown.Contains("{{", StringComparison.Ordinal))
        {
            throw new HelpFormatException(file, "a {{ placeholder }} is left in the text.");
        }

        var lines = markdown.Replace("\r\n", "\n").Split('\n');
        var title = lines.FirstOrDefault(l => l.StartsWith("# ", StringComparison.Ordinal))
            ?? throw new HelpFormatException(file, "no '# about_<Name>' title.");
        topicName = title.Substring(2).Trim();
        if (!topicName.StartsWith("about_", StringComparison.Ordinal))
        {
            throw new HelpFormatException(file, $"the title '{topicName}' does not start with about_.");
        }

        var sections = CommandHelpParser.SplitOrdered(lines, "## ");
        if (sections.Count < 2 || sections[0].Heading != "SHORT DESCRIPTION" || sections[1].Heading != "LONG DESCRIPTION")
        {
            throw new HelpFormatException(file, "an about topic starts with '## SHORT DESCRIPTION' and '## LONG DESCRIPTION'.");
        }

        var text = new StringBuilder();
        text.Append("TOPIC\n").Append(Indent).Append(topicName).Append("\n\n");
        foreach (var (heading, body) in sections)
        {
            text.Append(heading.ToUpperInvariant()).Append('\n');
            var first = true;
            foreach (var (subheading, subbody) in WithSubsections(body))
            {
                if (subheading is not null)
                {
                    text.Append('\n').Append(Indent).Append(subheading).Append('\n')
                        .Append(Indent).Append(new string('-', subheading.Length)).Append('\n');
                    first = true;
                }

                var previous = BlockKind.None;
                foreach (var block in MarkdownText.Blocks(subbody))
                {
                    // Items of one list stay together; every other block is set off by a blank line.
                    if (!first && !(block.Kind == BlockKind.ListItem && previous == BlockKind.ListItem))
                    {
                        text.Append('\n');
                    }

                    first = false;
                    previous = block.Kind;
                    AppendBlock(text, block);
                }
            }

            text.Append('\n');
        }

        return text.ToString().TrimEnd('\n') + "\n";
    }

    private static IEnumerable<(string? Heading, List<string> Lines)> WithSubsections(List<string> body)
    {
        var subsections = CommandHelpParser.SplitOrdered(body, "### ");
        var firstHeading = body.FindIndex(l => l.StartsWith("### ", StringComparison.Ordinal) && subsections.Count > 0);
        var intro = firstHeading < 0 ? body : body.Take(firstHeading).ToList();
        yield return (null, intro);
        foreach (var (heading, lines) in subsections)
        {
            yield return (heading, lines);
        }
    }

    private static void AppendBlock(StringBuilder text, MarkdownBlock block)
    {
        switch (block.Kind)
        {
            case BlockKind.Code:
                foreach (var line in block.Text.Split('\n'))
                {
                    text.Append(line.Length == 0 ? string.Empty : Indent + Indent + line).Append('\n');
                }

                break;
            case BlockKind.Table:
                // Text has no room for columns: each row becomes its first cell, then "Header: cell" lines.
                var rows = block.Text.Split('\n')
                    .Where(l => !Regex.IsMatch(l, @"^\|[\s:|-]+\|$"))
                    .Select(l => l.Trim().Trim('|').Split('|').Select(c => Plain(c.Trim())).ToArray())
                    .ToList();
                var header = rows[0];
                foreach (var row in rows.Skip(1))
                {
                    if (row != rows[1])
                    {
                        text.Append('\n');
                    }

                    Wrap(text, row[0], Indent, Indent);
                    for (var cell = 1; cell < row.Length; cell++)
                    {
                        var label = cell < header.Length ? header[cell] + ": " : string.Empty;
                        Wrap(text, label + row[cell], Indent + "  ", Indent + "    ");
                    }
                }

                break;
            case BlockKind.ListItem:
                var item = Regex.Replace(block.Text.TrimStart(), @"^([-*])\s+", "- ");
                var marker = item.StartsWith("- ", StringComparison.Ordinal) ? 2 : item.IndexOf(' ') + 1;
                Wrap(text, Plain(item), Indent, Indent + new string(' ', marker));
                break;
            default:
                Wrap(text, Plain(block.Text), Indent, Indent);
                break;
        }
    }

    /// <summary>Markdown links become "text (uri)"; links to other help pages become just their name.</summary>
    private static string Plain(string text) => Link.Replace(text, m =>
        m.Groups["uri"].Value.StartsWith("http", StringComparison.OrdinalIgnoreCase)
            ? $"{m.Groups["text"].Value} ({m.Groups["uri"].Value})"
            : m.Groups["text"].Value);

    private static void Wrap(StringBuilder text, string paragraph, string firstIndent, string nextIndent)
    {
        var line = new StringBuilder(firstIndent);
        var empty = true;
        foreach (var word in paragraph.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (!empty && line.Length + 1 + word.Length > Width)
            {
                text.Append(line).Append('\n');
                line.Clear().Append(nextIndent);
                empty = true;
            }

            if (!empty)
            {
                line.Append(' ');
            }

            line.Append(word);
            empty = false;
        }

        text.Append(line).Append('\n');
    }
}
