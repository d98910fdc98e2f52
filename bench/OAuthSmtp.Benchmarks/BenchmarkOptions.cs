using System;
using System.Globalization;
using System.IO;
using OAuthSmtp.Hosting;

namespace OAuthSmtp.Benchmarks;

/// <summary>
/// Command line: [--quick] [--runs N] [--messages N] [--output PATH | --no-output] [--only NAMES].
/// The full run writes BENCHMARKS.md at the repository root; --quick (CI) runs few, small runs and writes only
/// where --output says. Child-process modes (--import-probe, --memory-probe) are parsed by their own classes.
/// </summary>
public sealed class BenchmarkOptions
{
    public const string Usage = """
        Usage: dotnet run -c Release --project bench/OAuthSmtp.Benchmarks [-- options]
          --quick          few, small runs (about 20 s); proves the program runs, figures are not comparable
          --runs N         runs per figure (default 5; --quick: 1)
          --messages N     messages in the pipeline figures (default 200; --quick: 10)
          --output PATH    where the markdown goes (default BENCHMARKS.md at the repository root; --quick: nowhere)
          --no-output      print the table only
          --only LIST      comma-separated subset: throughput,import,memory,setup,token
        """;

    public bool Quick { get; private set; }

    public int Runs { get; private set; } = 5;

    public int Messages { get; private set; } = 200;

    /// <summary>The attachment of the memory figure, in bytes.</summary>
    public long AttachmentBytes { get; private set; } = 30L * 1024 * 1024;

    /// <summary>Get-SmtpOAuthToken calls timed in one script.</summary>
    public int TokenCalls { get; private set; } = 2000;

    public string? OutputPath { get; private set; }

    public string[] Only { get; private set; } = Array.Empty<string>();

    public bool ShowHelp { get; private set; }

    public bool Includes(string name) => Only.Length == 0 || Array.IndexOf(Only, name) >= 0;

    public static BenchmarkOptions Parse(string[] args)
    {
        var options = new BenchmarkOptions();
        int? runs = null;
        int? messages = null;
        string? output = null;
        var noOutput = false;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--quick":
                    options.Quick = true;
                    break;
                case "--runs":
                    runs = PositiveInt(args, ++i, "--runs");
                    break;
                case "--messages":
                    messages = PositiveInt(args, ++i, "--messages");
                    break;
                case "--output":
                    output = Value(args, ++i, "--output");
                    break;
                case "--no-output":
                    noOutput = true;
                    break;
                case "--only":
                    options.Only = Value(args, ++i, "--only").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                    break;
                case "-h":
                case "--help":
                    options.ShowHelp = true;
                    break;
                default:
                    throw new ArgumentException($"Unknown argument '{args[i]}'.");
            }
        }

        if (options.Quick)
        {
            options.Runs = 1;
            options.Messages = 10;
            options.AttachmentBytes = 4L * 1024 * 1024;
            options.TokenCalls = 200;
        }

        options.Runs = runs ?? options.Runs;
        options.Messages = messages ?? options.Messages;
        options.OutputPath = noOutput
            ? null
            : output ?? (options.Quick ? null : Path.Combine(PowerShellSession.RepositoryRoot, "BENCHMARKS.md"));
        return options;
    }

    private static string Value(string[] args, int index, string name) =>
        index < args.Length ? args[index] : throw new ArgumentException($"{name} needs a value.");

    private static int PositiveInt(string[] args, int index, string name)
    {
        var text = Value(args, index, name);
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < 1)
        {
            throw new ArgumentException($"{name} needs a positive whole number, not '{text}'.");
        }

        return value;
    }
}
