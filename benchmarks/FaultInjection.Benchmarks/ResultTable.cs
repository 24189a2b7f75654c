using System.Globalization;

namespace FaultInjection.Benchmarks;

/// <summary>The summary table: measurement, value, target, verdict, and the load average when it was taken.</summary>
public sealed class ResultTable
{
    private readonly List<(string Name, string Value, string Target, string Verdict, string Load)> _rows = [];

    public void Add(string name, double value, string unit, double? target = null, bool lowerIsBetter = true)
    {
        var verdict = target is null ? "" : (lowerIsBetter ? value <= target : value >= target) ? "met" : "MISSED";
        var targetText = target is null ? "" : string.Create(CultureInfo.InvariantCulture, $"{(lowerIsBetter ? "≤" : "≥")} {target} {unit}");
        var row = (name, string.Create(CultureInfo.InvariantCulture, $"{value:0.###} {unit}"), targetText, verdict, LoadAverage());
        _rows.Add(row);
        Console.WriteLine($"  {row.name}: {row.Item2} {targetText} {verdict} (load {row.Item5})");
    }

    public static string LoadAverage() => string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));

    public void Print()
    {
        Console.WriteLine();
        Console.WriteLine("| measurement | value | target | verdict | load (1/5/15 min) |");
        Console.WriteLine("|---|---|---|---|---|");
        foreach (var r in _rows)
        {
            Console.WriteLine($"| {r.Name} | {r.Value} | {r.Target} | {r.Verdict} | {r.Load} |");
        }
    }
}
