using System;
using System.Collections.Generic;
using System.Linq;

namespace OAuthSmtp.Benchmarks;

/// <summary>The values of one figure over several runs: median, min and max as the report shows them.</summary>
public sealed class Samples
{
    private readonly List<double> _values = new();

    public IReadOnlyList<double> Values => _values;

    public int Count => _values.Count;

    public void Add(double value) => _values.Add(value);

    public double Median
    {
        get
        {
            if (_values.Count == 0) return double.NaN;
            var sorted = _values.OrderBy(v => v).ToArray();
            var middle = sorted.Length / 2;
            return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
        }
    }

    public double Min => _values.Count == 0 ? double.NaN : _values.Min();

    public double Max => _values.Count == 0 ? double.NaN : _values.Max();
}
