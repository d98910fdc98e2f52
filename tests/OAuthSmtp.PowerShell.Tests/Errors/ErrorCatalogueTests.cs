using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using OAuthSmtp.Hosting;
using Xunit;

namespace OAuthSmtp.PowerShell.Tests.Errors;

/// <summary>
/// The error ids are a public contract (scripts match on FullyQualifiedErrorId), so there is one catalogue, the
/// ErrorIds partial class in src/OAuthSmtp.Engine/Errors/ErrorIds*.cs, and every id in it is documented in
/// README.md. Call sites use the catalogue's constants (the compiler checks those exist), never a string literal.
/// The catalogue is read from the source files: this project never references the engine.
/// </summary>
public sealed class ErrorCatalogueTests
{
    private static readonly Regex IdDeclaration = new(
        @"public\s+const\s+string\s+(?<name>\w+)\s*=\s*(nameof\(\s*(?<nameof>\w+)\s*\)|""(?<literal>[^""]*)"")\s*;",
        RegexOptions.Compiled);

    private static string Root => PowerShellSession.RepositoryRoot;

    /// <summary>Every id with the file that declares it.</summary>
    private static List<(string Id, string File)> Catalogue()
    {
        var ids = new List<(string, string)>();
        foreach (var file in Directory.GetFiles(Path.Combine(Root, "src", "OAuthSmtp.Engine", "Errors"), "ErrorIds*.cs"))
        {
            foreach (Match match in IdDeclaration.Matches(File.ReadAllText(file)))
            {
                var value = match.Groups["nameof"].Success ? match.Groups["nameof"].Value : match.Groups["literal"].Value;
                ids.Add((value, Path.GetFileName(file)));
            }
        }

        return ids;
    }

    private static IEnumerable<string> SourceFiles() =>
        Directory.GetFiles(Path.Combine(Root, "src"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal));

    [Fact]
    public void The_catalogue_has_every_area_and_no_id_twice()
    {
        var ids = Catalogue();

        Assert.True(ids.Count > 50, $"Only {ids.Count} ids were read from ErrorIds*.cs; has the declaration form changed?");
        var twice = ids.GroupBy(i => i.Id, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1).Select(g => $"{g.Key} ({string.Join(", ", g.Select(i => i.File))})");
        Assert.Empty(twice);
        Assert.All(ids, id => Assert.Matches("^[A-Z][A-Za-z0-9]+$", id.Id));
    }

    [Fact]
    public void Every_error_id_is_documented_in_the_README()
    {
        var readme = File.ReadAllText(Path.Combine(Root, "README.md"));

        var undocumented = Catalogue()
            .Where(id => !Regex.IsMatch(readme, $@"(?<![A-Za-z0-9]){Regex.Escape(id.Id)}(?![A-Za-z0-9])"))
            .Select(id => $"{id.Id} ({id.File})")
            .ToList();

        Assert.True(undocumented.Count == 0, $"{undocumented.Count} error ids are not in README.md: {string.Join(", ", undocumented)}");
    }

    [Fact]
    public void No_call_site_passes_an_error_id_as_a_string_literal()
    {
        // new OAuthSmtpException("Id", ...), errorId: "Id", or new ErrorRecord(exception, "Id", ...) bypass the catalogue.
        var literal = new Regex(
            @"new\s+OAuthSmtpException\s*\(\s*""|errorId\s*:\s*""|new\s+ErrorRecord\s*\([^;]*?,\s*""[A-Za-z]+""\s*,\s*ErrorCategory",
            RegexOptions.Compiled | RegexOptions.Singleline);
        var offenders = new List<string>();
        foreach (var file in SourceFiles())
        {
            var text = File.ReadAllText(file);
            foreach (Match match in literal.Matches(text))
            {
                var line = text.Take(match.Index).Count(c => c == '\n') + 1;
                offenders.Add($"{Path.GetRelativePath(Root, file)}:{line}");
            }
        }

        Assert.True(offenders.Count == 0, "Error ids given as literals instead of ErrorIds constants: " + string.Join(", ", offenders));
    }

    [Fact]
    public void Every_id_the_code_raises_is_in_the_catalogue()
    {
        // Every place an error id is given to the user: the first argument of new OAuthSmtpException(...), the second
        // of new ErrorRecord(...), and errorId: arguments. Each must be a catalogue constant (ErrorIds.X) or pass on
        // the id of an error that was raised so (something.ErrorId); a nameof of another name, a const elsewhere or a
        // computed string reaches scripts as an id the README never lists.
        var catalogue = Catalogue().Select(i => i.Id).ToHashSet(StringComparer.Ordinal);
        var raised = SourceFiles().SelectMany(f => RaisedIds(WithoutComments(File.ReadAllText(f))).Select(id => (Id: id, File: Path.GetFileName(f)))).ToList();

        Assert.True(raised.Count > 50, $"Only {raised.Count} raise sites were found in src/; has the way errors are raised changed?");
        var unknown = raised
            .Where(r => !(Regex.Match(r.Id, @"^ErrorIds\.(?<id>\w+)$") is { Success: true } constant && catalogue.Contains(constant.Groups["id"].Value))
                && !Regex.IsMatch(r.Id, @"^[\w.?]+\.ErrorId(\s*\?\?\s*[\w.?]+\.ErrorId)*$"))
            .Select(r => $"{r.Id} ({r.File})")
            .Distinct()
            .ToList();

        Assert.True(unknown.Count == 0, "Error ids raised outside the ErrorIds catalogue: " + string.Join(", ", unknown));
    }

    /// <summary>The error-id argument of each raise site in a source text, as written.</summary>
    private static IEnumerable<string> RaisedIds(string source)
    {
        foreach (var (call, position) in new[] { ("new OAuthSmtpException(", 0), ("new ErrorRecord(", 1) })
        {
            for (var at = source.IndexOf(call, StringComparison.Ordinal); at >= 0; at = source.IndexOf(call, at + 1, StringComparison.Ordinal))
            {
                var arguments = Arguments(source, at + call.Length);
                if (arguments.Count > position)
                {
                    yield return arguments[position];
                }
            }
        }

        foreach (Match named in Regex.Matches(source, @"\berrorId\s*:\s*(?<id>[^,)]+)"))
        {
            yield return named.Groups["id"].Value.Trim();
        }
    }

    /// <summary>The top-level arguments of a call whose opening parenthesis ends just before <paramref name="start"/>.</summary>
    private static List<string> Arguments(string source, int start)
    {
        var arguments = new List<string>();
        var depth = 0;
        var current = new System.Text.StringBuilder();
        for (var i = start; i < source.Length; i++)
        {
            var c = source[i];
            if (c == '"')
            {
                // Skip a string literal (its commas and parentheses are not the call's).
                var end = i + 1;
                while (end < source.Length && source[end] != '"')
                {
                    end += source[end] == '\\' ? 2 : 1;
                }

                current.Append(source, i, Math.Min(end + 1, source.Length) - i);
                i = end;
                continue;
            }

            if (c is '(' or '[' or '{')
            {
                depth++;
            }
            else if (c is ')' or ']' or '}')
            {
                if (depth == 0)
                {
                    arguments.Add(current.ToString().Trim());
                    return arguments;
                }

                depth--;
            }
            else if (c == ',' && depth == 0)
            {
                arguments.Add(current.ToString().Trim());
                current.Clear();
                continue;
            }

            current.Append(c);
        }

        return arguments;
    }

    private static string WithoutComments(string source) => Regex.Replace(source, @"//.*$", string.Empty, RegexOptions.Multiline);
}
