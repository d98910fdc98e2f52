using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace OAuthSmtp.ModuleTools.Help;

/// <summary>
/// docs/help → module/en-US. Cmdlet pages (every *.md that is not about_*) become one MAML file; each about_*.md
/// becomes its about_*.help.txt. The output depends only on the markdown, so the committed files can be compared
/// with a fresh generation byte for byte (after line-ending normalisation).
/// </summary>
public static class HelpGenerator
{
    public const string HelpFolder = "docs/help";
    public const string OutputFolder = "module/en-US";

    /// <summary>Generates every help file from <paramref name="docsHelpFolder"/>; the keys are file names in en-US.</summary>
    /// <exception cref="HelpFormatException">A page is incomplete or malformed.</exception>
    public static IReadOnlyDictionary<string, string> Generate(string docsHelpFolder)
    {
        var files = Directory.GetFiles(docsHelpFolder, "*.md").OrderBy(f => Path.GetFileName(f), StringComparer.Ordinal).ToList();
        var commands = new List<CommandHelp>();
        var output = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            var name = Path.GetFileName(file);
            var markdown = File.ReadAllText(file);
            if (name.StartsWith("about_", StringComparison.OrdinalIgnoreCase))
            {
                var text = AboutTopicWriter.Write(name, markdown, out var topic);
                if (!string.Equals(topic + ".md", name, StringComparison.Ordinal))
                {
                    throw new HelpFormatException(name, $"the title '{topic}' does not match the file name.");
                }

                output[topic + ".help.txt"] = text;
                continue;
            }

            var help = CommandHelpParser.Parse(name, markdown);
            if (!string.Equals(help.Name + ".md", name, StringComparison.Ordinal))
            {
                throw new HelpFormatException(name, $"the title '{help.Name}' does not match the file name.");
            }

            commands.Add(help);
        }

        if (commands.Count == 0)
        {
            throw new HelpFormatException(docsHelpFolder, "no cmdlet help pages.");
        }

        output[CommandHelpParser.ExternalHelpFile] = MamlWriter.Write(commands);
        return output;
    }

    /// <summary>The committed files that differ from a fresh generation (missing, changed, or no longer generated).</summary>
    public static IReadOnlyList<string> FindStaleFiles(string repositoryRoot)
    {
        var generated = Generate(Path.Combine(repositoryRoot, HelpFolder));
        var outputFolder = Path.Combine(repositoryRoot, OutputFolder);
        var stale = new List<string>();
        foreach (var (name, text) in generated)
        {
            var path = Path.Combine(outputFolder, name);
            if (!File.Exists(path) || Normalize(File.ReadAllText(path)) != Normalize(text))
            {
                stale.Add(name);
            }
        }

        if (Directory.Exists(outputFolder))
        {
            stale.AddRange(Directory.GetFiles(outputFolder)
                .Select(Path.GetFileName)
                .Where(name => name is not null && !generated.ContainsKey(name))!);
        }

        return stale;
    }

    /// <summary>Writes the generated files into module/en-US and removes ones no page produces any more.</summary>
    public static IReadOnlyList<string> WriteAll(string repositoryRoot)
    {
        var generated = Generate(Path.Combine(repositoryRoot, HelpFolder));
        var outputFolder = Path.Combine(repositoryRoot, OutputFolder);
        Directory.CreateDirectory(outputFolder);
        foreach (var name in Directory.GetFiles(outputFolder).Select(Path.GetFileName).Where(n => !generated.ContainsKey(n!)))
        {
            File.Delete(Path.Combine(outputFolder, name!));
        }

        foreach (var (name, text) in generated)
        {
            File.WriteAllText(Path.Combine(outputFolder, name), text);
        }

        return generated.Keys.ToList();
    }

    public static string FindRepositoryRoot(string start)
    {
        for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Directory.Build.props")) && Directory.Exists(Path.Combine(directory.FullName, HelpFolder)))
            {
                return directory.FullName;
            }
        }

        throw new DirectoryNotFoundException($"No repository root with {HelpFolder} above {start}.");
    }

    private static string Normalize(string text) => text.Replace("\r\n", "\n");
}
