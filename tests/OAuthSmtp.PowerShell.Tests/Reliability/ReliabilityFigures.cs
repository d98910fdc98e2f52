using System;
using System.Collections.Concurrent;
using System.IO;
using System.Linq;
using OAuthSmtp.Hosting;

namespace OAuthSmtp.PowerShell.Tests.Reliability;

/// <summary>
/// The figures README's "Reliability and security" table reports, appended by the tests that measure them to
/// out/reliability-figures.txt (one "name: value" line each) and printed by the tests themselves.
/// </summary>
internal static class ReliabilityFigures
{
    private static readonly ConcurrentDictionary<string, string> Values = new();

    public static void Record(string name, object value)
    {
        Values[name] = Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty;
        try
        {
            var path = Path.Combine(PowerShellSession.RepositoryRoot, "out", "reliability-figures.txt");
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var lines = File.Exists(path) ? File.ReadAllLines(path).Where(l => !l.StartsWith(name + ":", StringComparison.Ordinal)).ToList() : new();
            lines.Add($"{name}: {Values[name]}");
            lines.Sort(StringComparer.Ordinal);
            File.WriteAllLines(path, lines);
        }
        catch (IOException)
        {
            // The figures file is a convenience; the assertions are what count.
        }
    }
}
