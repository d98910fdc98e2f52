using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;

namespace OAuthSmtp.ModuleTools.Help;

/// <summary>
/// Reads a cmdlet's platyPS markdown (schema 2.0.0) and checks that it is complete: a synopsis, a description,
/// the syntax, at least two examples, a described YAML block for every parameter, inputs, outputs, no
/// "{{ placeholder }}" left over. Anything missing fails the generator with the file and the section.
/// </summary>
public static class CommandHelpParser
{
    public const string ExternalHelpFile = "OAuthSmtp.PowerShell.dll-Help.xml";
    public const string ModuleName = "OAuthSmtp";

    /// <summary>
    /// Where each page is read online (Get-Help -Online): the markdown in the repository. The cmdlets' HelpUri
    /// (src/OAuthSmtp.PowerShell/Hosting/HelpLinks.cs) says the same.
    /// </summary>
    public const string OnlineHelpBase = "https://github.com/oauthsmtp/OAuthSmtp/blob/main/docs/help/";

    private static readonly Regex SyntaxHeading = new(@"^(?<name>\S+)(\s+\(Default\))?$", RegexOptions.Compiled);
    private static readonly Regex Link = new(@"^\[(?<text>[^\]]+)\]\((?<uri>[^)]*)\)$", RegexOptions.Compiled);

    public static CommandHelp Parse(string file, string markdown)
    {
        var lines = markdown.Replace("\r\n", "\n").Split('\n');
        if (markdown.Contains("{{", StringComparison.Ordinal))
        {
            throw new HelpFormatException(file, "a {{ placeholder }} is left in the text.");
        }

        var body = ReadFrontMatter(file, lines, out var frontMatter);
        Expect(file, frontMatter, "external help file", ExternalHelpFile);
        Expect(file, frontMatter, "Module Name", ModuleName);
        Expect(file, frontMatter, "schema", "2.0.0");

        var title = body.FirstOrDefault(l => l.StartsWith("# ", StringComparison.Ordinal))
            ?? throw new HelpFormatException(file, "no '# <Cmdlet-Name>' title.");
        var name = title.Substring(2).Trim();
        if (!name.Contains('-'))
        {
            throw new HelpFormatException(file, $"the title '{name}' is not a Verb-Noun cmdlet name.");
        }

        var online = OnlineHelpBase + name + ".md";
        Expect(file, frontMatter, "online version", online);

        var sections = Split(body, "## ");
        IReadOnlyList<string> SectionLines(string heading) => sections.TryGetValue(heading, out var found)
            ? found
            : throw new HelpFormatException(file, $"no '## {heading}' section.");

        var synopsis = string.Join(" ", MarkdownText.Paragraphs(SectionLines("SYNOPSIS")));
        if (synopsis.Length == 0)
        {
            throw new HelpFormatException(file, "the SYNOPSIS is empty.");
        }

        var description = MarkdownText.Paragraphs(SectionLines("DESCRIPTION"));
        if (description.Count == 0)
        {
            throw new HelpFormatException(file, "the DESCRIPTION is empty.");
        }

        var syntax = ParseSyntax(file, SectionLines("SYNTAX"));
        var examples = ParseExamples(file, SectionLines("EXAMPLES"));
        var parameters = ParseParameters(file, SectionLines("PARAMETERS"), syntax);
        var inputs = ParseTypes(file, "INPUTS", SectionLines("INPUTS"));
        var outputs = ParseTypes(file, "OUTPUTS", SectionLines("OUTPUTS"));
        var notes = sections.TryGetValue("NOTES", out var noteLines) ? MarkdownText.Paragraphs(noteLines) : Array.Empty<string>();
        // As platyPS writes it: the online version first, so Get-Help -Online opens it.
        var links = new[] { new LinkHelp("Online Version:", online) }
            .Concat(ParseLinks(file, sections.TryGetValue("RELATED LINKS", out var linkLines) ? linkLines : Array.Empty<string>()))
            .ToList();

        return new CommandHelp(name, synopsis, description, syntax, examples, parameters, inputs, outputs, notes, links);
    }

    private static IReadOnlyList<string> ReadFrontMatter(string file, string[] lines, out Dictionary<string, string> values)
    {
        values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (lines.Length == 0 || lines[0].Trim() != "---")
        {
            throw new HelpFormatException(file, "no '---' front matter at the top.");
        }

        var end = Array.FindIndex(lines, 1, l => l.Trim() == "---");
        if (end < 0)
        {
            throw new HelpFormatException(file, "the front matter is not closed with '---'.");
        }

        foreach (var line in lines.Skip(1).Take(end - 1))
        {
            var colon = line.IndexOf(':');
            if (colon > 0)
            {
                values[line.Substring(0, colon).Trim()] = line.Substring(colon + 1).Trim();
            }
        }

        return lines.Skip(end + 1).ToList();
    }

    private static void Expect(string file, Dictionary<string, string> frontMatter, string key, string expected)
    {
        if (!frontMatter.TryGetValue(key, out var value) || value != expected)
        {
            throw new HelpFormatException(file, $"the front matter must say '{key}: {expected}'.");
        }
    }

    /// <summary>Splits lines at headings with the given prefix, outside code fences. Text before the first heading is dropped.</summary>
    internal static Dictionary<string, List<string>> Split(IEnumerable<string> lines, string prefix) =>
        SplitOrdered(lines, prefix).ToDictionary(s => s.Heading, s => s.Lines, StringComparer.Ordinal);

    internal static List<(string Heading, List<string> Lines)> SplitOrdered(IEnumerable<string> lines, string prefix)
    {
        var result = new List<(string Heading, List<string> Lines)>();
        var inFence = false;
        foreach (var line in lines)
        {
            if (MarkdownText.IsFence(line))
            {
                inFence = !inFence;
            }

            if (!inFence && line.StartsWith(prefix, StringComparison.Ordinal))
            {
                result.Add((line.Substring(prefix.Length).Trim(), new List<string>()));
            }
            else if (result.Count > 0)
            {
                result[result.Count - 1].Lines.Add(line);
            }
        }

        return result;
    }

    private static IReadOnlyList<SyntaxSet> ParseSyntax(string file, IReadOnlyList<string> lines)
    {
        var sets = new List<SyntaxSet>();
        foreach (var (heading, _) in SplitOrdered(lines, "### "))
        {
            var match = SyntaxHeading.Match(heading);
            if (!match.Success)
            {
                throw new HelpFormatException(file, $"the SYNTAX heading '### {heading}' is not '### <SetName>' or '### <SetName> (Default)'.");
            }

            sets.Add(new SyntaxSet(match.Groups["name"].Value, heading.EndsWith("(Default)", StringComparison.Ordinal)));
        }

        // One parameter set: platyPS writes the syntax block without a set heading.
        return sets.Count > 0 ? sets : new[] { new SyntaxSet("__AllParameterSets", true) };
    }

    private static IReadOnlyList<ExampleHelp> ParseExamples(string file, IReadOnlyList<string> lines)
    {
        var examples = new List<ExampleHelp>();
        foreach (var (heading, body) in SplitOrdered(lines, "### "))
        {
            var code = new List<string>();
            var prose = new List<string>();
            var inFence = false;
            var fence = new List<string>();
            foreach (var line in body)
            {
                if (MarkdownText.IsFence(line))
                {
                    if (inFence)
                    {
                        code.Add(string.Join("\n", fence));
                        fence.Clear();
                    }

                    inFence = !inFence;
                    continue;
                }

                (inFence ? fence : prose).Add(line);
            }

            var remarks = MarkdownText.Paragraphs(prose);
            if (code.Count == 0 || remarks.Count == 0)
            {
                throw new HelpFormatException(file, $"the example '{heading}' needs a code block and an explanation.");
            }

            examples.Add(new ExampleHelp(heading, code, remarks));
        }

        if (examples.Count < 2)
        {
            throw new HelpFormatException(file, "EXAMPLES needs at least two '### Example' entries.");
        }

        return examples;
    }

    private static IReadOnlyList<ParameterHelp> ParseParameters(string file, IReadOnlyList<string> lines, IReadOnlyList<SyntaxSet> syntax)
    {
        var parameters = new List<ParameterHelp>();
        foreach (var (heading, body) in SplitOrdered(lines, "### "))
        {
            if (heading == "CommonParameters")
            {
                continue;
            }

            if (!heading.StartsWith("-", StringComparison.Ordinal))
            {
                throw new HelpFormatException(file, $"the parameter heading '### {heading}' must be '### -<Name>'.");
            }

            var name = heading.Substring(1);
            var prose = new List<string>();
            var usages = new List<ParameterUsage>();
            var yaml = (List<string>?)null;
            foreach (var line in body)
            {
                if (MarkdownText.IsFence(line))
                {
                    if (yaml is null)
                    {
                        if (!line.Trim().Equals("```yaml", StringComparison.Ordinal))
                        {
                            throw new HelpFormatException(file, $"-{name}: only ```yaml blocks belong in PARAMETERS.");
                        }

                        yaml = new List<string>();
                    }
                    else
                    {
                        usages.Add(ParseUsage(file, name, yaml, syntax));
                        yaml = null;
                    }

                    continue;
                }

                if (yaml is not null)
                {
                    yaml.Add(line);
                }
                else if (usages.Count == 0)
                {
                    prose.Add(line);
                }
            }

            var description = MarkdownText.Paragraphs(prose);
            if (description.Count == 0)
            {
                throw new HelpFormatException(file, $"-{name} has no description.");
            }

            if (usages.Count == 0)
            {
                throw new HelpFormatException(file, $"-{name} has no ```yaml block.");
            }

            parameters.Add(new ParameterHelp(name, description, usages));
        }

        return parameters;
    }

    private static ParameterUsage ParseUsage(string file, string parameter, List<string> yaml, IReadOnlyList<SyntaxSet> syntax)
    {
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in yaml.Where(l => l.Trim().Length > 0))
        {
            var colon = line.IndexOf(':');
            if (colon <= 0)
            {
                throw new HelpFormatException(file, $"-{parameter}: the YAML line '{line}' is not 'Key: value'.");
            }

            values[line.Substring(0, colon).Trim()] = line.Substring(colon + 1).Trim();
        }

        string Get(string key) => values.TryGetValue(key, out var value)
            ? value
            : throw new HelpFormatException(file, $"-{parameter}: the YAML block has no '{key}:'.");

        var sets = Get("Parameter Sets");
        var setNames = sets == "(All)"
            ? Array.Empty<string>()
            : sets.Split(',').Select(s => s.Trim()).Where(s => s.Length > 0).ToArray();
        foreach (var set in setNames)
        {
            if (syntax.All(s => s.Name != set))
            {
                throw new HelpFormatException(file, $"-{parameter}: the parameter set '{set}' has no '### {set}' in SYNTAX.");
            }
        }

        var type = Get("Type");
        if (type.Length == 0)
        {
            throw new HelpFormatException(file, $"-{parameter}: the Type is empty.");
        }

        return new ParameterUsage(
            type,
            setNames,
            Get("Aliases").Split(',').Select(a => a.Trim()).Where(a => a.Length > 0).ToArray(),
            Bool(file, parameter, Get("Required")),
            Get("Position"),
            Get("Default value"),
            Get("Accept pipeline input"),
            Bool(file, parameter, Get("Accept wildcard characters")));
    }

    private static bool Bool(string file, string parameter, string value) => value switch
    {
        "True" => true,
        "False" => false,
        _ => throw new HelpFormatException(file, $"-{parameter}: '{value}' is neither True nor False."),
    };

    private static IReadOnlyList<TypeHelp> ParseTypes(string file, string section, IReadOnlyList<string> lines)
    {
        var types = SplitOrdered(lines, "### ")
            .Select(t => new TypeHelp(t.Heading, MarkdownText.Paragraphs(t.Lines)))
            .ToList();
        if (types.Count == 0)
        {
            throw new HelpFormatException(file, $"{section} lists no '### <Type>' (write '### None' when there is none).");
        }

        return types;
    }

    private static IReadOnlyList<LinkHelp> ParseLinks(string file, IReadOnlyList<string> lines)
    {
        var links = new List<LinkHelp>();
        foreach (var line in lines.Select(l => l.Trim()).Where(l => l.Length > 0))
        {
            var match = Link.Match(line);
            if (!match.Success)
            {
                throw new HelpFormatException(file, $"the related link '{line}' is not '[text](uri)'.");
            }

            links.Add(new LinkHelp(match.Groups["text"].Value, match.Groups["uri"].Value));
        }

        return links;
    }
}
