using System;
using System.IO;
using System.Linq;
using System.Threading;

namespace OAuthSmtp.Engine.Tests.Properties;

/// <summary>Counts generated cases and unhandled exceptions for README's reliability table (out/reliability-figures.txt).</summary>
internal static class PropertyCounter
{
    private static int _cases;
    private static int _unhandled;

    public static void Case() => Interlocked.Increment(ref _cases);

    public static void Unhandled() => Interlocked.Increment(ref _unhandled);

    public static void Flush()
    {
        var root = AppContext.BaseDirectory;
        while (root is not null && !File.Exists(Path.Combine(root, "OAuthSmtp.slnx")))
        {
            root = Path.GetDirectoryName(root);
        }

        if (root is null)
        {
            return;
        }

        var path = Path.Combine(root, "out", "reliability-figures.txt");
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var lines = File.Exists(path) ? File.ReadAllLines(path).Where(l => !l.StartsWith("properties.", StringComparison.Ordinal)).ToList() : new();
            lines.Add($"properties.cases: {Volatile.Read(ref _cases)}");
            lines.Add($"properties.unhandled: {Volatile.Read(ref _unhandled)}");
            lines.Sort(StringComparer.Ordinal);
            File.WriteAllLines(path, lines);
        }
        catch (IOException)
        {
        }
    }
}
