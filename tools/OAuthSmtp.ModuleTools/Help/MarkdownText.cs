using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;

namespace OAuthSmtp.ModuleTools.Help;

/// <summary>
/// The small part of markdown that help uses: paragraphs, list items, fenced code and tables. Soft line breaks
/// inside a paragraph become spaces (Get-Help wraps text itself); code and tables keep their lines.
/// </summary>
public static class MarkdownText
{
    private static readonly Regex ListItem = new(@"^\s*([-*]|\d+\.)\s+", RegexOptions.Compiled);

    public static bool IsFence(string line) => line.TrimStart().StartsWith("```", StringComparison.Ordinal);

    /// <summary>Splits lines into blocks: each paragraph, list item, code block or table becomes one string.</summary>
    public static IReadOnlyList<string> Paragraphs(IEnumerable<string> lines) => Blocks(lines).Select(b => b.Text).ToList();

    /// <summary>The blocks with their kind, for writers that lay them out differently (about topics).</summary>
    public static IReadOnlyList<MarkdownBlock> Blocks(IEnumerable<string> lines)
    {
        var blocks = new List<MarkdownBlock>();
        var current = new List<string>();
        var kind = BlockKind.None;

        void Flush()
        {
            if (current.Count > 0)
            {
                blocks.Add(new MarkdownBlock(kind, kind is BlockKind.Code or BlockKind.Table
                    ? string.Join("\n", current)
                    : string.Join(" ", current.Select(l => l.Trim()))));
            }

            current.Clear();
            kind = BlockKind.None;
        }

        foreach (var line in lines)
        {
            if (kind == BlockKind.Code)
            {
                if (IsFence(line))
                {
                    Flush();
                }
                else
                {
                    current.Add(line);
                }

                continue;
            }

            if (IsFence(line))
            {
                Flush();
                kind = BlockKind.Code;
                continue;
            }

            if (line.Trim().Length == 0)
            {
                Flush();
                continue;
            }

            if (line.TrimStart().StartsWith("|", StringComparison.Ordinal))
            {
                if (kind != BlockKind.Table)
                {
                    Flush();
                    kind = BlockKind.Table;
                }

                current.Add(line.Trim());
                continue;
            }

            if (ListItem.IsMatch(line) || kind == BlockKind.Table)
            {
                Flush();
                kind = BlockKind.ListItem;
                current.Add(line);
                continue;
            }

            if (kind == BlockKind.None)
            {
                kind = BlockKind.Paragraph;
            }

            current.Add(line);
        }

        if (kind == BlockKind.Code)
        {
            throw new FormatException("A code block is not closed with ```.");
        }

        Flush();
        return blocks;
    }
}

public sealed record MarkdownBlock(BlockKind Kind, string Text);

public enum BlockKind
{
    None,
    Paragraph,
    ListItem,
    Code,
    Table,
}
