using System;
using System.Globalization;

namespace OAuthSmtp.Benchmarks;

/// <summary>Whether a smaller or a larger value is better, which decides "met" against the target.</summary>
public enum Goal
{
    /// <summary>Reported without a target.</summary>
    None,
    AtMost,
    AtLeast,
}

/// <summary>One row of BENCHMARKS.md: what was measured, over how many runs, and the target beside it.</summary>
public sealed class Figure
{
    public Figure(string name, string unit, Goal goal = Goal.None, double target = double.NaN, string? how = null)
    {
        Name = name;
        Unit = unit;
        Goal = goal;
        Target = target;
        How = how ?? string.Empty;
    }

    public string Name { get; }

    public string Unit { get; }

    public Goal Goal { get; }

    public double Target { get; }

    /// <summary>One line on how the figure was taken (shown under the table).</summary>
    public string How { get; }

    public Samples Samples { get; } = new();

    /// <summary>Why the figure is missing (the measurement failed), shown instead of numbers.</summary>
    public string? Failure { get; set; }

    public bool HasTarget => Goal != Goal.None;

    public bool? Met
    {
        get
        {
            if (!HasTarget || Samples.Count == 0 || Failure is not null) return null;
            return Goal == Goal.AtMost ? Samples.Median <= Target : Samples.Median >= Target;
        }
    }

    public string TargetText => Goal switch
    {
        Goal.AtMost => "≤ " + Format(Target),
        Goal.AtLeast => "≥ " + Format(Target),
        _ => "—",
    };

    public string Verdict => Met switch
    {
        true => "met",
        false => "**missed**",
        null => "—",
    };

    public static string Format(double value)
    {
        if (double.IsNaN(value)) return "—";
        var magnitude = Math.Abs(value);
        var format = magnitude >= 100 ? "0" : magnitude >= 10 ? "0.0" : magnitude >= 1 ? "0.00" : "0.000";
        return value.ToString(format, CultureInfo.InvariantCulture);
    }
}
